"""Sending issued invoices (SPEC §2.15): by the customer's method chosen at draft, e-mail
with the stored PDF through the outbox, e-invoices into a Finvoice batch, paper marked
printed; every sending recorded and in the invoice's audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from bookings.models import DeliveryMethod
from frontend.models import OutgoingEmail
from invoicing.models import InvoiceAction, InvoiceSending
from invoicing.services import (
    invoice_create_draft,
    invoice_draft_update,
    invoice_issue,
    invoice_send,
    invoices_send,
    seller_settings_update,
)
from tests.invoicing.builders import approved_booking, helsinki, issued, pdf_bytes, pdf_text
from tests.invoicing.test_finvoice import batch_documents, schema

pytestmark = pytest.mark.django_db


def booked(hall, customer, day: int):
    return approved_booking(hall, helsinki(2026, 3, day, 9), helsinki(2026, 3, day, 11), customer)


@pytest.fixture
def e_invoicing(invoicing_ready, customer):
    seller_settings_update(
        actor=None, e_invoice_address="003723319727", e_invoice_operator="NDEAFIHH"
    )
    customer.e_invoice_address, customer.e_invoice_operator = "003715728600", "E204503"
    customer.save()
    return customer


def test_draft_takes_the_customers_method_and_the_pdf_shows_it(hall, invoicing_ready, customer):
    customer.invoice_delivery = DeliveryMethod.PAPER
    customer.save()

    invoice = issued([booked(hall, customer, 10)], issue_date=date(2026, 3, 11))

    assert invoice.delivery_method == DeliveryMethod.PAPER
    text = pdf_text(pdf_bytes(invoice))
    with translation.override("fi"):
        assert str(_("Delivered by")) in text
        assert str(DeliveryMethod.PAPER.label) in text


def test_a_customer_with_an_e_invoice_address_gets_e_invoices(hall, e_invoicing):
    draft = invoice_create_draft(bookings=[booked(hall, e_invoicing, 10)], actor=None)

    assert draft.delivery_method == DeliveryMethod.E_INVOICE


def test_email_sends_the_stored_pdf_through_the_outbox(
    hall, invoicing_ready, customer, accountant, django_capture_on_commit_callbacks
):
    invoice = issued([booked(hall, customer, 10)], issue_date=date(2026, 3, 11))

    with django_capture_on_commit_callbacks(execute=True):
        sending = invoice_send(invoice=invoice, actor=accountant)

    assert (sending.method, sending.recipient) == (DeliveryMethod.EMAIL, "maija@example.org")
    (message,) = mail.outbox
    assert message.to == ["maija@example.org"]
    assert "2026-0001" in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("2026-0001.pdf", "application/pdf")
    assert content == pdf_bytes(invoice)
    stored = OutgoingEmail.objects.get(dedupe_key=sending.email_key)
    assert stored.sent_at is not None  # recorded in the outbox, retried there if it failed
    (event,) = invoice.events.filter(action=InvoiceAction.SENT)
    assert event.actor == accountant and "email" in event.detail


def test_e_invoices_sent_together_go_into_one_valid_batch(hall, e_invoicing, accountant):
    first = issued([booked(hall, e_invoicing, 10)], issue_date=date(2026, 3, 11))
    second = issued([booked(hall, e_invoicing, 12)], issue_date=date(2026, 3, 13))

    sendings = invoices_send(invoices=[second, first], actor=accountant)

    batch = sendings[0].batch
    assert batch is not None and {s.batch_id for s in sendings} == {batch.pk}
    assert batch.invoice_count == 2
    envelopes, documents = batch_documents(bytes(batch.content))
    assert len(envelopes) == 2
    assert all(schema().validate(document) for document in documents)
    assert [d.findtext("InvoiceDetails/InvoiceNumber") for d in documents] == [
        "2026-0001",
        "2026-0002",
    ]
    assert sendings[0].recipient == "003715728600 (E204503)"
    assert mail.outbox == []


def test_paper_is_marked_printed_to_the_postal_address(hall, invoicing_ready, customer):
    draft = invoice_create_draft(bookings=[booked(hall, customer, 10)], actor=None)
    invoice_draft_update(invoice=draft, actor=None, delivery_method=DeliveryMethod.PAPER)
    invoice = invoice_issue(invoice=draft, actor=None, issue_date=date(2026, 3, 11))

    sending = invoice_send(invoice=invoice, actor=None)

    assert sending.method == DeliveryMethod.PAPER
    assert sending.recipient == "Turun Perhetyö ry, Esimerkkikatu 1, 20100 Turku"
    assert sending.batch is None and mail.outbox == []


def test_an_invoice_is_sent_again_only_on_purpose(hall, invoicing_ready, customer):
    invoice = issued([booked(hall, customer, 10)], issue_date=date(2026, 3, 11))
    invoice_send(invoice=invoice, actor=None)

    with pytest.raises(ValidationError, match="sent already"):
        invoice_send(invoice=invoice, actor=None)
    invoice_send(invoice=invoice, actor=None, again=True)

    assert InvoiceSending.objects.filter(invoice=invoice).count() == 2


def test_bulk_send_is_all_or_nothing(hall, invoicing_ready, customer):
    good = issued([booked(hall, customer, 10)], issue_date=date(2026, 3, 11))
    draft = invoice_create_draft(bookings=[booked(hall, customer, 12)], actor=None)

    with pytest.raises(ValidationError) as refused:
        invoices_send(invoices=[good, draft], actor=None)

    assert "draft" in " ".join(refused.value.messages)
    assert not InvoiceSending.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_e_invoice_without_the_buyers_address_is_refused_at_draft(hall, invoicing_ready, customer):
    draft = invoice_create_draft(bookings=[booked(hall, customer, 10)], actor=None)

    with pytest.raises(ValidationError) as refused:
        invoice_draft_update(invoice=draft, actor=None, delivery_method=DeliveryMethod.E_INVOICE)

    assert "delivery_method" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.delivery_method == DeliveryMethod.EMAIL
