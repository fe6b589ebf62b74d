"""`POST /api/v1/quotes/` (SPEC §2.6, §3.4): anyone prices a room, a time and extras, and
gets the same lines and totals as `invoicing.quotes.quote` gives the invoice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from bookings.api.views import PublicWriteThrottle
from bookings.models import MemberOrganisation
from bookings.schedule import HELSINKI
from invoicing.models import CustomerGroup, Extra, ExtraPricing, PriceList, RoomPrice
from invoicing.quotes import quote
from invoicing.vat import VatCode
from tests.factories import make_room

pytestmark = pytest.mark.django_db

MEMBER_ID = "0112038-9"


@pytest.fixture
def priced_room(db):
    """Sali: external 45 €/h (half day 150 €), members 30 €/h; coffee 4.80 € a person
    (catering VAT), projector 20 € a piece (general VAT)."""
    room = make_room(slug="sali", name_fi="Sali", name_sv="Salen", name_en="Hall")
    for group, hourly, half_day in (
        (CustomerGroup.EXTERNAL, "45.00", "150.00"),
        (CustomerGroup.MEMBER, "30.00", "100.00"),
    ):
        price_list = PriceList.objects.create(
            name=group, customer_group=group, valid_from=date(2020, 1, 1)
        )
        RoomPrice.objects.create(
            price_list=price_list,
            room=room,
            hourly_rate=Decimal(hourly),
            half_day_price=Decimal(half_day),
        )
    Extra.objects.create(
        code="coffee",
        name_fi="Kahvitarjoilu",
        name_sv="Kaffeservering",
        name_en="Coffee service",
        pricing=ExtraPricing.PERSON,
        price=Decimal("4.80"),
        vat_code=VatCode.CATERING,
    )
    Extra.objects.create(
        code="projector",
        name_fi="Videotykki",
        name_sv="Projektor",
        name_en="Projector",
        pricing=ExtraPricing.UNIT,
        price=Decimal("20.00"),
        vat_code=VatCode.GENERAL,
    )
    MemberOrganisation.objects.create(name="Lastensuojelu ry", business_id=MEMBER_ID)
    return room


@pytest.fixture
def client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def ask(client: APIClient, **fields):
    body = {"room": "sali", "start": "2026-03-10T09:00:00", "end": "2026-03-10T11:00:00"}
    return client.post("/api/v1/quotes/", body | fields, format="json")


def test_quote_prices_the_room_and_extras_with_totals_by_vat_rate(client, priced_room):
    response = ask(
        client,
        extras=[{"code": "coffee", "quantity": 12}, {"code": "projector", "quantity": 1}],
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["customer_group"], body["vat_registered"]) == ("external", True)
    room, coffee, projector = body["lines"]
    assert room["description"] == "Hall 10.3.2026 at 09:00–11:00"
    assert (room["quantity"], room["unit"], room["net"], room["vat_code"]) == (
        "2.000",
        "h",
        "90.00",
        "exempt",
    )
    assert room["start"] == "2026-03-10T09:00:00+02:00"
    # Catering in March 2026: 13.5 %, rounded half up per line.
    assert (coffee["net"], coffee["vat_rate"], coffee["vat"], coffee["gross"]) == (
        "57.60",
        "13.50",
        "7.78",
        "65.38",
    )
    assert (projector["vat_rate"], projector["vat"]) == ("25.50", "5.10")
    assert [(group["vat_code"], group["vat_rate"]) for group in body["totals"]] == [
        ("exempt", None),
        ("catering", "13.50"),
        ("general", "25.50"),
    ]
    assert (body["net"], body["vat"], body["gross"]) == ("167.60", "12.88", "180.48")


def test_a_member_business_id_gets_member_prices(client, priced_room):
    response = ask(client, business_id=MEMBER_ID)

    assert response.json()["customer_group"] == "member"
    assert response.json()["gross"] == "60.00"


def test_half_day_cap_applies_to_long_mornings(client, priced_room):
    response = ask(client, end="2026-03-10T13:00:00")

    (room,) = response.json()["lines"]
    assert (room["unit"], room["net"]) == ("half_day", "150.00")


def test_per_person_extra_without_quantity_counts_the_attendees(client, priced_room):
    response = ask(client, extras=[{"code": "coffee"}], attendees=10)

    assert response.json()["lines"][1]["quantity"] == "10.000"


def test_descriptions_follow_the_request_language(priced_room):
    response = ask(APIClient(HTTP_ACCEPT_LANGUAGE="sv"), extras=[{"code": "coffee", "quantity": 2}])

    assert [line["description"][:8] for line in response.json()["lines"]] == [
        "Salen 10",
        "Kaffeser",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"room": "no-such-room"}, "room"),
        ({"end": "2026-03-10T08:00:00"}, "end"),
        ({"end": "2026-03-10T09:00:00"}, "end"),
        ({"extras": [{"code": "champagne", "quantity": 1}]}, "extras"),
        ({"extras": [{"code": "coffee"}]}, "extras"),
        ({"extras": [{"code": "coffee", "quantity": 0}]}, "extras.0.quantity"),
        ({"start": "tomorrow"}, "start"),
        ({"start": "1900-01-01T10:00:00"}, "start"),
        ({"attendees": -1}, "attendees"),
        ({"price": "1.00"}, "price"),
    ],
)
def test_bad_input_is_a_400_on_the_field(client, priced_room, fields, field):
    response = ask(client, **fields)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"], body


def test_a_room_without_a_price_cannot_be_quoted(client, priced_room):
    make_room(slug="ilmainen")

    response = ask(client, room="ilmainen")

    assert response.status_code == 400
    assert "No price list" in response.json()["errors"]["room"][0]


def test_a_hidden_room_is_unknown_to_the_public(client, priced_room):
    make_room(slug="piilo", is_public=False)

    response = ask(client, room="piilo")

    assert response.json()["errors"]["room"] == ["There is no such room."]


def test_the_api_gives_the_invoice_price_from_the_one_quote_function(client, priced_room):
    start = datetime(2026, 3, 10, 9, tzinfo=HELSINKI)
    priced = quote(room=priced_room, start=start, end=start + timedelta(hours=3))

    response = ask(client, end="2026-03-10T12:00:00")

    assert Decimal(response.json()["gross"]) == priced.gross


def test_anonymous_quotes_are_throttled_like_booking_requests(client, priced_room, monkeypatch):
    monkeypatch.setattr(PublicWriteThrottle, "THROTTLE_RATES", {"public_write": "2/hour"})

    codes = [ask(client).status_code for _attempt in range(3)]

    assert codes == [200, 200, 429]
    assert ask(client).json()["code"] == "throttled"
