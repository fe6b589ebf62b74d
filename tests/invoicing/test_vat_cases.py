"""The four VAT cases of SPEC §2.6, each issued and read back from its PDF: exempt
letting, the general rate 25.5 %, catering at 13.5 % from 1.1.2026 and 14 % before, and
a seller that is not registered for VAT."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from invoicing.vat import EXEMPTION_TEXT, NOT_REGISTERED_TEXT, VatCode
from tests.invoicing.builders import approved_booking, helsinki, issued, pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db


def finnish(text) -> str:
    with translation.override("fi"):
        return str(text)


def lines_of(invoice):
    return [
        (line.vat_code, line.vat_rate, line.net, line.vat, line.gross)
        for line in invoice.lines.order_by("position")
    ]


def rows_with(text: str, amount: str) -> list[str]:
    return [row for row in text.splitlines() if amount in row]


def test_exempt_letting_shows_the_legal_reference_and_never_zero_percent(
    hall, invoicing_ready, customer
):
    booking = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), customer)

    invoice = issued([booking], issue_date=date(2026, 3, 11))

    assert lines_of(invoice) == [
        (VatCode.EXEMPT, None, Decimal("90.00"), Decimal("0.00"), Decimal("90.00"))
    ]
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        Decimal("90.00"),
        Decimal("0.00"),
        Decimal("90.00"),
    )
    text = pdf_text(pdf_bytes(invoice))
    assert finnish(EXEMPTION_TEXT) in text
    assert "27 §" in finnish(EXEMPTION_TEXT)
    assert not re.search(r"\b0([,.]0+)?\s?%", text)  # "ALV 0 %" would mean zero-rated


def test_general_rate_25_5_percent(hall, invoicing_ready, customer):
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 11),
        customer,
        extras=[{"code": "projector", "quantity": 3}],
    )

    invoice = issued([booking], issue_date=date(2026, 3, 11))

    assert lines_of(invoice)[1] == (
        VatCode.GENERAL,
        Decimal("25.50"),
        Decimal("60.00"),
        Decimal("15.30"),
        Decimal("75.30"),
    )
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        Decimal("150.00"),
        Decimal("15.30"),
        Decimal("165.30"),
    )
    text = pdf_text(pdf_bytes(invoice))
    (breakdown,) = [row for row in rows_with(text, "15,30") if "25,5" in row and "60,00" in row]
    assert "75,30" in breakdown
    assert "165,30" in text


@pytest.mark.parametrize(
    ("day", "rate", "vat", "printed"),
    [
        ((2026, 1, 15), "13.50", "12.96", "13,5"),
        ((2025, 12, 15), "14.00", "13.44", "14"),
    ],
)
def test_catering_is_taxed_by_the_service_date(
    hall, invoicing_ready, customer, day, rate, vat, printed
):
    booking = approved_booking(
        hall,
        helsinki(*day, 9),
        helsinki(*day, 11),
        customer,
        extras=[{"code": "coffee", "quantity": 20}],
    )

    invoice = issued([booking], issue_date=date(2026, 1, 20))

    coffee = lines_of(invoice)[1]
    gross = Decimal("96.00") + Decimal(vat)
    assert coffee == (VatCode.CATERING, Decimal(rate), Decimal("96.00"), Decimal(vat), gross)
    assert invoice.total_gross == Decimal("90.00") + gross
    text = pdf_text(pdf_bytes(invoice))
    vat_text = vat.replace(".", ",")
    (breakdown,) = [row for row in rows_with(text, vat_text) if "96,00" in row]
    assert f"{printed} %" in breakdown
    assert f"{invoice.total_gross:.2f}".replace(".", ",") in text


def test_a_seller_not_registered_for_vat_shows_no_vat_and_says_so(
    hall, invoicing_ready, customer, seller
):
    seller.vat_registered = False
    seller.save()
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 11),
        customer,
        extras=[{"code": "coffee", "quantity": 20}, {"code": "projector", "quantity": 1}],
    )

    invoice = issued([booking], issue_date=date(2026, 3, 11))

    assert [(rate, vat) for _code, rate, _net, vat, _gross in lines_of(invoice)] == [
        (None, Decimal("0.00"))
    ] * 3
    assert (invoice.total_vat, invoice.total_gross) == (Decimal("0.00"), Decimal("206.00"))
    text = pdf_text(pdf_bytes(invoice))
    assert finnish(NOT_REGISTERED_TEXT) in text
    assert "206,00" in text
    assert not re.search(r"\d\s?%", text)  # no rate anywhere
    assert finnish(EXEMPTION_TEXT) not in text
