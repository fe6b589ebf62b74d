"""Load the demo data set (SPEC §3.1); the data and its writer are `bookings.demo`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.demo.plans import DEMO_MARKER
from bookings.demo.writer import (
    DemoBookings,
    demo_bookings_exist,
    opening_hours_seed,
    organisations_seed,
    rooms_seed,
)
from bookings.errors import BookingConflict
from bookings.hooks import demo_hooks
from bookings.management.commands.demo_login import demo_user
from bookings.models import (
    Booking,
    BookingStatus,
)
from bookings.roles import BOOKING_STAFF


class Command(BaseCommand):
    help = "Load the demo rooms, organisations, customers and bookings (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.seed(now=timezone.now())
        except (BookingConflict, ValidationError) as error:
            # Demo bookings clash with data already in this database: nothing was written.
            message = _("Demo data could not be loaded: %(error)s") % {"error": error}
            raise CommandError(message) from error

    @transaction.atomic
    def seed(self, *, now: datetime) -> None:
        actor = demo_user("demo-staff", BOOKING_STAFF)
        rooms = rooms_seed(actor)
        opening_hours_seed(rooms)
        organisations_seed()
        for hook in demo_hooks:  # e.g. invoicing's demo prices, before any approval
            hook(rooms)
        self.stdout.write(
            _("Demo rooms, opening hours, member organisations and customers are in place.")
        )
        if demo_bookings_exist():
            self.stdout.write(_("Demo bookings exist already; left them as they are."))
            return
        writer = DemoBookings(rooms=rooms, actor=actor, now=now)
        writer.write()
        self.report(writer)

    def report(self, writer: DemoBookings) -> None:
        demo = Booking.objects.filter(message__contains=DEMO_MARKER)
        self.stdout.write(_("Demo bookings by status:"))
        for status in BookingStatus:
            count = demo.filter(status=status).count()
            self.stdout.write(f"  {status.label}: {count}")
        if writer.status_token:
            self.stdout.write(
                _("A renter's status page: %(url)s")
                % {"url": f"{settings.SITE_URL}/request/{writer.status_token}/"}
            )
