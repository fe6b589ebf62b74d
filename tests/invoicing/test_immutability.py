"""An issued invoice never changes and is never deleted, by any path (SPEC §2.7): the
services refuse, the models and querysets refuse, and the database refuses even raw
SQL (triggers, migration 0003)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from invoicing.models import ImmutableInvoice, Invoice, InvoiceLine, InvoicePdf
from invoicing.services import (
    invoice_create_draft,
    invoice_draft_delete,
    invoice_draft_update,
    invoice_issue,
)
from tests.invoicing.builders import approved_booking, helsinki, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(hall, invoicing_ready, customer):
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 11),
        customer,
        extras=[{"code": "coffee", "quantity": 5}],
    )
    return issued([booking], issue_date=date(2026, 3, 11))


def unchanged(invoice: Invoice) -> tuple:
    row = Invoice.objects.values_list("buyer_name", "total_gross", "status").get(pk=invoice.pk)
    lines = list(InvoiceLine.objects.filter(invoice=invoice).values_list("net", flat=True))
    return row, lines, bytes(InvoicePdf.objects.get(invoice=invoice).content)


def test_services_refuse_to_change_issue_again_or_delete_an_issued_invoice(invoice):
    before = unchanged(invoice)

    with pytest.raises(ValidationError):
        invoice_draft_update(invoice=invoice, actor=None, buyer_name="Joku muu")
    with pytest.raises(ValidationError):
        invoice_issue(invoice=invoice, actor=None)
    with pytest.raises(ValidationError):
        invoice_draft_delete(invoice=invoice, actor=None)

    assert unchanged(invoice) == before


def test_models_and_querysets_refuse_every_write(invoice):
    before = unchanged(invoice)
    loaded = Invoice.objects.get(pk=invoice.pk)
    line = InvoiceLine.objects.filter(invoice=invoice).first()
    pdf = InvoicePdf.objects.get(invoice=invoice)
    attempts = [
        loaded.save,
        loaded.delete,
        lambda: Invoice.objects.filter(pk=invoice.pk).update(buyer_name="Joku muu"),
        lambda: Invoice.objects.filter(pk=invoice.pk).delete(),
        line.save,
        line.delete,
        lambda: InvoiceLine(
            invoice=invoice,
            position=99,
            description="Lisä",
            service_start=date(2026, 3, 10),
            service_end=date(2026, 3, 10),
            quantity=1,
            unit="pcs",
            unit_price=1,
            vat_code="general",
            net=1,
            vat=0,
            gross=1,
        ).save(),
        pdf.save,
        pdf.delete,
    ]

    for attempt in attempts:
        with pytest.raises(ImmutableInvoice):
            attempt()

    assert unchanged(invoice) == before


def raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE invoicing_invoice SET buyer_name = 'Joku muu' WHERE id = %s",
        "UPDATE invoicing_invoice SET status = 'draft' WHERE id = %s",
        "UPDATE invoicing_invoiceline SET net = 0, gross = 0 WHERE invoice_id = %s",
        "UPDATE invoicing_invoicepdf SET content = content WHERE invoice_id = %s",
        "INSERT INTO invoicing_invoiceline (invoice_id, position, description, service_start,"
        " service_end, quantity, unit, unit_price, vat_code, net, vat, gross)"
        " VALUES (%s, 99, 'Lisä', '2026-03-10', '2026-03-10', 1, 'pcs', 1, 'general', 1, 0, 1)",
    ],
)
def test_the_database_refuses_raw_updates_of_an_issued_invoice(invoice, sql):
    before = unchanged(invoice)

    with pytest.raises(IntegrityError):
        raw(sql, [invoice.pk])

    assert unchanged(invoice) == before


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM invoicing_invoicepdf WHERE invoice_id = %s",
        "DELETE FROM invoicing_invoiceline WHERE invoice_id = %s",
        "DELETE FROM invoicing_invoice WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_deletes_of_an_issued_invoice(invoice, sql):
    before = unchanged(invoice)

    with pytest.raises(IntegrityError):
        raw(sql, [invoice.pk])

    assert unchanged(invoice) == before


def test_a_draft_can_still_be_corrected_and_deleted(hall, invoicing_ready, customer):
    booking = approved_booking(hall, helsinki(2026, 3, 12, 9), helsinki(2026, 3, 12, 11), customer)
    draft = invoice_create_draft(bookings=[booking], actor=None)

    corrected = invoice_draft_update(invoice=draft, actor=None, buyer_address="PL 5\n20101 Turku")
    assert corrected.buyer_address == "PL 5\n20101 Turku"

    invoice_draft_delete(invoice=draft, actor=None)
    assert not Invoice.objects.filter(pk=draft.pk).exists()
