"""Bad input is a 4xx with a clear message, never a 500: far years, skipped local times,
deep or large JSON bodies."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bookings.models import Booking
from bookings.schedule import HELSINKI
from bookings.services import booking_request_create, closure_create
from tests.factories import renter

pytestmark = pytest.mark.django_db

FAR_DAYS = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]
FAR_MOMENTS = ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01T00:00:00+14:00"]


def next_last_sunday(month: int) -> date:
    """The next last Sunday of the month (March: clocks forward; October: back) at
    least a week ahead of the test's clock."""
    today = timezone.localdate()
    year = today.year
    while True:
        last = date(year, month + 1, 1) - timedelta(days=1)
        sunday = last - timedelta(days=(last.weekday() - 6) % 7)
        if sunday > today + timedelta(days=7):
            return sunday
        year += 1


@pytest.fixture
def staff_api(api_client, staff_user):
    token = Token.objects.create(user=staff_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def post(client, url: str, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **headers)


@pytest.mark.parametrize("day", FAR_DAYS)
def test_availability_of_a_far_year_is_a_400(api_client, world, day):
    response = api_client.get(f"/api/v1/rooms/{world.room.slug}/availability/?start={day}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "2000" in response.json()["errors"]["start"][0]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_room_week_of_a_far_year_is_a_400(client, world, day):
    assert client.get(f"/en/rooms/{world.room.slug}/?week={day}").status_code == 400


@pytest.mark.parametrize("page", ["/en/staff/calendar/", "/en/staff/calendar/day/"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_staff_calendars_of_a_far_year_are_a_400(client, world, staff_user, page, day):
    client.force_login(staff_user)
    assert client.get(f"{page}?date={day}").status_code == 400


@pytest.mark.parametrize("moment", FAR_MOMENTS)
def test_every_api_time_of_a_far_year_is_a_400(api_client, staff_api, world, moment):
    later = "2027-01-01T10:00:00"
    public = {"room": world.room.slug, "start": moment, "end": later, "title": "x"}
    quote = {"room": world.room.slug, "start": moment, "end": later}
    answers = [
        post(api_client, "/api/v1/booking-requests/", public),
        post(api_client, "/api/v1/quotes/", quote),
        post(staff_api, "/api/v1/bookings/", {**public, "attendees": 1}),
        post(staff_api, "/api/v1/closures/", {"start": moment, "end": later, "whole_house": True}),
        staff_api.patch(
            f"/api/v1/bookings/{world.request.pk}/",
            json.dumps({"start": moment}),
            content_type="application/json",
        ),
    ]
    for response in answers:
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid"


def test_a_body_nested_100000_deep_is_a_json_400(api_client, world):
    response = post(api_client, "/api/v1/booking-requests/", "[" * 100_000)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_body_of_three_megabytes_is_a_json_413(api_client, world):
    body = json.dumps({"title": "x" * 3_000_000})
    response = post(api_client, "/api/v1/booking-requests/", body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_large"


def test_a_broken_json_body_is_explained_in_the_clients_language(api_client, world):
    finnish = post(api_client, "/api/v1/booking-requests/", '{"room": ', HTTP_ACCEPT_LANGUAGE="fi")
    swedish = post(api_client, "/api/v1/booking-requests/", '{"room": ', HTTP_ACCEPT_LANGUAGE="sv")
    assert finnish.status_code == swedish.status_code == 400
    assert "JSON" in finnish.json()["message"] and "rivi 1" in finnish.json()["message"]
    assert "rad 1" in swedish.json()["message"]


# --- The spring gap and the autumn repeat ------------------------------------------------


def test_staff_booking_at_a_skipped_local_time_is_refused_not_shifted(staff_api, world):
    sunday = next_last_sunday(3)
    body = {
        "room": world.room.slug,
        "start": f"{sunday}T03:30:00",
        "end": f"{sunday}T05:00:00",
        "title": "Yökoulutus",
        "attendees": 3,
        "override_reason": "Yövuoro",
    }
    response = post(staff_api, "/api/v1/bookings/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "03:00 to 04:00" in response.json()["errors"]["start"][0]
    assert not Booking.objects.filter(title="Yökoulutus").exists()


def test_an_ambiguous_autumn_time_means_its_first_instant(staff_api, world):
    sunday = next_last_sunday(10)
    body = {
        "room": world.room.slug,
        "start": f"{sunday}T03:30:00",
        "end": f"{sunday}T05:00:00",
        "title": "Yökoulutus",
        "attendees": 3,
        "override_reason": "Yövuoro",
    }
    response = post(staff_api, "/api/v1/bookings/", body)
    assert response.status_code == 201, response.content
    booking = Booking.objects.get(title="Yökoulutus")
    assert booking.start == datetime.combine(sunday, time(0, 30), tzinfo=UTC)  # +03:00


def test_a_request_form_at_a_skipped_time_is_refused(client, world):
    from tests.frontend.conftest import form_data

    sunday = next_last_sunday(3)
    data = form_data(sunday, start_time="03:30", end_time="05:00")
    response = client.post(f"/en/rooms/{world.room.slug}/request/", data)
    assert response.status_code == 400
    assert "03:00 to 04:00" in response.content.decode()


def test_the_services_refuse_a_skipped_time_on_every_path(world):
    sunday = next_last_sunday(3)
    start = datetime.combine(sunday, time(3, 30), tzinfo=HELSINKI)
    with pytest.raises(ValidationError, match="03:00 to 04:00"):
        booking_request_create(
            room=world.room,
            start=start,
            end=start + timedelta(hours=2),
            title="Yö",
            attendees=2,
            renter=renter(),
            accept_terms=True,
        )
    with pytest.raises(ValidationError, match="03:00 to 04:00"):
        closure_create(
            actor=None,
            rooms=[world.room],
            start=start,
            end=start + timedelta(hours=2),
            reason="cleaning",
        )
