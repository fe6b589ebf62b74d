"""Retry every stored e-mail that has not been sent (run it from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from frontend.emails import pending_emails_send


class Command(BaseCommand):
    help = "Send the stored e-mails whose earlier sending failed."

    def handle(self, *args, **options) -> None:
        sent, failed = pending_emails_send()
        self.stdout.write(f"sent {sent}, still failing {failed}")
