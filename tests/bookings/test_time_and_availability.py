from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.models import ClosureReason, HolidayOpening, OpeningHours
from bookings.schedule import finnish_holidays
from bookings.selectors import room_availability
from bookings.services import (
    booking_approve,
    booking_request_create,
    booking_staff_create,
    closure_create,
)
from tests.factories import at, renter, working_day, working_days

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def next_last_sunday(month: int) -> date:
    """The next last Sunday of the month (when EU clocks change) at least a week ahead."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        day = date(year, month + 1, 1) - timedelta(days=1)
        day -= timedelta(days=(day.weekday() - 6) % 7)
        if day > today + timedelta(days=7):
            return day
    raise AssertionError("unreachable")


@pytest.mark.parametrize(("month", "hours"), [(10, 13), (3, 11)])
def test_booking_across_the_clock_change_lasts_its_real_length(room, staff_user, month, hours):
    sunday = next_last_sunday(month)
    saturday = sunday - timedelta(days=1)
    booking = booking_staff_create(
        actor=staff_user,
        room=room,
        start=at(saturday, 20),
        end=at(sunday, 8),
        title="Yöleiri",
        attendees=10,
        override_reason="Leiri",
    )
    booking.refresh_from_db()

    assert booking.end - booking.start == timedelta(hours=hours)
    assert timezone.localtime(booking.start).hour == 20
    assert timezone.localtime(booking.end).hour == 8


def test_opening_hours_follow_local_time_on_the_clock_change_day(room):
    sunday = next_last_sunday(10)
    availability = room_availability(
        room=room, first_day=sunday - timedelta(days=1), last_day=sunday
    )
    opens = [start.astimezone(UTC).hour for start, _end in availability.open]
    hours = {day.date(): day for day, _e in availability.open}
    assert all(start.hour == 7 for start in hours.values())
    assert len(set(opens)) == 2  # 07:00 is 04:00 UTC in summer time and 05:00 UTC after


def test_availability_lists_open_and_busy_intervals_with_status(hall, staff_user):
    whole, east, west = hall
    day = working_day()
    approved = booking_request_create(
        room=east,
        start=at(day, 10),
        end=at(day, 12),
        title="Secret title",
        attendees=5,
        renter=renter(contact_name="Marker Person"),
        accept_terms=True,
    ).booking
    booking_approve(booking=approved, actor=staff_user)
    booking_request_create(
        room=whole,
        start=at(day, 14),
        end=at(day, 16),
        title="x",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    closure_create(
        actor=staff_user,
        start=at(day, 18),
        end=at(day, 20),
        reason=ClosureReason.CLEANING,
        rooms=[west],
    )

    def busy(room):
        result = room_availability(room=room, first_day=day, last_day=day)
        return [
            (
                timezone.localtime(b.start).strftime("%H:%M"),
                timezone.localtime(b.end).strftime("%H:%M"),
                b.status,
            )
            for b in result.busy
        ]

    assert busy(east) == [("09:45", "12:15", "approved"), ("13:45", "16:15", "requested")]
    assert busy(west) == [("13:45", "16:15", "requested"), ("18:00", "20:00", "closed")]
    assert busy(whole) == [
        ("09:45", "12:15", "approved"),
        ("13:45", "16:15", "requested"),
        ("18:00", "20:00", "closed"),
    ]
    whole_open = room_availability(room=whole, first_day=day, last_day=day).open
    assert [(s.hour, e.hour) for s, e in whole_open] == [(7, 18), (20, 22)]


def test_availability_uses_the_rooms_own_hours_and_skips_holidays(room):
    holiday = next(
        d
        for year in (timezone.localdate().year, timezone.localdate().year + 1)
        for d in sorted(finnish_holidays(year))
        if d > timezone.localdate()
    )
    OpeningHours.objects.create(
        room=room, weekday=holiday.weekday(), opens=time(9), closes=time(12)
    )
    OpeningHours.objects.create(
        room=room, weekday=holiday.weekday(), opens=time(13), closes=time(17)
    )
    other_day = holiday + timedelta(days=7)
    if other_day in finnish_holidays(other_day.year):
        other_day += timedelta(days=7)

    assert room_availability(room=room, first_day=holiday, last_day=holiday).open == []
    open_other = room_availability(room=room, first_day=other_day, last_day=other_day).open
    assert [(s.hour, e.hour) for s, e in open_other] == [(9, 12), (13, 17)]

    HolidayOpening.objects.create(room=room, date=holiday)
    assert len(room_availability(room=room, first_day=holiday, last_day=holiday).open) == 2


def test_availability_query_count_is_fixed_whatever_the_bookings(room, staff_user):
    days = working_days(10)
    first = days[0]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            room_availability(room=room, first_day=first, last_day=first + timedelta(days=30))
        return len(queries)

    empty = count()
    for day in days:
        booking_staff_create(
            actor=staff_user,
            room=room,
            start=at(day, 10),
            end=at(day, 11),
            title="x",
            attendees=1,
        )
    assert count() == empty <= 6


def test_naive_times_are_refused(room):
    day = working_day()
    naive = datetime.combine(day, time(10))
    with pytest.raises(Exception) as refusal:
        booking_request_create(
            room=room,
            start=naive,
            end=naive + timedelta(hours=1),
            title="x",
            attendees=1,
            renter=renter(),
            accept_terms=True,
        )
    assert "time zone" in str(refusal.value)
