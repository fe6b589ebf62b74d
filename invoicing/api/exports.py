"""Bookkeeping exports of a period: a CSV of invoice lines and a ZIP of the stored PDFs.

Only issued invoices and credit notes are exported (a draft is not a document yet); the
period is by issue date, both days included.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet

from invoicing.models import InvoiceLine, InvoicePdf, InvoiceStatus, number_text

CSV_COLUMNS = (
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
)


def issued_lines(first_day: date, last_day: date) -> QuerySet[InvoiceLine]:
    """Lines of the invoices and credit notes issued in the period, in number order."""
    return (
        InvoiceLine.objects.filter(
            invoice__status=InvoiceStatus.ISSUED,
            invoice__issue_date__gte=first_day,
            invoice__issue_date__lte=last_day,
        )
        .select_related("invoice")
        .order_by("invoice__year", "invoice__number", "position")
    )


def _csv_row(line: InvoiceLine) -> list[str]:
    invoice = line.invoice
    return [
        invoice.number_text,
        invoice.issue_date.isoformat(),
        invoice.due_date.isoformat(),
        line.service_start.isoformat(),
        line.service_end.isoformat(),
        invoice.buyer_name,
        invoice.buyer_business_id,
        line.description,
        f"{line.net:.2f}",
        line.vat_code,
        "" if line.vat_rate is None else f"{line.vat_rate:.2f}",
        f"{line.vat:.2f}",
        f"{line.gross:.2f}",
        invoice.reference,
    ]


def lines_csv(first_day: date, last_day: date) -> str:
    """RFC 4180 CSV with a decimal point and ISO dates, so bookkeeping software reads it
    as is; the header holds stable column names (translated ones would vary by language)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in issued_lines(first_day, last_day).iterator(chunk_size=500):
        writer.writerow(_csv_row(line))
    return buffer.getvalue()


def _stored_pdfs(first_day: date, last_day: date) -> Iterator[tuple[str, bytes]]:
    pdfs = (
        InvoicePdf.objects.filter(
            invoice__issue_date__gte=first_day, invoice__issue_date__lte=last_day
        )
        .select_related("invoice")
        .only("content", "invoice__year", "invoice__number")
        .order_by("invoice__year", "invoice__number")
    )
    for pdf in pdfs.iterator(chunk_size=50):
        yield f"{number_text(pdf.invoice.year, pdf.invoice.number)}.pdf", bytes(pdf.content)


def pdfs_zip(first_day: date, last_day: date) -> bytes:
    """The stored PDFs of the period, byte for byte, one file per number (`2026-0001.pdf`).
    Stored, not deflated: PDFs are compressed already."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in _stored_pdfs(first_day, last_day):
            archive.writestr(name, content)
    return buffer.getvalue()
