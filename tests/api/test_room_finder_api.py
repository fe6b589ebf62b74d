"""The room finder and clash alternatives in the API (SPEC §3.6)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.memo import memos_clear
from bookings.services import booking_staff_create
from tests.api.test_contract import request_body
from tests.factories import at, make_room, working_day

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return [room["slug"] for room in response.json()["results"]]


def find(client, day, start="13:00", end="16:00", **params):
    query = {"free_start": f"{day}T{start}", "free_end": f"{day}T{end}", **params}
    return client.get("/api/v1/rooms/", query)


@pytest.fixture
def house(hours, staff_user):
    rooms = {
        "pieni": make_room(slug="pieni", capacity=6, has_projector=True),
        "keski": make_room(slug="keski", capacity=20, has_projector=True, has_screen=True),
        "iso": make_room(slug="iso", capacity=60, has_projector=True, has_screen=True),
        "tyhja": make_room(slug="tyhja", capacity=40),
    }
    day = working_day()
    booking_staff_create(
        actor=staff_user,
        room=rooms["keski"],
        start=at(day, 12),
        end=at(day, 14),
        title="Varattu",
        attendees=5,
    )
    return rooms, day


def test_only_the_rooms_that_fit_and_are_free_come_smallest_first(api_client, house):
    _rooms, day = house
    response = find(api_client, day, attendees=10, equipment="projector,screen")
    assert response.status_code == 200
    assert slugs(response) == ["iso"]
    assert slugs(find(api_client, day, attendees=5)) == ["pieni", "tyhja", "iso"]
    assert slugs(find(api_client, day, "14:30", "16:00", attendees=10)) == ["keski", "tyhja", "iso"]


def test_without_a_time_the_rooms_are_filtered_by_capacity_and_equipment(api_client, house):
    response = api_client.get("/api/v1/rooms/", {"attendees": 30, "equipment": "projector"})
    assert slugs(response) == ["iso"]
    assert len(api_client.get("/api/v1/rooms/").json()["results"]) == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"free_start": "tomorrow"}, "free_start"),
        ({"free_end": None}, "free_end"),
        ({"free_end": "2027-01-01T00:00"}, "free_end"),
        ({"attendees": "0"}, "attendees"),
        ({"attendees": "many"}, "attendees"),
        ({"equipment": "projector,piano"}, "equipment"),
        ({"free_start": "1999-01-01T10:00", "free_end": "1999-01-01T12:00"}, "free_start"),
        ({"free_start": "2090-01-01T10:00", "free_end": "2090-01-01T12:00"}, "free_start"),
        ({"free_start": "9999-12-31T10:00", "free_end": "9999-12-31T12:00"}, "free_start"),
        ({"free_start": "0001-01-01T00:00", "free_end": "0001-01-01T02:00"}, "free_start"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_field(api_client, house, params, field):
    _rooms, day = house
    query = {"free_start": f"{day}T13:00", "free_end": f"{day}T16:00", **params}
    query = {name: value for name, value in query.items() if value is not None}
    response = api_client.get("/api/v1/rooms/", query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]


def test_the_finder_reads_the_same_queries_for_few_rooms_and_many(api_client, hours):
    day = working_day()
    for number in range(2):
        make_room(capacity=10 + number)
    memos_clear()  # both counts with the house's schedule read afresh
    with CaptureQueriesContext(connection) as few:
        find(api_client, day)
    for number in range(18):
        make_room(capacity=20 + number)
    memos_clear()
    with CaptureQueriesContext(connection) as many:
        response = find(api_client, day)
    assert len(response.json()["results"]) == 20
    assert len(many) == len(few)


def test_a_clash_answers_409_with_other_rooms_and_other_times(api_client, world):
    # world.hall is approved 14–16; its halves hold the same space, the plain room is free.
    body = request_body(
        world,
        room=world.hall.slug,
        start=f"{world.day}T15:00:00",
        end=f"{world.day}T17:00:00",
        attendees=10,
    )
    response = api_client.post(
        "/api/v1/booking-requests/", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 409
    alternatives = response.json()["alternatives"]
    assert alternatives["rooms"] == ["kokoushuone"]
    times = alternatives["times"]
    assert 1 <= len(times) <= 6
    after = [time for time in times if time["start"] > f"{world.day}T15:00"]
    # 14–16 holds the hall until 16.15; a 2-hour request needs its own 15 minutes before.
    assert after[0]["start"].startswith(f"{world.day}T16:30:00")
    assert after[0]["end"].startswith(f"{world.day}T18:30:00")


def test_the_409_alternatives_are_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/booking-requests/"]["post"]
    conflict = operation["responses"]["409"]["content"]["application/json"]["schema"]
    name = conflict["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][name]["properties"]
    assert "alternatives" in properties
    listed = schema["paths"]["/api/v1/rooms/"]["get"]["parameters"]
    assert {"free_start", "free_end", "attendees", "equipment"} <= {p["name"] for p in listed}
