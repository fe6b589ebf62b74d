"""Writing the demo data through the booking services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from bookings.demo.dates import at, sent_at, span, week_date
from bookings.demo.plans import (
    APPROVED,
    BOOKINGS,
    CANCELLED,
    CLOSURES,
    DEMO_MARKER,
    REJECTED,
    REQUESTED,
    SERIES,
    STAFF,
    WITHDRAWN,
    PlannedBooking,
    PlannedClosure,
    PlannedSeries,
    with_marker,
)
from bookings.demo.renters import CUSTOMERS, MEMBER_IDS, renter_for
from bookings.demo.rooms import HALL_PARTS, HOUSE_HOURS, KITCHEN_HOURS, ROOMS
from bookings.models import (
    Booking,
    Customer,
    MemberOrganisation,
    OpeningHours,
    Room,
)
from bookings.recurrence import Recurrence
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_customer_confirm,
    booking_customer_match,
    booking_reject,
    booking_request_create,
    booking_series_approve,
    booking_series_request_create,
    booking_staff_create,
    bookings_expire,
    closure_create,
    room_parts_set,
)

# --- Writing -----------------------------------------------------------------------------


def rooms_seed(actor: User) -> dict[str, Room]:
    rooms = {}
    for values in ROOMS:
        defaults = {name: value for name, value in values.items() if name != "slug"}
        rooms[values["slug"]], _created = Room.objects.update_or_create(
            slug=values["slug"], defaults=defaults
        )
    for combined, part_slugs in HALL_PARTS.items():
        parts = [rooms[slug] for slug in part_slugs]
        # room_parts_set re-lays occupancy and writes an audit entry: only on a change.
        if set(rooms[combined].parts.all()) != set(parts):
            room_parts_set(room=rooms[combined], parts=parts, actor=actor)
    return rooms


def opening_hours_seed(rooms: dict[str, Room]) -> None:
    """House and kitchen hours, unless set already: staff may have changed them."""
    for room, hours in ((None, HOUSE_HOURS), (rooms["olohuone-keittio"], KITCHEN_HOURS)):
        if OpeningHours.objects.filter(room=room).exists():
            continue
        OpeningHours.objects.bulk_create(
            OpeningHours(room=room, weekday=day, opens=opens, closes=closes)
            for day, ranges in hours.items()
            for opens, closes in ranges
        )


def organisations_seed() -> None:
    for name, business_id in MEMBER_IDS.items():
        MemberOrganisation.objects.update_or_create(
            business_id=business_id, defaults={"name": name}
        )
    for values in CUSTOMERS.values():
        fields = {name: value for name, value in values.items() if name != "buyer_reference"}
        key: dict[str, Any]
        if fields.get("business_id"):
            key = {"business_id": fields.pop("business_id")}
        else:
            # Matched the way the booking services match renters without a business ID.
            key = {"business_id": "", "email": fields.pop("email")}
        Customer.objects.update_or_create(**key, defaults=fields)


class DemoBookings:
    """Writes the demo's closures, bookings and series through the booking services."""

    def __init__(self, *, rooms: dict[str, Room], actor: User, now: datetime):
        self.rooms, self.actor, self.now = rooms, actor, now
        self.today = timezone.localdate(now)
        self.status_token = ""

    def closure(self, plan: PlannedClosure) -> None:
        closure_create(
            actor=self.actor,
            # A closure may cover a holiday, so its dates stay where they are.
            start=at(week_date(self.today, plan.week, plan.first[0]), plan.first[1]),
            end=at(week_date(self.today, plan.week, plan.last[0]), plan.last[1]),
            reason=plan.reason,
            rooms=[self.rooms[slug] for slug in plan.rooms],
            whole_house=not plan.rooms,
            note=plan.note,
        )

    def booking(self, plan: PlannedBooking) -> None:
        start, end = span(self.today, plan.week, plan.weekday, plan.hours)
        details: dict[str, Any] = {
            "room": self.rooms[plan.room],
            "start": start,
            "end": end,
            "title": plan.title,
            "attendees": plan.attendees,
            "extras": plan.extras,
            "message": with_marker(plan.message),
        }
        if plan.outcome == STAFF:
            renter = renter_for(plan.renter) if plan.renter else None
            booking_staff_create(
                actor=self.actor, renter=renter, override_reason=plan.note, **details
            )
            return
        result = booking_request_create(
            renter=renter_for(plan.renter or ""),
            accept_terms=True,
            now=sent_at(start, self.now),
            **details,
        )
        if plan.outcome == REQUESTED and not self.status_token:
            self.status_token = result.status_token
        self.decide(result.booking, plan)

    def confirm_customer(self, booking: Booking) -> None:
        """Demo staff vouch for the demo renters, as staff confirm a request's customer."""
        if not booking.customer_confirmed:
            match = booking_customer_match(booking)
            booking_customer_confirm(booking=booking, actor=self.actor, customer=match)

    def decide(self, booking: Booking, plan: PlannedBooking) -> None:
        if plan.outcome in (APPROVED, CANCELLED):
            self.confirm_customer(booking)
            booking = booking_approve(booking=booking, actor=self.actor)
        if plan.outcome == CANCELLED:
            booking_cancel(booking=booking, actor=self.actor, reason=plan.note)
        elif plan.outcome == REJECTED:
            booking_reject(booking=booking, actor=self.actor, message=plan.note)
        elif plan.outcome == WITHDRAWN:
            booking_cancel(booking=booking, actor=None, reason=plan.note, by_renter=True)

    def series(self, plan: PlannedSeries) -> None:
        start, end = span(self.today, plan.week, plan.weekday, plan.hours)
        result = booking_series_request_create(
            room=self.rooms[plan.room],
            start=start,
            end=end,
            recurrence=Recurrence(count=plan.count),
            title=plan.title,
            attendees=plan.attendees,
            renter=renter_for(plan.renter),
            accept_terms=True,
            message=with_marker(""),
            # A date on a public holiday is left out, as a renter would be told.
            skip_unavailable=True,
            now=sent_at(start, self.now),
        )
        if plan.approve:
            first = result.series.bookings.order_by("start").first()
            if first is not None:
                self.confirm_customer(first)
            booking_series_approve(series=result.series, actor=self.actor)

    def write(self) -> None:
        """Closures first, so that a booking placed on one fails loudly; past requests
        left undecided expire at the end, as the nightly expire_requests would do."""
        for closure in CLOSURES:
            self.closure(closure)
        for booking in BOOKINGS:
            self.booking(booking)
        for series in SERIES:
            self.series(series)
        bookings_expire(now=self.now)


def demo_bookings_exist() -> bool:
    return Booking.objects.filter(message__contains=DEMO_MARKER).exists()
