"""Accounting pages, continued: credit notes, payments by hand and by reference number,
and the CSV and ZIP files of a period. Every refusal leaves everything as it was."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from invoicing.models import Invoice, Payment
from invoicing.services import invoice_create_draft, invoice_credit
from tests.frontend.invoice_world import (
    booking_on,
    days_ago,
    issued_on,
    make_customer,
    shown_messages,
    written,
)

pytestmark = pytest.mark.django_db


# --- Credit notes ----------------------------------------------------------------------


def credit(client, invoice, reason: str):
    url = reverse("frontend:staff-invoice-credit", args=[invoice.pk])
    return client.post(url, {"reason": reason}, follow=True)


def test_crediting_issues_a_credit_note_that_refers_to_the_original(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    response = credit(accounting_client, invoice, "Väärä päivä")
    note = Invoice.objects.get(credited_invoice=invoice)
    assert response.redirect_chain[-1][0] == reverse("frontend:staff-invoice", args=[note.pk])
    assert (note.total_gross, note.credited_number) == (Decimal("-90.00"), invoice.number_text)
    assert (
        f"Credit note {note.number_text} was issued for invoice {invoice.number_text}."
        in shown_messages(response)
    )
    assert "Väärä päivä" in response.content.decode()
    original = accounting_client.get(reverse("frontend:staff-invoice", args=[invoice.pk]))
    assert "Credited by credit note" in original.content.decode()
    assert original.context["balance"].state == "credited"


def test_a_credit_without_reason_or_of_a_draft_or_twice_is_refused(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(8))], actor=None)
    before = written()
    response = credit(accounting_client, invoice, "   ")
    assert response.context["form"].errors["reason"] and written() == before

    response = credit(accounting_client, draft, "Virhe")
    assert "Only an issued invoice can be credited" in shown_messages(response)[0]
    assert written() == before

    credit(accounting_client, invoice, "Virhe")
    before = written()
    response = credit(accounting_client, invoice, "Uudestaan")
    assert written() == before
    assert "has already been credited" in shown_messages(response)[0]


# --- Payments --------------------------------------------------------------------------


def pay(client, invoice, amount: str, paid_on: str | None = None, note: str = "", seen=None):
    """Send the payment form as the invoice page shows it: with the payments seen there."""
    url = reverse("frontend:staff-invoice-payment", args=[invoice.pk])
    paid_on = paid_on or days_ago(1).isoformat()
    seen = Payment.objects.filter(invoice=invoice).count() if seen is None else seen
    data = {"amount": amount, "paid_on": paid_on, "note": note, "payments_seen": seen}
    return client.post(url, data, follow=True)


def test_a_payment_form_sent_twice_records_one_payment(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    first = pay(accounting_client, invoice, "90,00", seen=0)
    assert "Payment of 90.00 € recorded." in shown_messages(first)
    before = written()
    again = pay(accounting_client, invoice, "90,00", seen=0)  # the same form, a double click
    assert shown_messages(again)[0].startswith("Nothing was recorded")
    assert written() == before
    assert again.context["balance"].state == "paid"


def test_a_paid_invoice_offers_no_payment_form_but_can_still_be_credited(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    pay(accounting_client, invoice, "90,00")
    page = accounting_client.get(reverse("frontend:staff-invoice", args=[invoice.pk]))
    html = page.content.decode()
    assert reverse("frontend:staff-invoice-payment", args=[invoice.pk]) not in html
    assert reverse("frontend:staff-invoice-credit", args=[invoice.pk]) in html


def test_a_partial_then_the_rest_of_the_payment_marks_the_invoice_paid(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    response = pay(accounting_client, invoice, "40,50", note="Osamaksu")
    assert "Payment of 40.50 € recorded." in shown_messages(response)
    assert response.context["balance"].state == "partly_paid"
    assert response.context["balance"].outstanding == Decimal("49.50")
    response = pay(accounting_client, invoice, "49.50")
    assert response.context["balance"].state == "paid"
    assert "Paid" in response.content.decode() and "Osamaksu" in response.content.decode()
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [
        Decimal("40.50"),
        Decimal("49.50"),
    ]


@pytest.mark.parametrize(
    ("amount", "paid_on", "field"),
    [
        ("-5.00", None, "amount"),
        ("0", None, "amount"),
        ("abc", None, "amount"),
        ("12.345", None, "amount"),
        ("1e9", None, "amount"),
        ("", None, "amount"),
        ("NaN", None, "amount"),
        ("10.00", "2026-02-30", "paid_on"),
        ("10.00", "1899-12-31", "paid_on"),
        ("10.00", "in two days", "paid_on"),
    ],
)
def test_a_malformed_payment_is_refused_on_its_field(
    accounting_client, books, amount, paid_on, field
):
    if paid_on == "in two days":  # on the pinned clock, so not when the suite is collected
        paid_on = (timezone.localdate() + timedelta(days=2)).isoformat()
    invoice = issued_on(books, days_ago(3))
    before = written()
    response = pay(accounting_client, invoice, amount, paid_on)
    assert response.status_code == 200
    assert list(response.context["payment_form"].errors) == [field]
    assert written() == before


def test_no_payment_on_a_credited_invoice_or_a_draft(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    invoice_credit(invoice=invoice, actor=None, reason="Peruttu")
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(8))], actor=None)
    before = written()
    for target, message in ((invoice, "has been credited"), (draft, "issued invoices only")):
        response = pay(accounting_client, target, "10.00")
        assert message in shown_messages(response)[0]
        assert shown_messages(response)[0].startswith("Nothing was changed.")
    assert written() == before


def test_a_payment_by_reference_number_finds_its_invoice(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    url = reverse("frontend:staff-payment-by-reference")
    data = {"reference": invoice.rf_reference_text, "amount": "90", "paid_on": days_ago(1)}
    response = accounting_client.post(url, data, follow=True)
    assert f"Payment of 90.00 € recorded on invoice {invoice.number_text}." in shown_messages(
        response
    )
    payment = Payment.objects.get()
    assert (payment.invoice, payment.method) == (invoice, "reference")

    before = written()
    for reference in ("1234 5678", "RF00 1234", "x" * 41):
        response = accounting_client.post(url, {**data, "reference": reference})
        assert response.context["form"].errors["reference"]
    assert written() == before


# --- Files for bookkeeping -------------------------------------------------------------


def export(client, first, last, file: str):
    url = reverse("frontend:staff-invoice-export")
    return client.get(url, {"first_day": first, "last_day": last, "file": file})


def test_csv_of_the_lines_of_a_period(accounting_client, books):
    inside = issued_on(books, days_ago(20))
    issued_on(books, days_ago(50))  # before the period
    response = export(accounting_client, days_ago(30), days_ago(0), "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["number", "issue_date", "due_date"]
    assert [row[0] for row in rows[1:]] == [inside.number_text]
    assert rows[1][13] == inside.reference and rows[1][-2:] == ["3000", ""]
    assert response["Cache-Control"] == "private, no-store"


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_defused(accounting_client, books):
    renter = make_customer('=HYPERLINK("http://example.invalid","x")', "2331972-7")
    invoice = issued_on(books, days_ago(5), customer=renter)
    response = export(accounting_client, days_ago(30), days_ago(0), "csv")
    row = next(csv.reader(io.StringIO(response.content.decode().splitlines()[1])))
    assert row[5] == "'" + invoice.buyer_name
    assert row[8] == f"{invoice.total_net:.2f}"  # amounts stay numbers


def test_zip_of_the_pdfs_of_a_period_holds_the_stored_bytes(accounting_client, books):
    first, second = issued_on(books, days_ago(20)), issued_on(books, days_ago(10))
    response = export(accounting_client, days_ago(30), days_ago(0), "zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"{first.number_text}.pdf", f"{second.number_text}.pdf"]
    assert archive.read(f"{first.number_text}.pdf") == bytes(first.pdf.content)


@pytest.mark.parametrize(
    ("first", "last", "file", "field"),
    [
        ("2026-03-01", "2026-02-01", "csv", "last_day"),
        ("2024-01-01", "2026-01-01", "zip", "last_day"),
        ("", "2026-01-01", "csv", "first_day"),
        ("2026-01-01", "kesäkuu", "zip", "last_day"),
        ("2026-01-01", "2026-01-31", "exe", "__all__"),
    ],
)
def test_a_bad_period_or_file_is_refused_on_the_page(accounting_client, first, last, file, field):
    response = export(accounting_client, first, last, file)
    assert response["Content-Type"].startswith("text/html")
    assert list(response.context["form"].errors) == [field]
