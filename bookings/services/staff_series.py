"""A series booked by staff (SPEC §2.5, §3.6): every date checked like a staff
booking, stored approved in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.availability import room_schedule
from bookings.hooks import approval_hooks_run
from bookings.models import (
    AuditAction,
    Booking,
    BookingSeries,
    BookingStatus,
    Room,
)
from bookings.recurrence import Recurrence, occurrences
from bookings.services.audit import Actor, audit_record
from bookings.services.checks import (
    build_booking,
    check_extras,
    check_request_fields,
    check_times,
    collect_booking_errors,
    raise_if_errors,
)
from bookings.services.customers import customer_for
from bookings.services.inputs import Extra, RenterDetails
from bookings.services.requests import OccurrenceResult, SeriesUnavailable, occurrences_create

# What a booking says about itself and its renter: changed as typed, unlike its time,
# room and state, which only their own services change.


@dataclass(frozen=True)
class StaffSeriesResult:
    series: BookingSeries
    occurrences: list[OccurrenceResult]

    @property
    def bookings(self) -> list[Booking]:
        return [result.booking for result in self.occurrences if result.booking]


@transaction.atomic
def booking_staff_series_create(
    *,
    actor: Actor,
    room: Room,
    start: datetime,
    end: datetime,
    recurrence: Recurrence,
    title: str,
    attendees: int,
    renter: RenterDetails | None = None,
    override_reason: str = "",
    extras: Sequence[Extra] = (),
    message: str = "",
    skip_unavailable: bool = False,
) -> StaffSeriesResult:
    """A recurring booking made by staff, every date approved at once.

    The same recurrence and the same per-date checks as a renter's series request
    (requests.booking_series_request_create), with the staff rules of booking_staff_create:
    unless `skip_unavailable`, one unavailable date refuses the whole series with every
    date's result (SeriesUnavailable); with it, the free dates are booked.
    """
    now = timezone.now()
    schedule = room_schedule(room.pk)
    room, rules = schedule.room, schedule.rules
    errors, business_id = check_request_fields(
        room=room, attendees=attendees, renter=renter, accept_terms=None
    )
    cleaned_extras = check_extras(errors, extras)
    if end <= start:
        errors["end"].append(str(_("The end must be after the start.")))
    raise_if_errors(errors)
    dates = occurrences((start, end), recurrence)

    def draft(occurrence_start: datetime, occurrence_end: datetime) -> Booking:
        return build_booking(
            room=room, start=occurrence_start, end=occurrence_end, rules=rules, title=title,
            attendees=attendees, renter=renter, business_id=business_id,
            extras=cleaned_extras, message=message, status=BookingStatus.APPROVED, now=now,
            actor=actor, override_reason=override_reason,
        )  # fmt: skip

    collect_booking_errors(draft(start, end), errors)
    raise_if_errors(errors)
    customer = customer_for(renter, business_id) if renter is not None else None
    series = BookingSeries.objects.create(
        room=room, rrule=recurrence.rule_text(start), first_start=dates[0][0], created_at=now
    )

    def make(occurrence_start: datetime, occurrence_end: datetime) -> Booking:
        booking = draft(occurrence_start, occurrence_end)
        booking.series = series
        if customer is not None:
            booking.customer, booking.customer_confirmed = customer, True  # staff typed it
        return booking

    results = occurrences_create(
        dates,
        make=make,
        check=lambda s, e: check_times(
            schedule=schedule,
            start=s,
            end=e,
            now=now,
            public=False,
            override_reason=override_reason,
        ),
        graph=schedule.graph,
    )
    if not any(result.free for result in results) or (
        not skip_unavailable and not all(result.free for result in results)
    ):
        raise SeriesUnavailable(results)
    for booking in (result.booking for result in results if result.booking):
        audit_record(
            action=AuditAction.CREATED,
            actor=actor,
            booking=booking,
            reason=override_reason,
            changes={"series": series.rrule},
        )
        approval_hooks_run(booking)
    return StaffSeriesResult(series=series, occurrences=results)
