"""Builders for the accounting page tests: a priced room, the seller, two customers and
their approved bookings at any date, and invoices in each state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from bookings.models import Booking, Customer, Room
from invoicing.models import (
    CustomerGroup,
    Extra,
    ExtraPricing,
    Invoice,
    InvoiceBooking,
    InvoiceCounter,
    InvoiceLine,
    Payment,
    PriceList,
    ReferenceRate,
    RoomPrice,
    SellerSettings,
    VatRate,
)
from invoicing.services import invoice_create_draft, invoice_issue, seller_settings_update
from invoicing.vat import VatCode
from tests.factories import make_room
from tests.invoicing.builders import approved_booking, helsinki
from tests.invoicing.conftest import EXTERNAL_ID, MEMBER_ID, SELLER


@dataclass
class Books:
    room: Room
    customer: Customer
    other: Customer


def make_customer(name: str, business_id: str) -> Customer:
    return Customer.objects.create(
        organisation=name,
        business_id=business_id,
        contact_name="Maija Meikäläinen",
        email=f"laskut@{business_id[:7]}.example",
        billing_address="Esimerkkikatu 1\n20100 Turku",
        language="fi",
    )


def books_open(*, seller: bool = True) -> Books:
    """External prices (45 €/h, half day 150 €, coffee 4.80 € a person at the catering
    rate), the seller settings unless told otherwise, and two customers."""
    room = make_room(slug="laskutettava", capacity=30, name_en="Meeting room")
    prices = PriceList.objects.create(
        name="Ulkoiset", customer_group=CustomerGroup.EXTERNAL, valid_from=date(2020, 1, 1)
    )
    RoomPrice.objects.create(
        price_list=prices, room=room, hourly_rate=Decimal("45.00"), half_day_price=Decimal(150)
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
    # Browser tests empty every table between tests, the rates of migration 0002 too.
    for valid_from, rate in ((date(2013, 1, 1), "14.00"), (date(2026, 1, 1), "13.50")):
        VatRate.objects.get_or_create(
            code=VatCode.CATERING, valid_from=valid_from, defaults={"rate": Decimal(rate)}
        )
    if seller:
        seller_settings_update(actor=None, **SELLER)
    customer = make_customer("Turun Perhetyö ry", EXTERNAL_ID)
    other = make_customer("Lastensuojelu ry", MEMBER_ID)
    return Books(room, customer, other)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def booking_on(
    books: Books, day: date, hour: int = 9, *, customer: Customer | None = None, **fields
) -> Booking:
    """An approved two-hour booking (90.00 € without extras)."""
    start = helsinki(day.year, day.month, day.day, hour)
    return approved_booking(
        books.room, start, start + timedelta(hours=2), customer or books.customer, **fields
    )


def issued_on(books: Books, day: date, *, customer: Customer | None = None) -> Invoice:
    """An invoice of one booking, issued on the day given (due 14 days later)."""
    draft = invoice_create_draft(bookings=[booking_on(books, day, customer=customer)], actor=None)
    return invoice_issue(invoice=draft, actor=None, issue_date=day)


def overdue_on(books: Books, day: date, *, customer: Customer | None = None) -> Invoice:
    """An invoice issued on the day given, with the reference rates a reminder of it
    needs (this half-year and the previous ones since it was due)."""
    today = timezone.localdate()
    for year in range(day.year, today.year + 1):
        for month in (1, 7):
            ReferenceRate.objects.get_or_create(
                valid_from=date(year, month, 1), defaults={"rate": Decimal("2.50")}
            )
    return issued_on(books, day, customer=customer)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def written() -> tuple[int, ...]:
    """Rows that a draft, an issue or a payment would add."""
    counters = tuple(InvoiceCounter.objects.values_list("last_number", flat=True))
    return (
        Invoice.objects.count(),
        InvoiceLine.objects.count(),
        InvoiceBooking.objects.count(),
        Payment.objects.count(),
        SellerSettings.objects.count(),
        *counters,
    )
