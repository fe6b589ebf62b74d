"""Bookkeeping files: one invoice's stored PDF, and for a period a CSV of invoice lines
and a ZIP of the stored PDFs. The accounting API and the staff pages both answer with
these, so a download is the same file whichever way it is asked for.

Only issued invoices and credit notes are exported (a draft is not a document yet); a
period is by issue date, both days included.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from invoicing.models import Invoice, InvoiceLine, InvoicePdf, InvoiceStatus

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
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes | str

    def as_attachment(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        # Invoices hold personal data: no shared cache may keep them.
        response["Cache-Control"] = "private, no-store"
        return response


def export_period_check(first_day: date, last_day: date) -> None:
    """Refuse a period that ends before it starts or is longer than a year: a year of
    PDFs is already a large file to build in one request."""
    if last_day < first_day:
        raise ValidationError({"to": _("The end must not be before the start.")})
    if last_day - first_day >= timedelta(days=MAX_PERIOD_DAYS):
        raise ValidationError({"to": _("Ask for at most a year at a time.")})


def invoice_pdf_file(invoice_id: int) -> ExportFile | None:
    """The PDF made when the invoice was issued, byte for byte; None for a draft (which
    has none) or an unknown invoice."""
    invoice = (
        Invoice.objects.select_related("pdf")
        .only("pk", "year", "number", "status", "pdf")
        .filter(pk=invoice_id, status=InvoiceStatus.ISSUED)
        .first()
    )
    if invoice is None:
        return None
    return ExportFile(f"{invoice.number_text}.pdf", "application/pdf", bytes(invoice.pdf.content))


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


# A cell that a spreadsheet would read as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Text typed by someone else (a renter's organisation, a description), kept from
    being run as a formula when the file is opened in a spreadsheet: OWASP's advice, a
    leading apostrophe. Amounts are written by us and left as numbers."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _day(value: date | None) -> str:
    # Only issued invoices are exported, and an issued invoice has both dates.
    return value.isoformat() if value is not None else ""


def _csv_row(line: InvoiceLine) -> list[str]:
    invoice = line.invoice
    return [
        invoice.number_text,
        _day(invoice.issue_date),
        _day(invoice.due_date),
        line.service_start.isoformat(),
        line.service_end.isoformat(),
        _text(invoice.buyer_name),
        _text(invoice.buyer_business_id),
        _text(line.description),
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


def lines_csv_file(first_day: date, last_day: date) -> ExportFile:
    return ExportFile(
        f"invoice-lines-{first_day}-{last_day}.csv",
        "text/csv; charset=utf-8",
        lines_csv(first_day, last_day),
    )


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
        yield f"{pdf.invoice.number_text}.pdf", bytes(pdf.content)


def pdfs_zip(first_day: date, last_day: date) -> bytes:
    """The stored PDFs of the period, byte for byte, one file per number (`2026-0001.pdf`).
    Stored, not deflated: PDFs are compressed already."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in _stored_pdfs(first_day, last_day):
            archive.writestr(name, content)
    return buffer.getvalue()


def pdfs_zip_file(first_day: date, last_day: date) -> ExportFile:
    return ExportFile(
        f"invoices-{first_day}-{last_day}.zip", "application/zip", pdfs_zip(first_day, last_day)
    )
