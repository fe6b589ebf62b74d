"""Staff series: a recurring booking made by staff, every date approved at once, with the
same recurrence and per-date checks as a renter's recurring request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from bookings.models import AuditAction, AuditEntry, Booking, BookingStatus
from bookings.recurrence import Recurrence
from bookings.services import (
    Extra,
    SeriesUnavailable,
    booking_staff_create,
    booking_staff_series_create,
)
from tests.factories import at, make_extra, renter, working_day

pytestmark = pytest.mark.django_db


def staff_series(actor, room, day, recurrence, **overrides):
    values = {
        "actor": actor,
        "room": room,
        "start": at(day, 17),
        "end": at(day, 19),
        "recurrence": recurrence,
        "title": "Kuoroharjoitus",
        "attendees": 12,
        "renter": renter(),
    }
    values.update(overrides)
    return booking_staff_series_create(**values)


def test_every_date_is_approved_audited_and_shares_the_series(staff_user, room):
    day = working_day(repeats=4)
    make_extra("coffee")
    result = staff_series(
        staff_user, room, day, Recurrence(count=4), extras=[Extra(code="coffee", quantity=12)]
    )
    bookings = list(Booking.objects.filter(series=result.series).order_by("start"))
    assert [b.start for b in bookings] == [at(day + timedelta(weeks=n), 17) for n in range(4)]
    assert {b.status for b in bookings} == {BookingStatus.APPROVED}
    assert all(b.extras == [{"code": "coffee", "quantity": 12}] for b in bookings)
    assert all(b.customer_id == bookings[0].customer_id for b in bookings)
    created = AuditEntry.objects.filter(action=AuditAction.CREATED, booking__in=bookings)
    assert created.count() == 4 and all(entry.actor_id == staff_user.pk for entry in created)


def test_one_taken_date_refuses_the_whole_series_unless_told_to_skip(staff_user, room):
    day = working_day(repeats=3)
    taken = booking_staff_create(
        actor=staff_user,
        room=room,
        start=at(day + timedelta(weeks=1), 18),
        end=at(day + timedelta(weeks=1), 20),
        title="Varattu",
        attendees=2,
    )
    with pytest.raises(SeriesUnavailable) as refused:
        staff_series(staff_user, room, day, Recurrence(count=3))
    assert [result.free for result in refused.value.occurrences] == [True, False, True]
    assert Booking.objects.count() == 1
    result = staff_series(staff_user, room, day, Recurrence(count=3), skip_unavailable=True)
    assert len(result.bookings) == 2
    assert result.occurrences[1].clashes[0].booking_id == taken.pk


def test_a_house_series_needs_no_renter_and_outside_hours_needs_a_reason(staff_user, room):
    day = working_day(repeats=2)
    late = {"start": at(day, 22), "end": at(day, 23), "renter": None}
    with pytest.raises(SeriesUnavailable):
        staff_series(staff_user, room, day, Recurrence(count=2), **late)
    result = staff_series(
        staff_user, room, day, Recurrence(count=2), override_reason="Talkoot", **late
    )
    assert all(b.organisation == "" and b.override_reason == "Talkoot" for b in result.bookings)


def test_a_recurrence_without_an_end_is_refused_with_nothing_written(staff_user, room):
    with pytest.raises(ValidationError) as refused:
        staff_series(staff_user, room, working_day(), Recurrence())
    assert "recurrence" in refused.value.message_dict
    assert not Booking.objects.exists()
