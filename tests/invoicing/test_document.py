"""The invoice document: one plain object every renderer takes, built from the copied
fields; rendering it reads nothing from the database."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from invoicing.csv_lines import render_lines_csv
from invoicing.document import invoice_document
from invoicing.pdf import render_invoice_pdf
from invoicing.services import invoice_create_draft
from tests.invoicing.builders import approved_booking, helsinki, issued, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(hall, invoicing_ready, customer):
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 15),
        customer,
        extras=[{"code": "coffee", "quantity": 20}],
    )
    return issued([booking], issue_date=date(2026, 3, 11))


def test_the_stored_pdf_is_the_rendering_of_the_document(invoice, django_assert_num_queries):
    document = invoice_document(invoice, invoice.lines.order_by("position"))

    with django_assert_num_queries(0):
        content = render_invoice_pdf(document)

    assert content == pdf_bytes(invoice)


def test_csv_renders_the_documents_lines_without_a_query(invoice, django_assert_num_queries):
    document = invoice_document(invoice, invoice.lines.order_by("position"))

    with django_assert_num_queries(0):
        content = render_lines_csv([document])

    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert len(rows) == 2
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert {record["number"] for record in records} == {"2026-0001"}
    assert sum(float(record["gross"]) for record in records) == pytest.approx(
        float(invoice.total_gross)
    )


def test_a_draft_has_no_document(hall, invoicing_ready, customer):
    booking = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), customer)
    draft = invoice_create_draft(bookings=[booking], actor=None)

    with pytest.raises(ValueError, match="draft"):
        invoice_document(draft, draft.lines.all())
