"""The accounting API (SPEC §2.7, §3.4): invoices listed and filtered, drafts from
bookings, issuing, credit notes, payments, the stored PDF, the CSV and the ZIP."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from bookings.models import Booking, Customer
from invoicing.models import CustomerGroup, Invoice, PriceList, RoomPrice
from invoicing.services import invoice_create_draft, invoice_issue, seller_settings_update
from tests.factories import make_room
from tests.invoicing.builders import approved_booking, helsinki

pytestmark = pytest.mark.django_db

SELLER = {
    "name": "Perhetalo Heidekenin kannatusyhdistys ry",
    "address": "Sirkkalankatu 27\n20700 Turku",
    "business_id": "2331972-7",
    "iban": "FI37 1590 3000 0007 76",
    "bic": "NDEAFIHH",
    "contact": "laskutus@heideken.example",
}
CSV_COLUMNS = [
    "number",
    "issue_date",
    "due_date",
    "service_start",
    "service_end",
    "customer",
    "business_id",
    "description",
    "net",
    "vat_code",
    "vat_rate",
    "vat",
    "gross",
    "reference",
    "account",
    "credits_number",
]


@dataclass
class Accounts:
    """A priced room, a customer, an issued invoice, a draft and a booking to invoice."""

    room: object
    customer: Customer
    issued: Invoice
    draft: Invoice
    uninvoiced: Booking


def price_rooms(*rooms) -> None:
    """External prices for the rooms: 45 €/h, half day 150 €."""
    price_list = PriceList.objects.create(
        name="Ulkoiset", customer_group=CustomerGroup.EXTERNAL, valid_from=date(2020, 1, 1)
    )
    for room in rooms:
        RoomPrice.objects.create(
            price_list=price_list,
            room=room,
            hourly_rate=Decimal("45.00"),
            half_day_price=Decimal("150.00"),
        )


def make_customer(name: str = "Turun Perhetyö ry", business_id: str = "1572860-0") -> Customer:
    return Customer.objects.create(
        organisation=name,
        business_id=business_id,
        contact_name="Maija Meikäläinen",
        email="maija@example.org",
        billing_address="Esimerkkikatu 1\n20100 Turku",
        language="fi",
    )


def booking_on(room, customer: Customer, day: date, hour: int = 9) -> Booking:
    start = helsinki(day.year, day.month, day.day, hour)
    return approved_booking(room, start, start + timedelta(hours=2), customer)


def accounting_world(room=None) -> Accounts:
    """What the accounting endpoints work on; the room defaults to a new priced one."""
    room = room or make_room(slug="laskutettava", capacity=20)
    price_rooms(room)
    seller_settings_update(actor=None, **SELLER)
    customer = make_customer()
    past = timezone.localdate() - timedelta(days=30)
    issued = invoice_issue(
        invoice=invoice_create_draft(bookings=[booking_on(room, customer, past)], actor=None),
        actor=None,
    )
    draft = invoice_create_draft(bookings=[booking_on(room, customer, past, 13)], actor=None)
    uninvoiced = booking_on(room, customer, past, 16)
    return Accounts(room, customer, issued, draft, uninvoiced)


@pytest.fixture
def accounts(db) -> Accounts:
    return accounting_world()


@pytest.fixture
def accountant(accounting_user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(accounting_user)
    return client


def period_query(first: date, last: date) -> str:
    return f"?from={first.isoformat()}&to={last.isoformat()}"


TODAY_PERIOD = "?from=2000-01-01&to=2000-12-31"


def this_period() -> str:
    today = timezone.localdate()
    return period_query(today - timedelta(days=1), today)


# --- List and detail ----------------------------------------------------------------------


def test_list_shows_invoices_with_numbers_totals_and_state(accountant, accounts):
    response = accountant.get("/api/v1/invoices/")

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    issued = rows[accounts.issued.pk]
    assert issued["number"] == accounts.issued.number_text
    assert issued["status"] == "issued" and issued["state"] == "open"
    assert (issued["total_net"], issued["total_gross"], issued["paid"]) == (
        "90.00",
        "90.00",
        "0.00",
    )
    assert issued["outstanding"] == "90.00"
    assert issued["pdf_url"].endswith(f"/api/v1/invoices/{accounts.issued.pk}/pdf/")
    assert rows[accounts.draft.pk]["state"] == "draft"
    assert rows[accounts.draft.pk]["pdf_url"] is None


def test_detail_shows_lines_vat_breakdown_seller_and_bookings(accountant, accounts):
    response = accountant.get(f"/api/v1/invoices/{accounts.issued.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert body["seller_business_id"] == "2331972-7"
    assert body["reference"] == accounts.issued.reference
    assert body["reference_rf"].startswith("RF")
    (line,) = body["lines"]
    assert (line["vat_code"], line["net"], line["quantity"]) == ("exempt", "90.00", "2.000")
    assert body["vat_breakdown"] == [
        {"vat_code": "exempt", "vat_rate": None, "net": "90.00", "vat": "0.00", "gross": "90.00"}
    ]
    assert len(body["bookings"]) == 1 and body["payments"] == []


def test_unknown_invoice_is_a_json_404(accountant, accounts):
    response = accountant.get("/api/v1/invoices/999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=draft", {"draft"}),
        ("state=open", {"issued"}),
        ("state=paid", set()),
        ("overdue=true", set()),
        ("overdue=false", {"issued", "draft"}),
    ],
)
def test_list_filters_by_state(accountant, accounts, query, expected):
    names = {accounts.issued.pk: "issued", accounts.draft.pk: "draft"}

    response = accountant.get(f"/api/v1/invoices/?{query}")

    assert {names[row["id"]] for row in response.json()["results"]} == expected


def test_overdue_filter_finds_an_unpaid_invoice_past_its_due_date(accountant, accounts):
    past = timezone.localdate() - timedelta(days=60)
    late = invoice_issue(
        invoice=invoice_create_draft(bookings=[accounts.uninvoiced], actor=None),
        actor=None,
        issue_date=past,
    )

    response = accountant.get("/api/v1/invoices/?overdue=true")

    rows = response.json()["results"]
    assert [(row["id"], row["state"]) for row in rows] == [(late.pk, "overdue")]


def test_list_filters_by_customer_and_issue_and_due_dates(accountant, accounts):
    other = make_customer("Toinen ry", "0112038-9")
    today = timezone.localdate()

    def ids(query: str) -> set[int]:
        return {row["id"] for row in accountant.get(f"/api/v1/invoices/?{query}").json()["results"]}

    assert ids(f"customer={accounts.customer.pk}") == {accounts.issued.pk, accounts.draft.pk}
    assert ids(f"customer={other.pk}") == set()
    assert ids(f"issued_from={today}&issued_to={today}") == {accounts.issued.pk}
    assert ids(f"issued_to={today - timedelta(days=1)}") == set()
    due = accounts.issued.due_date
    assert ids(f"due_from={due}&due_to={due}") == {accounts.issued.pk}


@pytest.mark.parametrize("query", ["state=nonsense", "customer=abc", "issued_from=yesterday"])
def test_malformed_filters_are_400s(accountant, accounts, query):
    response = accountant.get(f"/api/v1/invoices/?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_list_takes_the_same_queries_at_any_page_size(accountant, accounts):
    for hour in (7, 8, 10, 11, 12, 14, 15, 17, 18, 19):
        booking = booking_on(accounts.room, accounts.customer, date(2026, 2, 2), hour)
        invoice_issue(invoice=invoice_create_draft(bookings=[booking], actor=None), actor=None)

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = accountant.get(f"/api/v1/invoices/?page_size={page_size}")
        assert len(response.json()["results"]) == page_size
        return len(captured)

    assert queries(2) == queries(12)


# --- Writes -------------------------------------------------------------------------------


def test_posting_booking_ids_makes_a_draft(accountant, accounts):
    response = accountant.post(
        "/api/v1/invoices/", {"bookings": [accounts.uninvoiced.pk]}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["number"], body["buyer_name"]) == (
        "draft",
        "",
        "Turun Perhetyö ry",
    )
    assert body["bookings"] == [accounts.uninvoiced.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bookings": []}, "bookings"),
        ({"bookings": [999999]}, "bookings"),
        ({"bookings": ["x"]}, "bookings.0"),
        ({}, "bookings"),
        ({"bookings": [1], "customer": 1}, "customer"),
    ],
)
def test_malformed_draft_requests_are_400s(accountant, accounts, body, field):
    response = accountant.post("/api/v1/invoices/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_invoicing_an_invoiced_booking_is_refused_by_the_service(accountant, accounts):
    before = Invoice.objects.count()
    booking = accounts.draft.bookings.get()

    response = accountant.post("/api/v1/invoices/", {"bookings": [booking.pk]}, format="json")

    assert response.status_code == 400
    assert "already on invoice" in " ".join(response.json()["errors"]["bookings"])
    assert Invoice.objects.count() == before


def test_issuing_a_draft_numbers_it_and_stores_its_pdf(accountant, accounts):
    response = accountant.post(f"/api/v1/invoices/{accounts.draft.pk}/issue/", {}, format="json")

    body = response.json()
    assert response.status_code == 200
    year = timezone.localdate().year
    assert (body["status"], body["number"]) == (
        "issued",
        f"{year}-{accounts.issued.number + 1:04d}",
    )
    assert body["due_date"] and body["reference"]


def test_issuing_an_issued_invoice_is_a_400_and_changes_nothing(accountant, accounts):
    response = accountant.post(f"/api/v1/invoices/{accounts.issued.pk}/issue/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_crediting_makes_a_credit_note_that_negates_the_invoice(accountant, accounts):
    url = f"/api/v1/invoices/{accounts.issued.pk}/credit/"

    response = accountant.post(url, {"reason": "Väärä päivä"}, format="json")

    note = response.json()
    assert response.status_code == 201
    assert (note["kind"], note["credited_invoice"], note["total_gross"]) == (
        "credit",
        accounts.issued.pk,
        "-90.00",
    )
    assert note["credited_number"] == accounts.issued.number_text
    again = accountant.post(url, {"reason": "Taas"}, format="json")
    assert again.status_code == 400


def test_credit_needs_a_reason(accountant, accounts):
    response = accountant.post(f"/api/v1/invoices/{accounts.issued.pk}/credit/", {}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_a_partial_payment_leaves_the_rest_outstanding(accountant, accounts):
    url = f"/api/v1/invoices/{accounts.issued.pk}/payments/"
    today = timezone.localdate().isoformat()

    response = accountant.post(url, {"amount": "40.00", "date": today}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert (body["paid"], body["outstanding"], body["state"]) == ("40.00", "50.00", "partly_paid")
    assert [(p["amount"], p["date"]) for p in body["payments"]] == [("40.00", today)]
    rest = accountant.post(url, {"amount": "50", "date": today}, format="json")
    assert rest.json()["state"] == "paid"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "-5", "date": "2026-01-01"}, "amount"),
        ({"amount": "0", "date": "2026-01-01"}, "amount"),
        ({"amount": "abc", "date": "2026-01-01"}, "amount"),
        ({"amount": "10.001", "date": "2026-01-01"}, "amount"),
        ({"amount": "10", "date": "2099-01-01"}, "date"),
        ({"amount": "10"}, "date"),
    ],
)
def test_bad_payments_are_400s_on_the_field(accountant, accounts, body, field):
    response = accountant.post(
        f"/api/v1/invoices/{accounts.issued.pk}/payments/", body, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not accounts.issued.payments.exists()


def test_a_payment_on_a_credited_invoice_is_refused(accountant, accounts):
    accountant.post(
        f"/api/v1/invoices/{accounts.issued.pk}/credit/", {"reason": "x"}, format="json"
    )

    response = accountant.post(
        f"/api/v1/invoices/{accounts.issued.pk}/payments/",
        {"amount": "10", "date": timezone.localdate().isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert "credited" in " ".join(response.json()["errors"]["non_field_errors"])


# --- Files --------------------------------------------------------------------------------


def test_pdf_download_is_the_stored_bytes_twice_identical(accountant, accounts):
    url = f"/api/v1/invoices/{accounts.issued.pk}/pdf/"

    first, second = accountant.get(url), accountant.get(url, HTTP_ACCEPT="application/pdf")

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert f'filename="{accounts.issued.number_text}.pdf"' in first["Content-Disposition"]
    assert first.content == second.content == bytes(accounts.issued.pdf.content)
    assert first.content.startswith(b"%PDF")


def test_a_draft_has_no_pdf(accountant, accounts):
    response = accountant.get(f"/api/v1/invoices/{accounts.draft.pk}/pdf/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_csv_has_one_row_per_line_of_issued_invoices(accountant, accounts):
    second = invoice_issue(
        invoice=invoice_create_draft(bookings=[accounts.uninvoiced], actor=None), actor=None
    )

    response = accountant.get(f"/api/v1/invoices/export.csv{this_period()}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == CSV_COLUMNS
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [accounts.issued.number_text, second.number_text]  # no draft
    record = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert record["customer"] == "Turun Perhetyö ry"
    assert record["business_id"] == "1572860-0"
    assert (record["net"], record["vat_code"], record["vat_rate"], record["vat"]) == (
        "90.00",
        "exempt",
        "",
        "0.00",
    )
    assert (record["gross"], record["reference"]) == ("90.00", accounts.issued.reference)
    # Room rental, exempt: the default room account; an invoice credits nothing.
    assert (record["account"], record["credits_number"]) == ("3000", "")
    assert record["issue_date"] == accounts.issued.issue_date.isoformat()


def test_csv_of_a_period_without_invoices_has_only_the_header(accountant, accounts):
    response = accountant.get(f"/api/v1/invoices/export.csv{TODAY_PERIOD}")

    assert response.content.decode("utf-8").splitlines() == [",".join(CSV_COLUMNS)]


def test_zip_holds_the_stored_pdfs_of_the_period(accountant, accounts):
    second = invoice_issue(invoice=accounts.draft, actor=None)

    response = accountant.get(f"/api/v1/invoices/archive.zip{this_period()}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    stored = {
        f"{invoice.number_text}.pdf": bytes(invoice.pdf.content)
        for invoice in (accounts.issued, second)
    }
    assert {name: archive.read(name) for name in archive.namelist()} == stored


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?from=2026-01-01",
        "?from=2026-02-01&to=2026-01-01",
        "?from=2020-01-01&to=2026-01-01",
        "?from=x&to=y",
        "?from=2026-01-01&to=2026-01-31&extra=1",
    ],
)
@pytest.mark.parametrize("path", ["export.csv", "archive.zip"])
def test_bad_periods_are_400s(accountant, accounts, path, query):
    response = accountant.get(f"/api/v1/invoices/{path}{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_booking_staff_reach_no_invoice_data(as_persona, accounts):
    staff = as_persona("staff")

    for url in (
        "/api/v1/invoices/",
        f"/api/v1/invoices/{accounts.issued.pk}/pdf/",
        f"/api/v1/invoices/export.csv{this_period()}",
    ):
        response = staff.get(url)
        assert response.status_code == 403, url
        assert accounts.issued.number_text.encode() not in response.content
