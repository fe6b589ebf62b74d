"""The request form tells every problem in one pass (issue 14, part 3): the fields the
form reads, the booking rules the service would refuse, and the clash with its
alternatives, in the error summary (linked to the fields) and beside each field."""

from __future__ import annotations

import re

import pytest

from bookings.models import Booking
from bookings.services import booking_staff_create
from tests.factories import at
from tests.frontend.conftest import form_data

pytestmark = pytest.mark.django_db


def summary(page: str) -> list[str]:
    block = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    return re.findall(r'<a href="#(id_\w+)"[^>]*>([^<]*)</a>', block)


def test_an_empty_form_names_each_missing_field(client, priced_room):
    page = client.post(f"/en/rooms/{priced_room.slug}/request/", {}).content.decode()
    lines = summary(page)
    texts = [text for _id, text in lines]
    assert len(set(texts)) == len(texts)  # no two identical lines
    for field_id, label in [
        ("id_date", "Date"),
        ("id_title", "Event title"),
        ("id_attendees", "Number of attendees"),
        ("id_email", "E-mail"),
    ]:
        assert (field_id, f"Fill in: {label}.") in lines
    assert any(field_id == "id_accept_terms" for field_id, _text in lines)
    assert "This field is required." not in page


def test_capacity_business_id_terms_and_the_clash_come_at_once(
    client, priced_room, staff_user, day
):
    booking_staff_create(
        room=priced_room, start=at(day, 10), end=at(day, 12), title="Oma", attendees=2,
        actor=staff_user,
    )  # fmt: skip
    data = form_data(day, attendees="40", business_id="1234567-8", accept_terms=None)
    response = client.post(f"/en/rooms/{priced_room.slug}/request/", data)

    assert response.status_code == 400
    page = response.content.decode()
    fields = {field_id for field_id, _text in summary(page)}
    assert {"id_attendees", "id_business_id", "id_accept_terms", "id_start_time"} <= fields
    assert "The room takes at most 12 people." in page
    assert "The time clashes with:" in page  # the clash and its alternatives too
    assert Booking.objects.count() == 1


def test_a_missing_field_does_not_hide_the_clash(client, priced_room, staff_user, day):
    booking_staff_create(
        room=priced_room, start=at(day, 10), end=at(day, 12), title="Oma", attendees=2,
        actor=staff_user,
    )  # fmt: skip
    page = client.post(
        f"/en/rooms/{priced_room.slug}/request/", form_data(day, email="")
    ).content.decode()
    fields = {field_id for field_id, _text in summary(page)}
    assert {"id_email", "id_start_time"} <= fields
    assert "The time clashes with:" in page
