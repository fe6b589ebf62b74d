"""The one price calculation (SPEC §2.6): caps, customer groups, extras, real length
across the clock change, price list validity, and rounding once per line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking
from invoicing.models import CustomerGroup, Extra, ExtraPricing, PriceList, RoomPrice, Unit
from invoicing.page_quotes import quotes_for_bookings
from invoicing.quotes import quote, quote_booking
from invoicing.vat import VatCode
from tests.invoicing.builders import helsinki

pytestmark = pytest.mark.django_db

DAY = (2026, 3, 10)  # a Tuesday, after the 1.1.2026 catering rate change


def room_line(result):
    (line,) = [line for line in result.lines if line.kind == "room"]
    return line


@pytest.mark.parametrize(
    ("start", "end", "net", "quantity", "unit"),
    [
        ((9, 0), (11, 0), "90.00", "2", Unit.HOUR),  # 2 h × 45 €
        ((9, 0), (12, 0), "135.00", "3", Unit.HOUR),  # under the half-day price
        ((9, 0), (13, 0), "150.00", "1", Unit.HALF_DAY),  # 180 € capped at 150 €
        ((9, 0), (13, 30), "202.50", "4.5", Unit.HOUR),  # over 4 h: no half-day cap
        ((8, 0), (16, 0), "290.00", "1", Unit.DAY),  # 360 € capped at the full day
    ],
)
def test_room_is_priced_by_the_hour_up_to_its_caps(hall, prices, start, end, net, quantity, unit):
    result = quote(room=hall, start=helsinki(*DAY, *start), end=helsinki(*DAY, *end))

    line = room_line(result)
    assert (line.net, line.quantity, line.unit) == (Decimal(net), Decimal(quantity), unit)
    assert line.quantity * line.unit_price == line.net  # what an accountant checks


def test_members_pay_member_prices_by_customer_or_by_business_id(
    hall, prices, member_customer, customer
):
    start, end = helsinki(*DAY, 9), helsinki(*DAY, 11)

    as_member = quote(room=hall, start=start, end=end, customer=member_customer)
    by_id = quote(room=hall, start=start, end=end, business_id="0112038-9")
    external = quote(room=hall, start=start, end=end, customer=customer)

    assert (as_member.customer_group, as_member.net) == (CustomerGroup.MEMBER, Decimal("60.00"))
    assert (by_id.customer_group, by_id.net) == (CustomerGroup.MEMBER, Decimal("60.00"))
    assert (external.customer_group, external.net) == (CustomerGroup.EXTERNAL, Decimal("90.00"))


def test_extras_are_priced_per_person_and_per_unit(hall, prices, extras):
    result = quote(
        room=hall,
        start=helsinki(*DAY, 9),
        end=helsinki(*DAY, 11),
        extras=[{"code": "coffee", "quantity": None}, {"code": "projector", "quantity": 2}],
        attendees=25,
    )

    coffee, projector = result.lines[1:]
    assert (coffee.quantity, coffee.unit, coffee.net) == (25, Unit.PERSON, Decimal("120.00"))
    assert (coffee.vat_code, coffee.vat_rate, coffee.vat) == (
        VatCode.CATERING,
        Decimal("13.50"),
        Decimal("16.20"),
    )
    assert (projector.quantity, projector.unit, projector.net) == (2, Unit.PIECE, Decimal("40.00"))
    assert (projector.vat_rate, projector.vat) == (Decimal("25.50"), Decimal("10.20"))
    assert result.net == Decimal("250.00")
    assert result.vat == Decimal("26.40")
    assert result.gross == Decimal("276.40")


def test_totals_by_vat_rate_list_exempt_letting_apart_from_taxed_lines(hall, prices, extras):
    result = quote(
        room=hall,
        start=helsinki(*DAY, 9),
        end=helsinki(*DAY, 11),
        extras=[{"code": "coffee", "quantity": 10}, {"code": "projector", "quantity": 1}],
    )

    totals = [(group.vat_code, group.vat_rate, group.net, group.vat) for group in result.totals]
    assert totals == [
        (VatCode.EXEMPT, None, Decimal("90.00"), Decimal("0.00")),
        (VatCode.CATERING, Decimal("13.50"), Decimal("48.00"), Decimal("6.48")),
        (VatCode.GENERAL, Decimal("25.50"), Decimal("20.00"), Decimal("5.10")),
    ]


def test_a_booking_across_the_october_clock_change_is_priced_for_its_real_length(hall, prices):
    # 25.10.2026: clocks go back from 04:00 to 03:00, so 00:00–06:00 lasts seven hours.
    start, end = helsinki(2026, 10, 25, 0), helsinki(2026, 10, 25, 6)
    assert (end - start).total_seconds() / 3600 == 6  # what wall-clock arithmetic says

    line = room_line(quote(room=hall, start=start, end=end))

    assert (line.quantity, line.unit, line.net) == (Decimal(1), Unit.DAY, Decimal("290.00"))
    short = room_line(quote(room=hall, start=helsinki(2026, 10, 25, 2), end=end))
    assert (short.quantity, short.net) == (Decimal(5), Decimal("225.00"))  # 02–06 is 5 h


def test_the_price_list_valid_on_the_booking_date_is_used(hall, prices):
    prices["external"].valid_until = date(2026, 5, 31)
    prices["external"].save()
    summer = PriceList.objects.create(
        name="Kesä", customer_group=CustomerGroup.EXTERNAL, valid_from=date(2026, 6, 1)
    )
    RoomPrice.objects.create(price_list=summer, room=hall, hourly_rate=Decimal("50.00"))

    spring = quote(room=hall, start=helsinki(2026, 5, 29, 9), end=helsinki(2026, 5, 29, 11))
    june = quote(room=hall, start=helsinki(2026, 6, 2, 9), end=helsinki(2026, 6, 2, 11))

    assert (spring.price_list_id, spring.net) == (prices["external"].pk, Decimal("90.00"))
    assert (june.price_list_id, june.net) == (summer.pk, Decimal("100.00"))


def test_a_date_without_a_valid_price_list_is_refused_on_the_room(hall, prices):
    prices["external"].valid_until = date(2026, 5, 31)
    prices["external"].save()

    with pytest.raises(ValidationError) as error:
        quote(room=hall, start=helsinki(2026, 6, 2, 9), end=helsinki(2026, 6, 2, 11))

    assert "room" in error.value.message_dict


def test_overlapping_price_lists_of_one_group_are_refused(prices):
    overlapping = PriceList(
        name="Päällekkäin", customer_group=CustomerGroup.EXTERNAL, valid_from=date(2026, 1, 1)
    )

    with pytest.raises(ValidationError):
        overlapping.full_clean()


@pytest.mark.parametrize(
    "extras",
    [[{"code": "champagne", "quantity": 1}], [{"code": "projector", "quantity": 0}]],
)
def test_unknown_extras_or_missing_quantities_are_refused_on_extras(hall, prices, extras):
    with pytest.raises(ValidationError) as error:
        quote(room=hall, start=helsinki(*DAY, 9), end=helsinki(*DAY, 11), extras=extras)

    assert list(error.value.message_dict) == ["extras"]


def test_each_line_is_rounded_half_up_once_and_totals_add_rounded_lines(hall, prices):
    Extra.objects.create(
        code="cookie",
        name_fi="Keksi",
        pricing=ExtraPricing.UNIT,
        price=Decimal("3.00"),
        vat_code=VatCode.CATERING,
    )
    RoomPrice.objects.filter(room=hall).update(hourly_rate=Decimal("10.25"))

    result = quote(
        room=hall,
        start=helsinki(*DAY, 9),
        end=helsinki(*DAY, 9, 30),
        extras=[{"code": "cookie", "quantity": 1}, {"code": "cookie", "quantity": 1}],
    )

    assert room_line(result).net == Decimal("5.13")  # 5.125 half up (half-even gives 5.12)
    assert [line.vat for line in result.lines[1:]] == [Decimal("0.41"), Decimal("0.41")]
    assert result.vat == Decimal("0.82")  # not round(0.81) of the unrounded sum


def test_catering_before_2026_is_taxed_at_14_percent(hall, prices, extras):
    result = quote(
        room=hall,
        start=helsinki(2025, 12, 16, 9),
        end=helsinki(2025, 12, 16, 11),
        extras=[{"code": "coffee", "quantity": 20}],
    )

    coffee = result.lines[1]
    assert (coffee.vat_rate, coffee.net, coffee.vat) == (
        Decimal("14.00"),
        Decimal("96.00"),
        Decimal("13.44"),
    )


def test_general_rate_before_september_2024_was_24_percent(hall, prices, extras):
    result = quote(
        room=hall,
        start=helsinki(2024, 8, 30, 9),
        end=helsinki(2024, 8, 30, 11),
        extras=[{"code": "projector", "quantity": 1}],
    )

    assert (result.lines[1].vat_rate, result.lines[1].vat) == (Decimal("24.00"), Decimal("4.80"))


def test_a_seller_not_registered_for_vat_quotes_no_vat(hall, prices, extras, seller):
    seller.vat_registered = False
    seller.save()

    result = quote(
        room=hall,
        start=helsinki(*DAY, 9),
        end=helsinki(*DAY, 11),
        extras=[{"code": "coffee", "quantity": 10}],
    )

    assert [(line.vat_rate, line.vat) for line in result.lines] == [(None, 0), (None, 0)]
    assert result.gross == result.net == Decimal("138.00")


def test_quotes_for_a_page_of_bookings_equal_each_booking_quote_in_fixed_queries(
    hall, prices, extras, member_customer, customer
):
    def booking(day, start, end, **fields) -> Booking:
        return Booking.objects.create(
            room=hall,
            start=helsinki(*day, start),
            end=helsinki(*day, end),
            title="Sivu",
            attendees=10,
            **fields,
        )

    page = [
        booking(DAY, 9, 11, customer=member_customer, customer_confirmed=True),
        # A member's business ID the renter typed counts only once staff confirm it.
        booking(DAY, 12, 13, customer=member_customer, customer_confirmed=False),
        booking(DAY, 14, 18, customer=customer, customer_confirmed=True,
                extras=[{"code": "coffee", "quantity": 10}, {"code": "projector", "quantity": 1}]),
        booking((2019, 6, 4), 9, 10),  # before any price list: refused on the room
    ]  # fmt: skip
    page = list(
        Booking.objects.filter(pk__in=[b.pk for b in page]).select_related("room", "customer")
    )
    with CaptureQueriesContext(connection) as captured:
        batch = quotes_for_bookings(page)
    assert len(captured.captured_queries) == 5
    for item in page:
        try:
            single = quote_booking(item)
        except ValidationError as refused:
            assert isinstance(batch[item.pk], ValidationError)
            assert batch[item.pk].messages == refused.messages
        else:
            assert batch[item.pk] == single
