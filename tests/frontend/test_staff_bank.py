"""The accounting page for bank statements: a file uploaded and matched, its entries and
what they paid, and the payments to resolve. Every refusal leaves everything as it was."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from invoicing.models import BankEntry, BankStatement, Payment, Resolution
from tests.frontend.invoice_world import days_ago, issued_on, shown_messages
from tests.invoicing.bank_files import Entry, camt054

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str = "tiliote.xml"):
    return client.post(
        reverse("frontend:staff-bank-statements"),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def resolve(client, entry: BankEntry, **data: str):
    url = reverse("frontend:staff-bank-resolve", args=[entry.pk])
    return client.post(url, data, follow=True)


def test_an_uploaded_statement_pays_its_invoice_and_shows_its_entries(accounting_client, books):
    invoice = issued_on(books, days_ago(20))
    content = camt054(
        [
            Entry("90.00", days_ago(1), reference=invoice.reference, payer="Turun Perhetyö"),
            Entry("12.00", days_ago(1), message="vuokra maaliskuu"),
        ]
    )

    response = upload(accounting_client, content)

    assert shown_messages(response) == [
        "Statement imported: 2 new entries, 1 paid their invoice, 1 to resolve, 0 imported before."
    ]
    page = response.content.decode()
    assert "Turun Perhetyö" in page and "vuokra maaliskuu" in page
    assert invoice.number_text in page
    assert "No reference number." in page
    assert invoice.payments.get().amount == 90


def test_a_broken_file_is_shown_as_an_error_and_changes_nothing(accounting_client, books):
    response = upload(accounting_client, b"<Document>ei tiliote")

    assert response.status_code == 200
    assert "The file is not well-formed XML." in response.content.decode()
    assert not BankStatement.objects.exists()


def test_the_same_file_twice_is_refused_on_the_page(accounting_client, books):
    content = camt054([Entry("5.00", days_ago(1))])
    upload(accounting_client, content)

    response = upload(accounting_client, content)

    assert "This file was imported already" in response.content.decode()
    assert BankStatement.objects.count() == 1


def test_an_unknown_payment_is_assigned_by_invoice_number(accounting_client, books):
    invoice = issued_on(books, days_ago(20))
    upload(accounting_client, camt054([Entry("90.00", days_ago(1), message="lasku")]))
    entry = BankEntry.objects.get()
    listed = accounting_client.get(reverse("frontend:staff-bank-unresolved")).content.decode()
    assert entry.archive_id in listed

    response = resolve(
        accounting_client, entry, action="assign", invoice=invoice.number_text, note=""
    )

    assert shown_messages(response) == [
        f"90.00 € of entry {entry.archive_id} recorded on invoice {invoice.number_text}."
    ]
    assert "Nothing to resolve" in response.content.decode()
    assert invoice.payments.get().bank_entry == entry


def test_assigning_to_an_unknown_invoice_is_refused(accounting_client, books):
    upload(accounting_client, camt054([Entry("90.00", days_ago(1))]))
    entry = BankEntry.objects.get()

    response = resolve(accounting_client, entry, action="assign", invoice="2099-0001")

    assert shown_messages(response) == [
        "Nothing was changed. No issued invoice has the number or reference 2099-0001."
    ]
    assert not Payment.objects.exists()
    assert entry.archive_id in response.content.decode()


def test_ignoring_needs_a_note_and_then_takes_the_entry_off_the_list(accounting_client, books):
    upload(accounting_client, camt054([Entry("3.00", days_ago(1))]))
    entry = BankEntry.objects.get()

    refused = resolve(accounting_client, entry, action="ignore", note="")
    assert shown_messages(refused) == ["Nothing was changed. Say why, for the bookkeeping."]

    done = resolve(accounting_client, entry, action="ignore", note="Pankin testimaksu")
    assert shown_messages(done) == [f"Entry {entry.archive_id} taken off the list."]
    entry.refresh_from_db()
    assert (entry.resolution, entry.resolution_note) == (Resolution.IGNORED, "Pankin testimaksu")
