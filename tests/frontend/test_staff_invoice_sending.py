"""Sending from the accounting pages: one invoice from its page, several from the list
with their e-invoices in one batch file, and the invoice's audit trail shown."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from bookings.models import DeliveryMethod
from invoicing.models import InvoiceSending
from invoicing.services import invoice_create_draft, seller_settings_update
from tests.frontend.invoice_world import (
    booking_on,
    days_ago,
    issued_on,
    overdue_on,
    shown_messages,
)
from tests.invoicing.test_finvoice import batch_documents, schema

pytestmark = pytest.mark.django_db


def detail(client, invoice):
    return client.get(reverse("frontend:staff-invoice", args=[invoice.pk]))


def test_sending_from_the_invoice_page_records_it_and_shows_the_trail(
    accounting_client, accounting_user, books, django_capture_on_commit_callbacks
):
    invoice = issued_on(books, days_ago(3))
    url = reverse("frontend:staff-invoice-send", args=[invoice.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = accounting_client.post(url, follow=True)

    assert any("laskut@1572860.example" in text for text in shown_messages(response))
    page = response.content.decode()
    assert "Sendings of this invoice" in page and "laskut@1572860.example" in page
    trail = page.split("Audit trail", 1)[1]
    assert "Issued" in trail and "Sent" in trail and accounting_user.username in trail
    assert [message.to for message in mail.outbox] == [["laskut@1572860.example"]]
    assert "Send again" in page


def test_sending_twice_from_the_page_asks_for_again(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    url = reverse("frontend:staff-invoice-send", args=[invoice.pk])
    accounting_client.post(url)

    refused = accounting_client.post(url, follow=True)
    again = accounting_client.post(url, {"again": "1"}, follow=True)

    assert any("sent already" in text for text in shown_messages(refused))
    assert any("on its way" in text for text in shown_messages(again))
    assert InvoiceSending.objects.filter(invoice=invoice).count() == 2


def test_bulk_send_from_the_list_offers_the_batch_file(accounting_client, books):
    seller_settings_update(
        actor=None, e_invoice_address="003723319727", e_invoice_operator="NDEAFIHH"
    )
    books.other.e_invoice_address, books.other.e_invoice_operator = "003701120389", "E204503"
    books.other.save()
    by_email = issued_on(books, days_ago(4))
    e_invoice = issued_on(books, days_ago(3), customer=books.other)
    listing = accounting_client.get(reverse("frontend:staff-invoices"))
    assert f'name="invoice" value="{e_invoice.pk}"' in listing.content.decode()

    response = accounting_client.post(
        reverse("frontend:staff-invoices-send"),
        {"invoice": [by_email.pk, e_invoice.pk], "query": "overdue=on"},
        follow=True,
    )

    assert any("2 invoices were sent" in text for text in shown_messages(response))
    (sending,) = InvoiceSending.objects.filter(method=DeliveryMethod.E_INVOICE)
    link = reverse("frontend:staff-e-invoice-batch", args=[sending.batch_id])
    assert link in response.content.decode()
    file = accounting_client.get(link)
    _envelopes, documents = batch_documents(file.content)
    assert [d.findtext("InvoiceDetails/InvoiceNumber") for d in documents] == [
        e_invoice.number_text
    ]
    assert schema().validate(documents[0])


def test_bulk_send_with_nothing_chosen_sends_nothing(accounting_client, books):
    issued_on(books, days_ago(3))

    response = accounting_client.post(reverse("frontend:staff-invoices-send"), {}, follow=True)

    assert any("choose the invoices" in text for text in shown_messages(response))
    assert not InvoiceSending.objects.exists()


def test_a_drafts_delivery_is_chosen_on_its_page(accounting_client, books):
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(3))], actor=None)
    url = reverse("frontend:staff-invoice-delivery", args=[draft.pk])

    accounting_client.post(url, {"delivery_method": DeliveryMethod.PAPER})
    refused = accounting_client.post(
        url, {"delivery_method": DeliveryMethod.E_INVOICE}, follow=True
    )

    draft.refresh_from_db()
    assert draft.delivery_method == DeliveryMethod.PAPER
    assert any("e-invoice address" in text for text in shown_messages(refused))
    assert accounting_client.post(url, {"delivery_method": "pigeon"}).status_code == 404


# --- Payment reminders --------------------------------------------------------------------


def test_reminding_from_the_overdue_list(accounting_client, books):
    overdue = overdue_on(books, days_ago(40))
    listing = accounting_client.get(reverse("frontend:staff-invoices") + "?overdue=on")
    remind_url = reverse("frontend:staff-invoice-remind", args=[overdue.pk])
    assert f'formaction="{remind_url}"' in listing.content.decode()

    response = accounting_client.post(remind_url, {"from": "overdue"}, follow=True)

    assert response.redirect_chain[-1][0].endswith("?overdue=on")
    assert any("Payment reminder 1" in text for text in shown_messages(response))
    (reminder,) = overdue.reminders.all()
    page = detail(accounting_client, overdue).content.decode()
    pdf_url = reverse("frontend:staff-reminder-pdf", args=[reminder.pk])
    assert pdf_url in page and "Payment reminder" in page.split("Audit trail", 1)[1]
    assert accounting_client.get(pdf_url).content == bytes(reminder.pdf)


def test_a_second_reminder_the_same_day_is_refused_on_the_page(accounting_client, books):
    overdue = overdue_on(books, days_ago(40))
    url = reverse("frontend:staff-invoice-remind", args=[overdue.pk])
    accounting_client.post(url)

    response = accounting_client.post(url, follow=True)

    assert any("Nothing was changed" in text for text in shown_messages(response))
    assert overdue.reminders.count() == 1
