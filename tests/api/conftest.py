from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from bookings.services import booking_approve, booking_request_create
from tests.factories import at, make_extra, make_room, renter, working_day


@dataclass
class World:
    """A small house: a plain room, a hall with two halves, two competing requests."""

    room: object
    hall: object
    request: object
    competitor: object
    approved: object
    status_token: str
    day: object


@pytest.fixture
def world(hours) -> World:
    room = make_room(slug="kokoushuone", capacity=12)
    east = make_room(slug="itainen", capacity=40)
    west = make_room(slug="lantinen", capacity=40)
    hall = make_room(slug="juhlasali", capacity=80, parts=[east, west])
    day = working_day(repeats=8)  # weekly series from it meet no holiday
    make_extra("coffee")

    def ask(target, start, end, **fields):
        return booking_request_create(
            room=target,
            start=at(day, start),
            end=at(day, end),
            title=fields.pop("title", "Kokous"),
            attendees=5,
            renter=renter(**fields),
            accept_terms=True,
        )

    first = ask(room, 10, 12)
    competitor = ask(room, 11, 13, title="Kilpaileva")
    approved = ask(hall, 14, 16, title="Hyväksytty")
    booking_approve(booking=approved.booking, actor=None)
    return World(
        room, hall, first.booking, competitor.booking, approved.booking, first.status_token, day
    )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def as_persona(api_client, staff_user, accounting_user, admin_user_):
    """A client acting as one of: anonymous, renter, staff, accounting, admin."""

    def client_for(persona: str) -> APIClient:
        users = {"staff": staff_user, "accounting": accounting_user, "admin": admin_user_}
        client = APIClient()
        if persona in users:
            client.force_authenticate(users[persona])
        return client

    return client_for
