"""The staff API's recurring bookings (`recurrence` on POST bookings/) and emergency
closures (`cancel_clashing` on POST closures/)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bookings.models import Booking, BookingStatus, Closure
from tests.factories import at

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def staff_booking(world, **overrides) -> dict:
    body = {
        "room": world.room.slug,
        "start": f"{world.day}T07:00:00",
        "end": f"{world.day}T08:00:00",
        "title": "Viikkopalaveri",
        "attendees": 4,
        "renter": {
            "organisation": "Testi ry",
            "contact_name": "Testi Henkilö",
            "email": "testi@example.org",
        },
        "extras": [{"code": "coffee", "quantity": 4}],
    }
    body.update(overrides)
    return body


def test_staff_book_a_weekly_series_with_extras(as_persona, world):
    client = as_persona("staff")
    answer = post(
        client,
        "/api/v1/bookings/",
        staff_booking(world, recurrence={"count": 3}),
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "approved" and body["series_id"]
    assert [item["free"] for item in body["occurrences"]] == [True, True, True]
    dates = Booking.objects.filter(series_id=body["series_id"]).order_by("start")
    assert [b.start for b in dates] == [at(world.day + timedelta(weeks=n), 7) for n in range(3)]
    assert all(b.extras == [{"code": "coffee", "quantity": 4}] for b in dates)


def test_a_staff_series_over_a_taken_date_is_409_with_every_date(as_persona, world):
    client = as_persona("staff")
    answer = post(
        client,
        "/api/v1/bookings/",
        staff_booking(
            world,
            room=world.hall.slug,
            start=f"{world.day}T15:00:00",
            end=f"{world.day}T16:00:00",
            recurrence={"count": 2},
        ),
    )
    assert answer.status_code == 409
    body = answer.json()
    assert [item["free"] for item in body["occurrences"]] == [False, True]
    assert body["clashes"][0]["booking_id"] == world.approved.pk  # staff see which
    assert not Booking.objects.filter(title="Viikkopalaveri").exists()


def test_a_bad_recurrence_is_400_and_books_nothing(as_persona, world):
    answer = post(
        as_persona("staff"),
        "/api/v1/bookings/",
        staff_booking(world, recurrence={"count": 3, "until": str(world.day)}),
    )
    assert answer.status_code == 400
    assert not Booking.objects.filter(title="Viikkopalaveri").exists()


def closure_body(world, **overrides) -> dict:
    body = {
        "whole_house": True,
        "start": f"{world.day}T08:00:00",
        "end": f"{world.day}T20:00:00",
        "reason": "other",
        "note": "Vesivahinko",
    }
    body.update(overrides)
    return body


def test_a_closure_over_approved_bookings_is_refused_without_cancel_clashing(as_persona, world):
    answer = post(as_persona("staff"), "/api/v1/closures/", closure_body(world))
    assert answer.status_code == 409
    assert answer.json()["clashes"][0]["booking_id"] == world.approved.pk
    assert not Closure.objects.exists()


def test_cancel_clashing_closes_and_cancels_in_one_call(as_persona, world):
    answer = post(
        as_persona("staff"), "/api/v1/closures/", closure_body(world, cancel_clashing=True)
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["cancelled_bookings"] == [world.approved.pk]
    world.approved.refresh_from_db()
    assert world.approved.status == BookingStatus.CANCELLED
    world.request.refresh_from_db()
    assert world.request.status == BookingStatus.REQUESTED


def test_accounting_cannot_close_even_with_cancel_clashing(as_persona, world):
    answer = post(
        as_persona("accounting"), "/api/v1/closures/", closure_body(world, cancel_clashing=True)
    )
    assert answer.status_code == 403
    world.approved.refresh_from_db()
    assert world.approved.status == BookingStatus.APPROVED
