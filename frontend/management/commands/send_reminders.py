"""Remind renters of approved bookings a few days ahead; safe to run as often as wanted."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from frontend.outbox import reminders_send


class Command(BaseCommand):
    help = "E-mail a reminder of each approved booking starting within N days (once each)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=getattr(settings, "REMINDER_DAYS_BEFORE", 3)
        )

    def handle(self, *args, **options) -> None:
        sent = reminders_send(days_before=options["days"])
        self.stdout.write(f"reminders sent: {sent}")
