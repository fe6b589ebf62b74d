from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings.errors import BookingConflict
from bookings.models import Booking, BookingStatus
from bookings.recurrence import Recurrence, occurrences
from bookings.schedule import HELSINKI, is_holiday
from bookings.services import (
    SeriesUnavailable,
    booking_approve,
    booking_request_create,
    booking_series_approve,
    booking_series_cancel,
    booking_series_request_create,
)
from tests.factories import at, renter

pytestmark = pytest.mark.django_db


def series(room, start, end, recurrence, **overrides):
    values = {
        "room": room,
        "start": start,
        "end": end,
        "recurrence": recurrence,
        "title": "Vertaisryhmä",
        "attendees": 6,
        "renter": renter(),
        "accept_terms": True,
    }
    values.update(overrides)
    return booking_series_request_create(**values)


def monday(days_ahead: int = 14, weeks: int = 4) -> date:
    """A Monday from which `weeks` weekly Mondays in a row are no public holidays."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    day += timedelta(days=(7 - day.weekday()) % 7)
    while any(is_holiday(day + timedelta(weeks=week)) for week in range(weeks)):
        day += timedelta(weeks=1)
    return day


def test_occurrences_follow_rrule_weekdays_interval_and_count():
    start = at(date(2027, 1, 4), 17)  # a Monday
    dates = occurrences(
        (start, start + timedelta(hours=2)),
        Recurrence(weekdays=(0, 2), interval_weeks=2, count=5),
    )
    assert [s.date().isoformat() for s, _e in dates] == [
        "2027-01-04",
        "2027-01-06",
        "2027-01-18",
        "2027-01-20",
        "2027-02-01",
    ]
    assert all(e - s == timedelta(hours=2) for s, e in dates)


def test_occurrences_keep_local_time_across_daylight_saving():
    start = at(date(2027, 3, 22), 10)  # the week before summer time starts (28.3.2027)
    dates = occurrences((start, start + timedelta(hours=1)), Recurrence(until=date(2027, 4, 5)))
    assert [s.astimezone(HELSINKI).hour for s, _e in dates] == [10, 10, 10]
    assert dates[0][0].utcoffset() != dates[-1][0].utcoffset()


def test_series_needs_an_end_date_or_a_count():
    start = at(date(2027, 1, 4), 17)
    with pytest.raises(ValidationError) as refusal:
        occurrences((start, start + timedelta(hours=1)), Recurrence())
    assert "recurrence" in refusal.value.message_dict


def test_series_request_creates_one_booking_per_date_with_a_shared_status_token(room):
    day = monday()
    result = series(room, at(day, 17), at(day, 19), Recurrence(count=4))

    assert len(result.bookings) == 4
    assert {booking.status for booking in result.bookings} == {BookingStatus.REQUESTED}
    assert len({booking.status_token_hash for booking in result.bookings}) == 1
    assert result.series.rrule == "FREQ=WEEKLY;COUNT=4"


def test_series_with_a_clashing_date_is_refused_listing_each_date(room):
    day = monday()
    blocker = booking_request_create(
        room=room,
        start=at(day + timedelta(days=7), 18),
        end=at(day + timedelta(days=7), 20),
        title="Other",
        attendees=3,
        renter=renter(),
        accept_terms=True,
    ).booking
    booking_approve(booking=blocker, actor=None)

    with pytest.raises(SeriesUnavailable) as refusal:
        series(room, at(day, 17), at(day, 19), Recurrence(count=3))

    assert [result.free for result in refusal.value.occurrences] == [True, False, True]
    assert refusal.value.occurrences[1].clashes[0].booking_id == blocker.pk
    assert Booking.objects.count() == 1  # nothing written


def test_series_may_skip_unavailable_dates(room):
    day = monday()
    blocker = booking_request_create(
        room=room,
        start=at(day, 18),
        end=at(day, 20),
        title="Other",
        attendees=3,
        renter=renter(),
        accept_terms=True,
    ).booking
    booking_approve(booking=blocker, actor=None)

    result = series(room, at(day, 17), at(day, 19), Recurrence(count=3), skip_unavailable=True)

    assert [occurrence.free for occurrence in result.occurrences] == [False, True, True]
    assert len(result.bookings) == 2


def test_series_reports_rule_problems_per_date(room):
    day = monday(300, weeks=12)  # no date closed for a holiday: only the horizon refuses
    with pytest.raises(SeriesUnavailable) as refusal:
        series(room, at(day, 17), at(day, 19), Recurrence(count=12))
    problems = [result.problems for result in refusal.value.occurrences if not result.free]
    assert problems and all("365 days ahead" in p[0] for p in problems)


def test_approving_a_series_while_skipping_clashes_rejects_only_those(room, staff_user):
    day = monday()
    result = series(room, at(day, 17), at(day, 19), Recurrence(count=3))
    competitor = booking_request_create(
        room=room,
        start=at(day + timedelta(days=7), 18),
        end=at(day + timedelta(days=7), 19),
        title="Other",
        attendees=3,
        renter=renter(),
        accept_terms=True,
    ).booking
    booking_approve(booking=competitor, actor=staff_user)

    with pytest.raises(BookingConflict):
        booking_series_approve(series=result.series, actor=staff_user)
    assert set(Booking.objects.filter(series=result.series).values_list("status", flat=True)) == {
        "requested"
    }

    outcome = booking_series_approve(series=result.series, actor=staff_user, skip_conflicts=True)

    assert len(outcome.approved) == 2 and len(outcome.skipped) == 1
    statuses = list(
        Booking.objects.filter(series=result.series)
        .order_by("start")
        .values_list("status", flat=True)
    )
    assert statuses == ["approved", "rejected", "approved"]


def test_cancelling_the_rest_of_a_series_keeps_earlier_dates(room, staff_user):
    day = monday()
    result = series(room, at(day, 17), at(day, 19), Recurrence(count=4))
    booking_series_approve(series=result.series, actor=staff_user)
    third = Booking.objects.filter(series=result.series).order_by("start")[2]

    cancelled = booking_series_cancel(booking=third, actor=staff_user, reason="Kevät päättyy")

    assert len(cancelled) == 2
    statuses = list(
        Booking.objects.filter(series=result.series)
        .order_by("start")
        .values_list("status", flat=True)
    )
    assert statuses == ["approved", "approved", "cancelled", "cancelled"]
