"""The usage report (SPEC §2.14) over awkward months: the October night that gains an hour,
Easter and the start of summer time on one Sunday, Christmas, a combined hall."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bookings.models import (
    Booking,
    BookingStatus,
    ClosureReason,
    Customer,
    HolidayOpening,
    MemberOrganisation,
    OpeningHours,
)
from bookings.selectors.reports import MAX_REPORT_MONTHS, month_parse, usage_report
from bookings.services import closure_create
from tests.factories import make_room
from tests.invoicing.builders import helsinki

pytestmark = pytest.mark.django_db

MEMBER_ID = "0112038-9"
EXTERNAL_ID = "1572860-0"
OCTOBER = date(2026, 10, 1)
DECEMBER = date(2026, 12, 1)
MARCH = date(2027, 3, 1)


def customer(business_id: str) -> Customer:
    return Customer.objects.create(
        organisation=f"Yhdistys {business_id}",
        business_id=business_id,
        contact_name="Maija Meikäläinen",
        email=f"{business_id[:7]}@example.org",
    )


def booking(room, start, end, *, status=BookingStatus.APPROVED, who=None, **fields) -> Booking:
    return Booking.objects.create(
        room=room,
        start=start,
        end=end,
        status=status,
        title="Koulutus",
        attendees=5,
        customer=who,
        **fields,
    )


def row_of(rows, month: date, room):
    (found,) = [row for row in rows if row.month == month and row.room == room]
    return found


def test_october_2026_counts_the_hour_the_night_gains_and_closes_all_saints_day(room):
    """House hours 7–22 (15 h) every day; 31.10.2026 is All Saints' Day."""
    booking(room, helsinki(2026, 10, 24, 22), helsinki(2026, 10, 25, 6))  # 9 real hours
    booking(room, helsinki(2026, 10, 5, 9), helsinki(2026, 10, 5, 11))

    (row,) = usage_report(first_month=OCTOBER, last_month=OCTOBER)

    assert row.open_hours == Decimal("450.00")  # 30 open days of 15 hours
    assert row.booked_hours == Decimal("11.00")
    assert row.bookings == 2
    assert row.utilisation == Decimal("0.0244")


def test_opening_hours_over_a_daylight_saving_night_are_real_hours(hours):
    """A room open on Sunday nights 00–12: 12 hours, 13 on the night summer time ends and
    none on Easter Sunday 2027, the night it starts."""
    night_room = make_room(slug="yokerho")
    OpeningHours.objects.create(room=night_room, weekday=6, opens=time(0), closes=time(12))
    HolidayOpening.objects.create(room=night_room, date=date(2027, 3, 28))

    rows = usage_report(first_month=OCTOBER, last_month=MARCH)

    # Sundays of October 2026: 4, 11, 18 and 25 (the long night).
    assert row_of(rows, OCTOBER, night_room).open_hours == Decimal("49.00")
    # March 2027: 7, 14, 21 and 28, Easter Sunday (opened for the room), an hour short.
    assert row_of(rows, MARCH, night_room).open_hours == Decimal("47.00")


def test_december_holidays_close_the_house_unless_opened_for_the_room(room):
    other = make_room(slug="kerhohuone")
    HolidayOpening.objects.create(room=other, date=date(2026, 12, 6))

    rows = usage_report(first_month=DECEMBER, last_month=DECEMBER)

    # 31 days less 6.12., 24.12., 25.12. and 26.12.
    assert row_of(rows, DECEMBER, room).open_hours == Decimal(27 * 15)
    assert row_of(rows, DECEMBER, other).open_hours == Decimal(28 * 15)
    assert row_of(rows, DECEMBER, room).utilisation == Decimal(0)


def test_a_closed_half_closes_the_hall_and_a_hall_booking_counts_on_the_hall(hall, staff_user):
    whole, east, west = hall
    closure_create(
        actor=staff_user,
        start=helsinki(2026, 12, 2, 8),
        end=helsinki(2026, 12, 2, 11),
        reason=ClosureReason.RENOVATION,
        rooms=[east],
    )
    booking(whole, helsinki(2026, 12, 3, 12), helsinki(2026, 12, 3, 16))

    rows = usage_report(first_month=DECEMBER, last_month=DECEMBER)

    full = Decimal(27 * 15)
    assert row_of(rows, DECEMBER, east).open_hours == full - 3
    assert row_of(rows, DECEMBER, whole).open_hours == full - 3
    assert row_of(rows, DECEMBER, west).open_hours == full
    assert row_of(rows, DECEMBER, whole).booked_hours == Decimal(4)
    assert row_of(rows, DECEMBER, east).booked_hours == Decimal(0)
    assert row_of(rows, DECEMBER, west).bookings == 0


def test_only_approved_bookings_count_without_their_buffers_and_by_member_or_not(room):
    MemberOrganisation.objects.create(name="Jäsen ry", business_id=MEMBER_ID)
    member, external = customer(MEMBER_ID), customer(EXTERNAL_ID)
    start = helsinki(2026, 12, 1, 10)
    booking(room, start, start + timedelta(hours=2), who=member, setup_buffer_minutes=30)
    booking(room, start + timedelta(days=1), start + timedelta(days=1, hours=1), who=external)
    booking(room, start + timedelta(days=2), start + timedelta(days=2, hours=1))  # the house's
    for status in (BookingStatus.REQUESTED, BookingStatus.CANCELLED, BookingStatus.REJECTED):
        booking(room, start + timedelta(days=3), start + timedelta(days=3, hours=5), status=status)

    (row,) = usage_report(first_month=DECEMBER, last_month=DECEMBER)

    assert row.booked_hours == Decimal(4)
    assert (row.bookings, row.member_bookings, row.external_bookings) == (3, 1, 2)


def test_a_booking_counts_in_the_month_it_starts_on_the_house_clock(room):
    # 1.11. 00:30 in Helsinki is still October in UTC.
    booking(room, helsinki(2026, 11, 1, 0, 30), helsinki(2026, 11, 1, 1, 30))

    rows = usage_report(first_month=OCTOBER, last_month=date(2026, 11, 1))

    assert row_of(rows, OCTOBER, room).bookings == 0
    assert row_of(rows, date(2026, 11, 1), room).bookings == 1


def test_the_report_costs_the_same_queries_for_one_month_and_for_twelve(
    hall, room, django_assert_num_queries
):
    whole, _east, _west = hall
    for month in range(1, 13):
        booking(whole, helsinki(2026, month, 10, 9), helsinki(2026, month, 10, 12))
        booking(room, helsinki(2026, month, 11, 9), helsinki(2026, month, 11, 12))
    with django_assert_num_queries(6):
        one = usage_report(first_month=date(2026, 1, 1), last_month=date(2026, 1, 1))
    with django_assert_num_queries(6):
        twelve = usage_report(first_month=date(2026, 1, 1), last_month=date(2026, 12, 1))
    assert len(one) == 4 and len(twelve) == 48
    assert sum(row.bookings for row in twelve) == 24


@pytest.mark.parametrize("text", ["", "2026", "2026-13", "2026-1", "26-01", "abcd-ef", "1999-12"])
def test_a_month_that_is_no_month_is_refused(text):
    with pytest.raises(ValidationError):
        month_parse(text, "from")


def test_a_range_backwards_or_too_long_is_refused(db):
    with pytest.raises(ValidationError):
        usage_report(first_month=MARCH, last_month=OCTOBER)
    with pytest.raises(ValidationError):
        too_far = date(2020 + MAX_REPORT_MONTHS // 12, 1, 1)
        usage_report(first_month=date(2020, 1, 1), last_month=too_far)
