"""What a room's booking checks read (bookings.availability.room_schedule): one query
while hours, holidays and rooms stay as they are, and every change a renter could
notice decides the very next request."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.availability import room_schedule
from bookings.errors import BookingConflict
from bookings.models import HolidayOpening, HouseRules, OpeningHours, Room
from bookings.schedule import is_holiday
from bookings.services import booking_request_create, booking_staff_create, room_parts_set
from tests.factories import at, house_hours, make_room, renter, working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    house_hours()
    return make_room(slug="sali", capacity=10)


def request(room: Room, day, start: int, end: int, attendees: int = 5):
    return booking_request_create(
        room=room, start=at(day, start), end=at(day, end), title="Kerho",
        attendees=attendees, renter=renter(), accept_terms=True,
    )  # fmt: skip


def refusal(room: Room, day, start: int, end: int, attendees: int = 5) -> dict:
    with pytest.raises(ValidationError) as refused:
        request(room, day, start, end, attendees)
    return refused.value.message_dict


def test_a_repeated_read_is_one_query(room):
    first = room_schedule(room.pk)
    with CaptureQueriesContext(connection) as queries:
        again = room_schedule(room.pk)
    assert len(queries) == 1
    assert again == first


def test_edited_opening_hours_decide_the_next_request(room):
    day = working_day()
    request(room, day, 19, 21)
    for hours in OpeningHours.objects.filter(weekday=day.weekday()):
        hours.closes = time(18)
        hours.save()
    assert "opening hours" in refusal(room, day, 19, 21)["start"][0]


def test_removed_opening_hours_decide_the_next_request(room):
    day = working_day()
    request(room, day, 9, 11)
    OpeningHours.objects.filter(weekday=day.weekday()).delete()
    assert "opening hours" in refusal(room, day, 12, 14)["start"][0]


def test_a_holiday_opened_for_the_room_takes_requests_at_once(room):
    request(room, working_day(), 9, 11)  # the memo is warm
    today = timezone.localdate()
    holiday = next(
        today + timedelta(days=ahead)
        for ahead in range(3, 300)
        if is_holiday(today + timedelta(days=ahead))
    )
    assert "holiday" in refusal(room, holiday, 9, 11)["start"][0]
    HolidayOpening.objects.create(room=room, date=holiday)
    assert request(room, holiday, 9, 11).booking.status == "requested"


def test_a_room_edit_decides_the_next_request(room):
    day = working_day()
    request(room, day, 9, 11, attendees=10)
    Room.objects.filter(pk=room.pk).update(capacity=8)
    assert "at most 8" in refusal(room, day, 12, 14, attendees=10)["attendees"][0]


def test_new_house_rules_decide_the_next_request(room):
    day = working_day()
    request(room, day, 9, 10)
    HouseRules.objects.filter(pk=1).update(min_duration_minutes=120)
    assert "at least 120 minutes" in refusal(room, day, 12, 13)["end"][0]


def test_a_room_made_of_parts_is_checked_against_its_parts_at_once(room):
    day = working_day()
    other = make_room(slug="kabinetti", capacity=10)
    hall = make_room(slug="juhlasali", capacity=20)
    request(hall, day, 9, 11)  # a plain room so far: its own space only
    booking_staff_create(
        actor=None, room=other, start=at(day, 13), end=at(day, 15), title="Taken", attendees=2
    )
    room_parts_set(room=hall, parts=[room, other], actor=None)
    with pytest.raises(BookingConflict):
        request(hall, day, 13, 15)
