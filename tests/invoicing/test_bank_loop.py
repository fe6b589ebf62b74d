"""The money loop on the configured database (CI runs it on SQLite and PostgreSQL): an
invoice issued, sent by e-mail through the outbox and a real SMTP server, the bank's
statement imported through the API, the invoice shown paid with every step in its audit
trail; and two imports of the same bank entry at the same instant record it once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from frontend.models import OutgoingEmail
from invoicing.bank.services import bank_statement_import
from invoicing.models import BankEntry, BankStatement, Payment
from invoicing.services import invoice_create_draft, invoice_issue
from tests import threads
from tests.frontend.invoice_world import booking_on, books_open, days_ago, issued_on
from tests.invoicing.bank_files import Entry, KtlPayment, camt054, ktl

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_issued_invoice_is_emailed_and_paid_by_the_imported_statement(
    accounting_user, smtp_server
):
    books = books_open()
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(16))], actor=accounting_user)
    invoice = invoice_issue(invoice=draft, actor=accounting_user, issue_date=days_ago(15))
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(accounting_user)
    assert api.get(f"/api/v1/invoices/{invoice.pk}/").json()["open_amount"] == "90.00"

    sent = api.post(f"/api/v1/invoices/{invoice.pk}/send/", {}, format="json")

    assert sent.status_code == 200, sent.content
    assert sent.json()["delivery_method"] == "email"
    (message,) = smtp_server.messages
    assert message["To"] == invoice.buyer_email
    assert invoice.number_text in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_payload(decode=True) == bytes(invoice.pdf.content)
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()

    statement = camt054(
        [Entry("90.00", days_ago(1), reference=invoice.rf_reference_text.replace(" ", ""))]
    )
    answer = api.post(
        "/api/v1/bank-statements/",
        {"file": SimpleUploadedFile("camt054.xml", statement)},
        format="multipart",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["matched"] == 1
    shown = api.get(f"/api/v1/invoices/{invoice.pk}/").json()
    assert (shown["state"], shown["open_amount"], shown["paid"]) == ("paid", "0.00", "90.00")
    assert shown["payments"][0]["date"] == str(days_ago(1))
    page = Client()
    page.force_login(accounting_user)
    detail = page.get(reverse("frontend:staff-invoice", args=[invoice.pk]))
    assert detail.context["balance"].state == "paid"
    entry = BankEntry.objects.get()
    statement_url = reverse("frontend:staff-bank-statement", args=[entry.statement_id])
    assert f'<a href="{statement_url}">From a bank statement</a>' in detail.content.decode()
    assert [event["action"] for event in shown["events"]] == [
        "issued",
        "sent",
        "payment_statement",
    ]


def run_at_once(jobs: list) -> list[str]:
    """Racing imports: each is imported or refused."""
    return threads.run_at_once(jobs, refusal=ValidationError, done="imported", refused="refused")


def test_the_same_entry_imported_twice_at_once_is_paid_once():
    books = books_open()
    invoice = issued_on(books, days_ago(20))
    entry = KtlPayment("90.00", days_ago(2), invoice.reference)
    # Two different files (other entries beside it), so the file hash does not decide.
    files = [
        ktl([entry, KtlPayment("1.00", days_ago(1) - timedelta(days=n), "1232")]) for n in range(4)
    ]

    outcomes = run_at_once(
        [
            lambda content=content: bank_statement_import(
                content=content, file_name="viitteet.txt", actor=None
            )
            for content in files
        ]
    )

    assert set(outcomes) <= {"imported", "refused"}, outcomes
    assert "imported" in outcomes
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert BankEntry.objects.filter(archive_id=entry.archive).count() == 1
    assert BankStatement.objects.count() == outcomes.count("imported")
