"""Finvoice over the API (SPEC §3.6): one invoice's document, and a period's batch for
the operator, each valid against the official schema."""

from __future__ import annotations

import pytest
from django.utils import timezone

from invoicing.services import invoice_draft_update, invoice_issue, seller_settings_update
from tests.api.test_invoices_api import accountant, accounts, period_query  # noqa: F401
from tests.invoicing.test_finvoice import batch_documents, schema, valid

pytestmark = pytest.mark.django_db


def test_one_invoice_as_finvoice(accountant, accounts):  # noqa: F811
    response = accountant.get(f"/api/v1/invoices/{accounts.issued.pk}/finvoice.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{accounts.issued.number_text}.xml"'
    )
    root = valid(response.content)
    assert root.findtext("InvoiceDetails/InvoiceNumber") == accounts.issued.number_text


def test_a_draft_has_no_finvoice(accountant, accounts):  # noqa: F811
    response = accountant.get(f"/api/v1/invoices/{accounts.draft.pk}/finvoice.xml")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_batch_holds_the_invoices_an_operator_can_route(accountant, accounts):  # noqa: F811
    seller_settings_update(
        actor=None, e_invoice_address="003723319727", e_invoice_operator="NDEAFIHH"
    )
    routed = accounts.issued
    today = timezone.localdate()
    query = period_query(routed.issue_date, today)

    empty = accountant.get(f"/api/v1/invoices/finvoice.xml{query}")
    invoice_draft_update(
        invoice=accounts.draft,
        actor=None,
        buyer_e_invoice_address="003715728600",
        buyer_e_invoice_operator="E204503",
    )
    invoice_issue(invoice=accounts.draft, actor=None)
    response = accountant.get(f"/api/v1/invoices/finvoice.xml{query}")

    assert empty.status_code == 200 and batch_documents(empty.content) == ([], [])
    envelopes, documents = batch_documents(response.content)
    assert len(envelopes) == len(documents) == 1
    assert schema().validate(documents[0])
    assert documents[0].findtext(
        "MessageTransmissionDetails/MessageReceiverDetails/ToIdentifier"
    ) == ("003715728600")


def test_batch_refuses_a_backward_period(accountant, accounts):  # noqa: F811
    today = timezone.localdate()

    response = accountant.get(
        f"/api/v1/invoices/finvoice.xml{period_query(today, today.replace(year=today.year - 1))}"
    )

    assert response.status_code == 400
    assert "to" in response.json()["errors"]
