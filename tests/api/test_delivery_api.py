"""Sending over the API (SPEC §3.6): `POST invoices/{id}/send/` by the invoice's method,
and a bulk send whose e-invoices come back as one downloadable batch file."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail

from invoicing.services import invoice_draft_update, invoice_issue, seller_settings_update
from tests.api.test_invoices_api import accountant, accounts  # noqa: F401
from tests.invoicing.test_finvoice import batch_documents

pytestmark = pytest.mark.django_db


def test_send_delivers_by_email_and_shows_the_sending(
    accountant,  # noqa: F811
    accounts,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = accountant.post(
            f"/api/v1/invoices/{accounts.issued.pk}/send/", {}, format="json"
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["delivery_method"] == "email"
    (sending,) = body["sendings"]
    assert (sending["method"], sending["recipient"]) == ("email", "maija@example.org")
    assert [event["action"] for event in body["events"]] == ["issued", "sent"]
    assert len(mail.outbox) == 1


def test_sending_twice_needs_again(accountant, accounts):  # noqa: F811
    url = f"/api/v1/invoices/{accounts.issued.pk}/send/"
    accountant.post(url, {}, format="json")

    refused = accountant.post(url, {}, format="json")
    again = accountant.post(url, {"again": True}, format="json")

    assert refused.status_code == 400
    assert "sent already" in refused.json()["message"] + str(refused.json()["errors"])
    assert again.status_code == 200 and len(again.json()["sendings"]) == 2


def test_bulk_send_returns_the_batch_to_download(accountant, accounts):  # noqa: F811
    seller_settings_update(
        actor=None, e_invoice_address="003723319727", e_invoice_operator="NDEAFIHH"
    )
    invoice_draft_update(
        invoice=accounts.draft,
        actor=None,
        buyer_e_invoice_address="003715728600",
        buyer_e_invoice_operator="E204503",
        delivery_method="e_invoice",
    )
    e_invoice = invoice_issue(invoice=accounts.draft, actor=None)

    response = accountant.post(
        "/api/v1/invoices/send/", {"invoices": [e_invoice.pk, accounts.issued.pk]}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sent"] == 2 and body["batch"] is not None
    download = accountant.get(urlsplit(body["batch_url"]).path)
    assert download.status_code == 200
    _envelopes, documents = batch_documents(download.content)
    assert [d.findtext("InvoiceDetails/InvoiceNumber") for d in documents] == [
        e_invoice.number_text
    ]


def test_bulk_send_of_an_unknown_invoice_changes_nothing(accountant, accounts):  # noqa: F811
    response = accountant.post(
        "/api/v1/invoices/send/", {"invoices": [accounts.issued.pk, 999999]}, format="json"
    )

    assert response.status_code == 400
    assert accounts.issued.sendings.count() == 0
