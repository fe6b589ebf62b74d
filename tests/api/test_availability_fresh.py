"""Availability answers are remembered per schedule stamp (bookings.availability): a
repeated read costs one query, and every change a renter could notice shows at once."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import HolidayOpening, OpeningHours
from bookings.schedule import is_holiday
from bookings.services import booking_approve, booking_cancel, closure_create
from tests.factories import at

pytestmark = pytest.mark.django_db


def availability(client, room, first, last=None):
    response = client.get(
        f"/api/v1/rooms/{room.slug}/availability/",
        {"start": str(first), "end": str(last or first)},
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_repeated_read_is_one_query_and_the_same_answer(api_client, world):
    first = availability(api_client, world.room, world.day)
    with CaptureQueriesContext(connection) as queries:
        again = availability(api_client, world.room, world.day)
    assert again == first
    assert len(queries) == 1


def test_an_approval_shows_at_once(api_client, world):
    assert [busy["status"] for busy in availability(api_client, world.room, world.day)["busy"]] == [
        "requested",
        "requested",
    ]
    booking_approve(booking=world.request, actor=None)
    statuses = [busy["status"] for busy in availability(api_client, world.room, world.day)["busy"]]
    assert statuses == ["approved", "requested"]


def test_a_cancellation_frees_the_time_at_once(api_client, world):
    hall_busy = availability(api_client, world.hall, world.day)["busy"]
    assert [busy["status"] for busy in hall_busy] == ["approved"]
    booking_cancel(booking=world.approved, actor=None)
    assert availability(api_client, world.hall, world.day)["busy"] == []


def test_a_closure_shows_as_closed_and_shortens_the_open_time(api_client, world):
    before = availability(api_client, world.room, world.day)
    closure_create(
        actor=None,
        rooms=[world.room],
        start=at(world.day, 19),
        end=at(world.day, 22),
        reason="cleaning",
    )
    after = availability(api_client, world.room, world.day)
    assert "closed" in [busy["status"] for busy in after["busy"]]
    assert after["open"][-1]["end"] < before["open"][-1]["end"]


def test_edited_opening_hours_show_at_once(api_client, world):
    before = availability(api_client, world.room, world.day)
    assert before["open"][0]["start"].startswith(f"{world.day}T07:00")
    for hours in OpeningHours.objects.filter(weekday=world.day.weekday()):
        hours.opens = time(9)
        hours.save()
    after = availability(api_client, world.room, world.day)
    assert after["open"][0]["start"].startswith(f"{world.day}T09:00")


def test_removed_opening_hours_show_at_once(api_client, world):
    assert availability(api_client, world.room, world.day)["open"]
    OpeningHours.objects.filter(weekday=world.day.weekday()).delete()
    assert availability(api_client, world.room, world.day)["open"] == []


def test_a_holiday_opened_and_closed_again_shows_at_once(api_client, world):
    holiday = next(
        world.day + timedelta(days=n) for n in range(400) if is_holiday(world.day + timedelta(n))
    )
    assert availability(api_client, world.room, holiday)["open"] == []
    opening = HolidayOpening.objects.create(room=world.room, date=holiday)
    assert availability(api_client, world.room, holiday)["open"]
    opening.delete()
    assert availability(api_client, world.room, holiday)["open"] == []


def test_a_room_taken_off_the_public_site_is_404_at_once(api_client, world):
    availability(api_client, world.room, world.day)
    world.room.is_public = False
    world.room.save()
    response = api_client.get(
        f"/api/v1/rooms/{world.room.slug}/availability/",
        {"start": str(world.day), "end": str(world.day)},
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_staff_still_see_a_hidden_room(as_persona, world):
    world.room.is_public = False
    world.room.save()
    assert availability(as_persona("staff"), world.room, world.day)["busy"]
