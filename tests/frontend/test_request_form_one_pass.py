"""The request form tells every problem in one pass (issue 14, part 3): the fields the
form reads, the booking rules the service would refuse, and the clash with its
alternatives, in the error summary (linked to the fields) and beside each field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bookings.models import Booking
from bookings.schedule import is_holiday
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
    ]:
        assert (field_id, f"Fill in: {label}.") in lines
    # What every renter must give is the booking service's rule, told in its words.
    assert ("id_email", "E-mail: Needed when the booking has a renter.") in lines
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


def test_a_weekly_series_on_chosen_weekdays(client, priced_room, day):
    # A second weekday whose two dates are no public holiday, whatever day the tests run.
    later = next(
        offset
        for offset in range(1, 7)
        if not any(is_holiday(day + timedelta(days=offset + week)) for week in (0, 7))
    )
    data = form_data(day, repeat="weekly", count="4")
    data["weekdays"] = [str(day.weekday()), str((day.weekday() + later) % 7)]
    response = client.post(f"/en/rooms/{priced_room.slug}/request/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    weekdays = {booking.start.astimezone().weekday() for booking in Booking.objects.all()}
    assert Booking.objects.count() == 4 and len(weekdays) == 2


def test_a_private_persons_organisation_fields_are_ignored(client, priced_room, day):
    data = form_data(
        day, renter_kind="person", business_id="not an id", e_invoice_address="003712345678"
    )
    response = client.post(f"/en/rooms/{priced_room.slug}/request/", data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.business_id, booking.e_invoice_address) == ("", "")


def test_extras_are_offered_with_their_price_and_unit(client, priced_room, day):
    from decimal import Decimal

    from invoicing.models import Extra, ExtraPricing

    Extra.objects.create(
        code="coffee", name_fi="Kahvi", name_en="Coffee service", pricing=ExtraPricing.PERSON,
        price=Decimal("4.80"),
    )  # fmt: skip
    page = client.get(f"/en/rooms/{priced_room.slug}/request/").content.decode()
    assert "Coffee service (4.80 € a person)" in page
