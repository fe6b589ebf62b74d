"""No public page shows another renter's details (SPEC §2.10)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bookings.models import Booking
from bookings.services import booking_approve
from tests.frontend.conftest import form_data

pytestmark = pytest.mark.django_db

MARKERS = ("Zyxwv Marker-Name", "zyxwv.marker@example.org", "+358 99 9876 5432", "Zyxwv ry")


def test_public_pages_never_show_another_renters_details(priced_room, day, staff_user):
    other = Client()
    response = other.post(
        f"/en/rooms/{priced_room.slug}/request/",
        form_data(
            day,
            contact_name=MARKERS[0],
            email=MARKERS[1],
            phone=MARKERS[2],
            organisation=MARKERS[3],
            title="Zyxwv secret event",
        ),
    )
    other_token = re.search(r"/request/([^/]+)/sent/", response["Location"]).group(1)
    booking_approve(booking=Booking.objects.get(), actor=staff_user)
    mine = Client().post(
        f"/en/rooms/{priced_room.slug}/request/",
        form_data(day, start_time="14:00", end_time="16:00"),
    )
    my_token = re.search(r"/request/([^/]+)/sent/", mine["Location"]).group(1)
    clash = Client().post(
        f"/en/rooms/{priced_room.slug}/request/", form_data(day, start_time="10:00")
    )
    pages = [
        Client().get(path).content.decode()
        for path in (
            "/",
            "/en/",
            f"/en/rooms/{priced_room.slug}/",
            f"/en/rooms/{priced_room.slug}/?week={day.isoformat()}",
            f"/en/rooms/{priced_room.slug}/request/",
            f"/en/request/{my_token}/",
            f"/en/request/{my_token}/sent/",
            "/en/terms/",
            "/en/privacy/",
        )
    ] + [clash.content.decode()]
    assert "Zyxwv" in Client().get(f"/en/request/{other_token}/").content.decode()
    for page in pages:
        for marker in (*MARKERS, "Zyxwv"):
            assert marker not in page
