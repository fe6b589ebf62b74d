"""`GET reports/usage/` and `GET reports/revenue/` (SPEC §3.6): exactly the fields named,
refusals in the JSON error format, and revenue equal to the invoice CSV to the cent."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from bookings.selectors.reports import month_add
from invoicing.services import invoice_create_draft, invoice_credit, invoice_issue
from tests.frontend.invoice_world import booking_on, books_open

pytestmark = pytest.mark.django_db

USAGE_FIELDS = {
    "month",
    "room",
    "open_hours",
    "booked_hours",
    "utilisation",
    "bookings",
    "member_bookings",
    "external_bookings",
}
REVENUE_FIELDS = {"month", "room", "group", "vat_code", "net", "vat", "gross"}


def months_back(count: int) -> date:
    return month_add(timezone.localdate().replace(day=1), -count)


def issue(bookings, day: date):
    draft = invoice_create_draft(bookings=bookings, actor=None)
    return invoice_issue(invoice=draft, actor=None, issue_date=day)


@pytest.fixture
def staff_api(as_persona):
    return as_persona("staff")


def test_usage_answers_the_named_fields_with_hours_as_numbers(staff_api, hours):
    books = books_open()
    month = months_back(2)
    booking_on(books, month + timedelta(days=2))  # approved, 9–11

    response = staff_api.get(f"/api/v1/reports/usage/?from={month:%Y-%m}&to={month:%Y-%m}")

    assert response.status_code == 200, response.content
    assert set(response.json()) == {"rows"}
    (row,) = response.json()["rows"]
    assert set(row) == USAGE_FIELDS
    assert row["month"] == f"{month:%Y-%m}" and row["room"] == "laskutettava"
    assert row["booked_hours"] == 2 and isinstance(row["open_hours"], float)
    assert row["bookings"] == 1 and row["external_bookings"] == 1
    assert row["utilisation"] == pytest.approx(2 / row["open_hours"], abs=0.0001)


def test_revenue_answers_money_as_strings_with_two_decimals(staff_api):
    books = books_open()
    month = months_back(2)
    day = month + timedelta(days=3)
    issue([booking_on(books, day, extras=[{"code": "coffee", "quantity": 3}])], day)

    response = staff_api.get(f"/api/v1/reports/revenue/?from={month:%Y-%m}&to={month:%Y-%m}")

    assert response.status_code == 200, response.content
    rows = response.json()["rows"]
    assert all(set(row) == REVENUE_FIELDS for row in rows)
    assert [(row["room"], row["vat_code"], row["net"]) for row in rows] == [
        ("laskutettava", "exempt", "90.00"),
        (None, "catering", "14.40"),
    ]


def csv_sums(content: str) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    sums: dict[str, list[Decimal]] = {}
    for line in csv.DictReader(io.StringIO(content)):
        total = sums.setdefault(line["vat_code"], [Decimal(0)] * 3)
        for index, name in enumerate(("net", "vat", "gross")):
            total[index] += Decimal(line[name])
    return {code: tuple(values) for code, values in sums.items()}


def report_sums(rows: list[dict]) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    sums: dict[str, list[Decimal]] = {}
    for row in rows:
        total = sums.setdefault(row["vat_code"], [Decimal(0)] * 3)
        for index, name in enumerate(("net", "vat", "gross")):
            total[index] += Decimal(row[name])
    return {code: tuple(values) for code, values in sums.items()}


def test_revenue_equals_the_invoice_csv_of_the_same_months_to_the_cent(as_persona):
    """Odd cents: coffee for 7 at 4.80 € with reduced-rate VAT on each line, invoices over
    three months, one of them credited this month."""
    books = books_open()
    first = months_back(4)
    invoices = []
    for offset in range(9):
        day = first + timedelta(days=11 * offset)
        extras = [{"code": "coffee", "quantity": 7 + offset}]
        customer = books.other if offset % 3 == 0 else books.customer
        hour = 8 + offset % 5
        invoices.append(
            issue([booking_on(books, day, hour, customer=customer, extras=extras)], day)
        )
    invoice_credit(invoice=invoices[1], actor=None, reason="Peruttu")
    last = month_add(first, 4)  # this month, with the credit note
    accounting = as_persona("accounting")

    exported = accounting.get(
        f"/api/v1/invoices/export.csv?from={first}&to={month_add(last, 1) - timedelta(days=1)}"
    )
    report = accounting.get(f"/api/v1/reports/revenue/?from={first:%Y-%m}&to={last:%Y-%m}")

    assert exported.status_code == 200 and report.status_code == 200
    sums = csv_sums(exported.content.decode("utf-8"))
    assert sums == report_sums(report.json()["rows"])
    assert set(sums) == {"exempt", "catering"}
    assert sums["catering"][1] != 0  # the VAT was there to agree on


@pytest.mark.parametrize("report", ["usage", "revenue"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "from"),
        ("?from=2026-01", "to"),
        ("?from=2026-13&to=2026-12", "from"),
        ("?from=2026-1&to=2026-12", "from"),
        ("?from=2026-01-01&to=2026-12", "from"),
        ("?from=2026-05&to=2026-04", "to"),
        ("?from=2020-01&to=2026-12", "to"),
        ("?from=1066-10&to=1066-10", "from"),
        ("?from=2026-01&to=2026-02&room=sali", "room"),
    ],
)
def test_a_bad_month_range_is_a_400_in_the_error_format(staff_api, report, query, field):
    response = staff_api.get(f"/api/v1/reports/{report}/{query}", HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"]
    assert body["message"] == "Tarkista korostetut kentät."


def test_requests_and_cancellations_are_not_usage(staff_api, hours):
    books = books_open()
    month = months_back(2)
    booking = booking_on(books, month + timedelta(days=2))
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    response = staff_api.get(f"/api/v1/reports/usage/?from={month:%Y-%m}&to={month:%Y-%m}")

    (row,) = response.json()["rows"]
    assert (row["bookings"], row["booked_hours"]) == (0, 0)
