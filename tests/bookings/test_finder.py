"""The room finder, free start times and clash alternatives (SPEC §2.12)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.errors import BookingConflict
from bookings.finder import clash_alternatives, room_finder, room_free_starts
from bookings.memo import memos_clear
from bookings.models import HolidayOpening, OpeningHours
from bookings.schedule import is_holiday
from bookings.services import booking_request_create, booking_staff_create, closure_create
from tests.factories import at, make_room, renter, working_day

pytestmark = pytest.mark.django_db


def slugs(rooms) -> list[str]:
    return [room.slug for room in rooms]


def approved(actor, room, start, end):
    return booking_staff_create(
        actor=actor, room=room, start=start, end=end, title="Varattu", attendees=5
    )


def next_holiday(days_ahead: int = 3) -> date:
    day = timezone.localdate() + timedelta(days=days_ahead)
    while not is_holiday(day):
        day += timedelta(days=1)
    return day


def test_rooms_that_fit_come_smallest_first_and_others_are_left_out(hours):
    small = make_room(slug="pieni", capacity=10, has_projector=True)
    large = make_room(slug="iso", capacity=30, has_projector=True, has_screen=True)
    make_room(slug="ilman", capacity=50)
    make_room(slug="sisainen", capacity=20, has_projector=True, is_public=False)
    make_room(slug="poistettu", capacity=20, has_projector=True, is_active=False)
    day = working_day()
    found = room_finder(start=at(day, 13), end=at(day, 16), attendees=5, equipment=["projector"])
    assert slugs(found.free) == [small.slug, large.slug]
    found = room_finder(start=at(day, 13), end=at(day, 16), attendees=15, equipment=["projector"])
    assert slugs(found.free) == [large.slug]
    found = room_finder(
        start=at(day, 13), end=at(day, 16), attendees=11, equipment=["projector", "screen"]
    )
    assert slugs(found.free) == [large.slug]
    assert found.busy == []


def test_a_public_holiday_is_closed_unless_staff_opened_it_for_the_room(room):
    holiday = next_holiday()
    found = room_finder(start=at(holiday, 10), end=at(holiday, 12))
    assert found.free == []
    assert slugs(b.room for b in found.busy) == [room.slug]
    HolidayOpening.objects.create(room=room, date=holiday)
    assert slugs(room_finder(start=at(holiday, 10), end=at(holiday, 12)).free) == [room.slug]


def test_a_time_inside_the_notice_is_not_offered(room):
    day = working_day(14)
    assert slugs(room_finder(start=at(day, 10), end=at(day, 12)).free) == [room.slug]
    room.min_notice_hours = 20 * 24
    room.save()
    found = room_finder(start=at(day, 10), end=at(day, 12))
    assert found.free == []
    # Its next free time is the first one past the notice.
    next_start = found.busy[0].next_free[0]
    assert timezone.now() + timedelta(days=20) <= next_start
    assert next_start <= timezone.now() + timedelta(days=21)


def test_a_time_past_the_horizon_is_not_offered(room):
    day = working_day(14)
    room.horizon_days = 10
    room.save()
    assert room_finder(start=at(day, 10), end=at(day, 12)).free == []
    room.horizon_days = 30
    room.save()
    assert slugs(room_finder(start=at(day, 10), end=at(day, 12)).free) == [room.slug]


def test_past_times_are_never_free(room):
    yesterday = timezone.localdate() - timedelta(days=1)
    assert room_finder(start=at(yesterday, 10), end=at(yesterday, 12)).free == []
    assert room_free_starts(room=room, day=yesterday, length=timedelta(hours=1)) == []


def test_duration_and_slot_grid_rules_apply(room):
    day = working_day()
    assert room_finder(start=at(day, 10, 15), end=at(day, 11, 15)).free == []
    assert room_finder(start=at(day, 10), end=at(day, 10, 30)).free == []  # under 60 min
    assert room_finder(start=at(day, 8), end=at(day, 21)).free == []  # over 12 h
    assert slugs(room_finder(start=at(day, 8), end=at(day, 20)).free) == [room.slug]
    assert room_finder(start=at(day, 6), end=at(day, 8)).free == []  # opens at 7


def test_a_combined_room_whose_part_is_booked_is_busy_and_the_other_part_free(hall, staff_user):
    whole, east, west = hall
    day = working_day()
    approved(staff_user, east, at(day, 10), at(day, 12))
    found = room_finder(start=at(day, 10), end=at(day, 12), attendees=30)
    assert slugs(found.free) == [west.slug]
    busy = {entry.room.slug: entry.next_free for entry in found.busy}
    assert set(busy) == {east.slug, whole.slug}
    # 10–12 holds 9.45–12.15 with its buffers; a new 2-hour request needs 15 minutes of
    # its own before it: 12.30 is the first start on the grid.
    assert busy[east.slug] == (at(day, 12, 30), at(day, 14, 30))
    assert busy[whole.slug] == (at(day, 12, 30), at(day, 14, 30))


def test_booking_the_combination_makes_both_parts_busy(hall, staff_user):
    whole, east, west = hall
    day = working_day()
    approved(staff_user, whole, at(day, 10), at(day, 12))
    found = room_finder(start=at(day, 10), end=at(day, 12), attendees=10)
    assert found.free == []
    assert slugs(entry.room for entry in found.busy) == [east.slug, west.slug, whole.slug]


def test_buffers_of_both_bookings_count(room, staff_user):
    day = working_day()
    approved(staff_user, room, at(day, 10), at(day, 12))
    assert room_finder(start=at(day, 12), end=at(day, 13)).free == []
    assert slugs(room_finder(start=at(day, 12, 30), end=at(day, 13, 30)).free) == [room.slug]
    # 8–9.30 holds until 9.45, where the other booking's setup begins: they only meet.
    assert slugs(room_finder(start=at(day, 8), end=at(day, 9, 30)).free) == [room.slug]


def test_a_closure_blocks_and_other_requests_do_not(room, staff_user):
    day = working_day()
    booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Toinen",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    assert slugs(room_finder(start=at(day, 10), end=at(day, 12)).free) == [room.slug]
    closure_create(
        actor=staff_user, start=at(day, 14), end=at(day, 16), reason="cleaning", rooms=[room]
    )
    found = room_finder(start=at(day, 14), end=at(day, 15))
    assert found.free == []
    assert found.busy[0].next_free == (at(day, 16, 30), at(day, 17, 30))


def test_the_finder_agrees_with_the_request_service(room, staff_user):
    day = working_day()
    approved(staff_user, room, at(day, 11), at(day, 13))
    starts = [at(day, 6, 30) + timedelta(minutes=30 * n) for n in range(16)]
    for start in starts:
        for length in (timedelta(hours=1), timedelta(minutes=90)):
            offered = bool(room_finder(start=start, end=start + length).free)
            try:
                with transaction.atomic():
                    booking_request_create(
                        room=room,
                        start=start,
                        end=start + length,
                        title="Koe",
                        attendees=5,
                        renter=renter(),
                        accept_terms=True,
                    )
                    transaction.set_rollback(True)
                accepted = True
            except (BookingConflict, ValidationError):
                accepted = False
            assert offered == accepted, (start, length)


def test_the_finder_reads_the_same_queries_for_three_rooms_and_twenty(hours, staff_user):
    day = working_day()
    for number in range(3):
        approved(staff_user, make_room(capacity=10 + number), at(day, 10), at(day, 12))
    memos_clear()  # both counts with the house's schedule read afresh
    with CaptureQueriesContext(connection) as few:
        room_finder(start=at(day, 10), end=at(day, 12))
    for number in range(17):
        approved(staff_user, make_room(capacity=20 + number), at(day, 13), at(day, 15))
    memos_clear()
    with CaptureQueriesContext(connection) as many:
        found = room_finder(start=at(day, 10), end=at(day, 12))
    assert len(found.free) == 17 and len(found.busy) == 3
    assert len(many) == len(few) <= 6


def test_free_start_times_skip_taken_times_and_their_buffers(room, staff_user):
    day = working_day()
    approved(staff_user, room, at(day, 10), at(day, 12))
    starts = room_free_starts(room=room, day=day, length=timedelta(hours=2))
    clock = [moment.strftime("%H:%M") for moment in starts]
    assert clock[:3] == ["07:00", "07:30", "12:30"]
    assert clock[-1] == "20:00"
    assert "08:00" not in clock  # would end at 10.00, inside the 9.45 setup


def test_free_start_times_inside_the_notice_are_not_offered(room):
    today = timezone.localdate()
    for offset in range(3):
        starts = room_free_starts(
            room=room, day=today + timedelta(days=offset), length=timedelta(hours=1)
        )
        assert all(moment >= timezone.now() + timedelta(hours=48) for moment in starts)


def test_alternatives_offer_other_rooms_and_nearest_times(hours, staff_user):
    room = make_room(slug="sali", capacity=30)
    other = make_room(slug="toinen", capacity=40)
    make_room(slug="pieni", capacity=5)
    taken = make_room(slug="varattu", capacity=50)
    day = working_day()
    approved(staff_user, room, at(day, 10), at(day, 12))
    approved(staff_user, taken, at(day, 9), at(day, 13))
    offered = clash_alternatives(room=room, start=at(day, 10), end=at(day, 12), attendees=20)
    assert slugs(offered.rooms) == [other.slug]
    assert offered.times[3:] == [
        (at(day, 12, 30), at(day, 14, 30)),
        (at(day, 13), at(day, 15)),
        (at(day, 13, 30), at(day, 15, 30)),
    ]
    before = offered.times[:3]
    assert len(before) == 3 and all(end <= at(day, 9, 30) for _start, end in before)
    assert before == sorted(before)


def test_a_change_of_opening_hours_or_holiday_openings_shows_at_once(room):
    day = working_day()
    assert slugs(room_finder(start=at(day, 20), end=at(day, 21)).free) == [room.slug]
    OpeningHours.objects.filter(room=None).update(closes=time(20))  # behind the memo's back
    OpeningHours.objects.create(room=None, weekday=day.weekday(), opens=time(6), closes=time(7))
    assert room_finder(start=at(day, 20), end=at(day, 21)).free == []
    holiday = next_holiday()
    assert room_finder(start=at(holiday, 10), end=at(holiday, 12)).free == []
    HolidayOpening.objects.create(room=room, date=holiday)
    assert slugs(room_finder(start=at(holiday, 10), end=at(holiday, 12)).free) == [room.slug]
