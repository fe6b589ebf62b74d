"""The revenue report (SPEC §2.14): issued invoices minus credit notes, per month by room,
extras and customer group, with net, VAT and gross per VAT code."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.models import MemberOrganisation
from bookings.selectors.reports import month_add
from invoicing.models import CustomerGroup, PriceList, RoomPrice
from invoicing.selectors.reports import revenue_report
from invoicing.services import invoice_create_draft, invoice_credit, invoice_issue
from tests.frontend.invoice_world import booking_on, books_open
from tests.invoicing.conftest import MEMBER_ID

pytestmark = pytest.mark.django_db


def months_back(count: int) -> date:
    return month_add(timezone.localdate().replace(day=1), -count)


def issue(bookings, day: date):
    draft = invoice_create_draft(bookings=bookings, actor=None)
    return invoice_issue(invoice=draft, actor=None, issue_date=day)


def as_tuples(rows):
    return [
        (row.month, row.room, row.group, row.vat_code, row.net, row.vat, row.gross) for row in rows
    ]


def test_room_time_and_extras_are_reported_apart_per_vat_code(db):
    books = books_open()
    month = months_back(3)
    day = month + timedelta(days=9)
    coffee = [{"code": "coffee", "quantity": 10}]
    issue([booking_on(books, day, extras=coffee, attendees=10)], day)
    issue([booking_on(books, day + timedelta(days=1))], day + timedelta(days=1))

    rows = revenue_report(first_month=month, last_month=month)

    rate = Decimal("13.5") if day.year >= 2026 else Decimal(14)
    coffee_vat = (Decimal("48.00") * rate / 100).quantize(Decimal("0.01"))
    assert as_tuples(rows) == [
        (month, "laskutettava", "external", "exempt", Decimal("180.00"), Decimal("0.00"),
         Decimal("180.00")),
        (month, None, "external", "catering", Decimal("48.00"), coffee_vat,
         Decimal("48.00") + coffee_vat),
    ]  # fmt: skip


def test_a_credit_note_subtracts_in_the_month_it_is_issued(db):
    books = books_open()
    first, second = months_back(4), months_back(3)
    invoice = issue([booking_on(books, first + timedelta(days=4))], first + timedelta(days=4))
    later = second + timedelta(days=2)
    with time_at(later):
        invoice_credit(invoice=invoice, actor=None, reason="Väärä asiakas")

    rows = revenue_report(first_month=first, last_month=second)

    assert [(row.month, row.net, row.gross) for row in rows] == [
        (first, Decimal("90.00"), Decimal("90.00")),
        (second, Decimal("-90.00"), Decimal("-90.00")),
    ]


def test_members_are_reported_apart_from_external_renters(db):
    books = books_open()
    MemberOrganisation.objects.create(name="Lastensuojelu ry", business_id=MEMBER_ID)
    members = PriceList.objects.create(
        name="Jäsenet", customer_group=CustomerGroup.MEMBER, valid_from=date(2020, 1, 1)
    )
    RoomPrice.objects.create(price_list=members, room=books.room, hourly_rate=Decimal(30))
    month = months_back(2)
    day = month + timedelta(days=3)
    issue([booking_on(books, day, customer=books.other)], day)
    issue([booking_on(books, day)], day)

    rows = revenue_report(first_month=month, last_month=month)

    assert [(row.group, row.net) for row in rows] == [
        ("external", Decimal("90.00")),
        ("member", Decimal("60.00")),
    ]


def test_drafts_count_for_nothing_and_months_without_invoices_have_no_rows(db):
    books = books_open()
    month = months_back(2)
    invoice_create_draft(bookings=[booking_on(books, month + timedelta(days=1))], actor=None)

    assert revenue_report(first_month=months_back(6), last_month=month) == []


def test_the_report_is_one_query_for_any_number_of_months(db, django_assert_num_queries):
    books = books_open()
    for back in range(1, 13):
        day = months_back(back) + timedelta(days=5)
        issue([booking_on(books, day)], day)
    with django_assert_num_queries(1):
        one = revenue_report(first_month=months_back(1), last_month=months_back(1))
    with django_assert_num_queries(1):
        twelve = revenue_report(first_month=months_back(12), last_month=months_back(1))
    assert len(one) == 1 and len(twelve) == 12


def time_at(day: date):
    """The clock moved to noon of a day (credit notes take today's date)."""
    import time_machine

    from tests.invoicing.builders import helsinki

    return time_machine.travel(helsinki(day.year, day.month, day.day, 12), tick=False)
