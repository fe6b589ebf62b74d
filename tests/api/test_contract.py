"""The API contract of SPEC §3.4: status codes, fields and error bodies."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from tests.factories import at, make_room, working_days

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def request_body(world, **overrides):
    body = {
        "room": world.room.slug,
        "start": f"{world.day}T17:00:00",
        "end": f"{world.day}T18:30:00",
        "title": "Vanhempainilta",
        "attendees": 10,
        "organisation": "Turun Perhetyö ry",
        "business_id": "2331972-7",
        "contact_name": "Maija Meikäläinen",
        "email": "maija@example.org",
        "phone": "+358 40 123 4567",
        "billing_address": "Esimerkkikatu 1, 20100 Turku",
        "e_invoice_address": "",
        "e_invoice_operator": "",
        "buyer_reference": "PO-17",
        "extras": [{"code": "coffee", "quantity": 10}],
        "message": "Tarvitsemme videotykin.",
        "language": "fi",
        "accept_terms": True,
    }
    body.update(overrides)
    return body


def test_room_list_shows_public_rooms_with_rules_and_equipment(api_client, world):
    make_room(slug="hidden", is_public=False)
    response = api_client.get("/api/v1/rooms/")
    assert response.status_code == 200
    rooms = {room["slug"]: room for room in response.json()["results"]}
    assert "hidden" not in rooms
    hall = rooms["juhlasali"]
    assert hall["parts"] == ["itainen", "lantinen"]
    assert hall["rules"]["slot_minutes"] == 30
    assert set(hall["equipment"]) == {"projector", "screen", "hybrid_meeting_kit", "kitchen"}
    assert "is_public" not in hall


def test_staff_see_hidden_rooms_and_settings(as_persona, world):
    make_room(slug="hidden", is_public=False)
    rooms = as_persona("staff").get("/api/v1/rooms/").json()["results"]
    hidden = next(room for room in rooms if room["slug"] == "hidden")
    assert hidden["is_public"] is False and hidden["setup_buffer_minutes"] == 15


def test_hidden_room_is_404_for_the_public(api_client, world):
    make_room(slug="hidden", is_public=False)
    response = api_client.get("/api/v1/rooms/hidden/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_availability_has_the_contract_shape_and_local_offsets(api_client, world):
    response = api_client.get(
        f"/api/v1/rooms/{world.room.slug}/availability/",
        {"start": str(world.day), "end": str(world.day)},
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"room", "timezone", "open", "busy"}
    assert body["timezone"] == "Europe/Helsinki"
    assert body["open"][0]["start"].endswith(("+02:00", "+03:00"))
    assert [busy["status"] for busy in body["busy"]] == ["requested", "requested"]
    assert set(body["busy"][0]) == {"start", "end", "status"}


@pytest.mark.parametrize(
    "query",
    [
        {"start": "not-a-date"},
        {"start": "2027-01-10", "end": "2027-01-01"},
        {"start": "2027-01-01", "end": "2027-12-31"},
        {"other": "1"},
    ],
)
def test_bad_availability_queries_are_400_with_field_errors(api_client, world, query):
    response = api_client.get(f"/api/v1/rooms/{world.room.slug}/availability/", query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["errors"]


def test_booking_request_answers_201_with_id_status_and_status_url(api_client, world):
    response = post(api_client, "/api/v1/booking-requests/", request_body(world))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "status", "status_url"}
    assert body["status"] == "requested"
    assert body["status_url"].startswith("http") and "/request/" in body["status_url"]
    booking = Booking.objects.get(pk=body["id"])
    assert booking.extras == [{"code": "coffee", "quantity": 10}]
    assert booking.start == at(world.day, 17)  # "17:00" without an offset is Helsinki time


def test_status_url_gives_the_renter_their_request_and_lets_them_cancel(api_client, world):
    created = post(api_client, "/api/v1/booking-requests/", request_body(world)).json()
    token = created["status_url"].rstrip("/").rsplit("/", 1)[1]

    mine = api_client.get(f"/api/v1/booking-requests/{token}/").json()
    assert [item["id"] for item in mine] == [created["id"]]

    cancelled = post(api_client, f"/api/v1/booking-requests/{token}/cancel/", {"reason": "Sairas"})
    assert cancelled.status_code == 200 and cancelled.json()[0]["status"] == "cancelled"


@pytest.mark.django_db(transaction=True)  # each service commits, as in production
def test_cancelling_a_series_by_its_status_url_cancels_every_date_with_one_email(
    api_client, world, mailoutbox
):
    body = request_body(
        world, start=f"{world.day}T08:00:00", end=f"{world.day}T09:00:00", recurrence={"count": 3}
    )
    created = post(api_client, "/api/v1/booking-requests/", body).json()
    token = created["status_url"].rstrip("/").rsplit("/", 1)[1]
    mailoutbox.clear()

    cancelled = post(
        api_client, f"/api/v1/booking-requests/{token}/cancel/", {"reason": "Ei tarvita"}
    )

    assert [item["status"] for item in cancelled.json()] == ["cancelled"] * 3
    to_renter = [message for message in mailoutbox if message.to == ["maija@example.org"]]
    assert len(to_renter) == 1


def test_clash_with_an_approved_booking_is_409_with_times_only_for_the_public(api_client, world):
    hall_body = request_body(
        world, room=world.hall.slug, start=f"{world.day}T15:00:00", end=f"{world.day}T17:00:00"
    )
    response = post(api_client, "/api/v1/booking-requests/", hall_body)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    approved = world.approved
    assert body["clashes"] == [
        {
            "start": timezone.localtime(approved.blocked_start).isoformat(),
            "end": timezone.localtime(approved.blocked_end).isoformat(),
            "status": "approved",
        }
    ]
    assert "Hyväksytty" not in response.content.decode()


def test_staff_clash_names_the_other_booking(as_persona, world):
    client = as_persona("staff")
    assert post(client, f"/api/v1/bookings/{world.request.pk}/approve/", {}).status_code == 200
    response = post(client, f"/api/v1/bookings/{world.competitor.pk}/approve/", {})
    assert response.status_code == 409
    (clash,) = response.json()["clashes"]
    assert clash["booking_id"] == world.request.pk and clash["title"] == "Kokous"


def test_deciding_an_already_decided_booking_is_409_state_conflict(as_persona, world):
    client = as_persona("staff")
    post(client, f"/api/v1/bookings/{world.request.pk}/reject/", {"reason": "Ei"})
    response = post(client, f"/api/v1/bookings/{world.request.pk}/approve/", {})
    assert response.status_code == 409
    assert response.json()["code"] == "state_conflict"
    assert response.json()["current_status"] == "rejected"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"attendees": "many"}, "attendees"),
        ({"attendees": 13}, "attendees"),
        ({"start": "tomorrow"}, "start"),
        ({"email": "nope"}, "email"),
        ({"business_id": "1234567-8"}, "business_id"),
        ({"room": "no-such-room"}, "room"),
        ({"accept_terms": False}, "accept_terms"),
        ({"surprise": 1}, "surprise"),
        ({"extras": [{"code": "coffee", "quantity": -1}]}, "extras"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_booking_requests_are_400_naming_the_field(api_client, world, change, field):
    before = Booking.objects.count()
    response = post(api_client, "/api/v1/booking-requests/", request_body(world, **change))
    assert response.status_code == 400, response.content
    assert any(name.split(".")[0] == field for name in response.json()["errors"])
    assert Booking.objects.count() == before


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "{not json", "null"])
def test_malformed_json_is_a_400_not_a_500(api_client, world, payload):
    response = api_client.post(
        "/api/v1/booking-requests/", data=payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid", "parse_error"}


def test_series_request_lists_each_date_and_409_when_one_clashes(api_client, world):
    week_later = world.day + timedelta(days=7)
    body = request_body(
        world,
        start=f"{world.day}T11:00:00",
        end=f"{world.day}T12:00:00",
        recurrence={"count": 3},
    )
    as_staff_blocker = post(api_client, "/api/v1/booking-requests/", body)
    assert as_staff_blocker.status_code == 201
    assert [item["free"] for item in as_staff_blocker.json()["occurrences"]] == [True] * 3

    blocked = request_body(
        world,
        room=world.hall.slug,
        start=f"{world.day}T15:00:00",
        end=f"{world.day}T16:00:00",
        recurrence={"until": str(week_later)},
    )
    response = post(api_client, "/api/v1/booking-requests/", blocked)
    assert response.status_code == 409
    assert [item["free"] for item in response.json()["occurrences"]] == [False, True]


def test_language_of_errors_follows_accept_language(api_client, world):
    english = post(api_client, "/api/v1/booking-requests/", {}, HTTP_ACCEPT_LANGUAGE="en")
    finnish = post(api_client, "/api/v1/booking-requests/", {}, HTTP_ACCEPT_LANGUAGE="fi")
    assert english.json()["message"] == "Check the highlighted fields."
    assert finnish.json()["message"] != english.json()["message"]


def test_staff_create_move_and_cancel_through_the_api(as_persona, world):
    client = as_persona("staff")
    created = post(
        client,
        "/api/v1/bookings/",
        {
            "room": world.room.slug,
            "start": f"{world.day}T07:00:00",
            "end": f"{world.day}T08:00:00",
            "title": "Siivous",
            "attendees": 1,
        },
    )
    assert created.status_code == 201 and created.json()["status"] == "approved"
    booking = created.json()

    stale = client.patch(
        f"/api/v1/bookings/{booking['id']}/",
        data=json.dumps(
            {"start": f"{world.day}T20:00:00", "end": f"{world.day}T21:00:00", "sequence": 5}
        ),
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"

    clash = client.patch(
        f"/api/v1/bookings/{booking['id']}/",
        data=json.dumps(
            {
                "room": world.hall.slug,
                "start": f"{world.day}T14:00:00",
                "end": f"{world.day}T15:00:00",
            }
        ),
        content_type="application/json",
    )
    assert (
        clash.status_code == 409 and clash.json()["clashes"][0]["booking_id"] == world.approved.pk
    )

    moved = client.patch(
        f"/api/v1/bookings/{booking['id']}/",
        data=json.dumps(
            {"start": f"{world.day}T20:00:00", "end": f"{world.day}T21:00:00", "sequence": 0}
        ),
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == timezone.localtime(at(world.day, 20)).isoformat()

    cancelled = post(client, f"/api/v1/bookings/{booking['id']}/cancel/", {"reason": "Turha"})
    assert cancelled.json()[0]["status"] == "cancelled"


def test_booking_filters(as_persona, world):
    client = as_persona("accounting")
    by_status = client.get("/api/v1/bookings/", {"status": "approved"}).json()
    assert [item["id"] for item in by_status["results"]] == [world.approved.pk]
    by_room = client.get("/api/v1/bookings/", {"room": world.room.slug}).json()
    assert {item["id"] for item in by_room["results"]} == {world.request.pk, world.competitor.pk}
    in_range = client.get(
        "/api/v1/bookings/",
        {
            "start": f"{world.day}T12:30:00",
            "end": f"{world.day}T14:30:00",
        },
    ).json()
    assert {item["id"] for item in in_range["results"]} == {world.competitor.pk, world.approved.pk}
    by_customer = client.get("/api/v1/bookings/", {"customer": world.request.customer_id}).json()
    assert by_customer["count"] == 3


def test_token_authentication_for_integrations(api_client, world, staff_user):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=staff_user)
    denied = api_client.get("/api/v1/bookings/")
    assert denied.status_code == 401 and denied["WWW-Authenticate"].startswith("Token")
    allowed = api_client.get("/api/v1/bookings/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert allowed.status_code == 200
    wrong = api_client.get("/api/v1/bookings/", HTTP_AUTHORIZATION="Token wrong")
    assert wrong.status_code == 401 and wrong.json()["code"] == "authentication_failed"


def test_public_writes_are_throttled_per_address(api_client, world, settings):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "public_write": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from bookings.api.views import PublicWriteThrottle

    PublicWriteThrottle.THROTTLE_RATES = rates
    try:
        codes = [post(api_client, "/api/v1/booking-requests/", {}).status_code for _ in range(3)]
    finally:
        PublicWriteThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [400, 400, 429]
    assert Booking.objects.filter(status=BookingStatus.REQUESTED).count() == 2


@pytest.mark.parametrize(
    ("url", "persona", "make"),
    [
        ("/api/v1/rooms/", "anonymous", lambda i: make_room(slug=f"extra-{i}")),
        ("/api/v1/bookings/", "staff", None),
        ("/api/v1/customers/", "staff", None),
        ("/api/v1/closures/", "staff", None),
    ],
)
def test_lists_use_the_same_number_of_queries_at_any_page_size(
    as_persona, world, url, persona, make
):
    from bookings.models import ClosureReason
    from bookings.services import booking_staff_create, closure_create
    from tests.factories import renter

    for index, day in enumerate(working_days(12)):
        if make:
            make(index)
        booking_staff_create(
            actor=None,
            room=world.room,
            start=at(day, 9),
            end=at(day, 10),
            title=f"#{index}",
            attendees=1,
            renter=renter(organisation=f"Org {index}", email=f"o{index}@example.org"),
        )
        closure_create(
            actor=None,
            start=at(day, 20),
            end=at(day, 21),
            reason=ClosureReason.CLEANING,
            rooms=[world.room, world.hall],
        )
    client = as_persona(persona)

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"page_size": page_size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(page_size, response.json()["count"])
        return len(captured)

    assert queries(2) == queries(10)


@pytest.mark.parametrize("customer", ["-1.7976931348623157e+308", "1e400", "0.5", "abc"])
def test_absurd_customer_filters_are_400_not_500(as_persona, world, customer):
    response = as_persona("staff").get("/api/v1/bookings/", {"customer": customer})
    assert response.status_code == 400
    assert "customer" in response.json()["errors"]


@pytest.mark.parametrize(
    "moment",
    ["0143-01-26T17:53:11-20:42", "0001-01-01T00:00:00-23:59", "9999-12-31T23:59:59+23:59"],
)
@pytest.mark.parametrize("url", ["/api/v1/bookings/", "/api/v1/closures/"])
def test_absurd_times_in_filters_are_400_not_500(as_persona, world, url, moment):
    response = as_persona("staff").get(url, {"start": moment})
    assert response.status_code == 400
    assert "start" in response.json()["errors"]
