"""Bookkeeping files: one invoice's stored PDF, and for a period a CSV of invoice lines
and a ZIP of the stored PDFs. The accounting API and the staff pages both answer with
these, so a download is the same file whichever way it is asked for.

Only issued invoices and credit notes are exported (a draft is not a document yet); a
period is by issue date, both days included.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoicing.csv_lines import render_lines_csv
from invoicing.document import InvoiceDocument, invoice_document
from invoicing.finvoice import render_finvoice, render_finvoice_batch
from invoicing.models import Invoice, InvoiceLine, InvoicePdf, InvoiceStatus

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


def invoice_finvoice_file(invoice_id: int) -> ExportFile | None:
    """The Finvoice 3.0 document of an issued invoice or credit note; None for a draft."""
    invoice = (
        Invoice.objects.filter(pk=invoice_id, status=InvoiceStatus.ISSUED)
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
        .first()
    )
    if invoice is None:
        return None
    document = invoice_document(invoice, invoice.lines.all())
    content = render_finvoice(document, created=timezone.localtime())
    return ExportFile(f"{invoice.number_text}.xml", "application/xml", content)


def finvoice_batch_file(first_day: date, last_day: date) -> ExportFile:
    """The period's invoices and credit notes that an operator can route (the buyer's
    e-invoice address and operator known), each behind its SOAP envelope, in one file."""
    invoices = (
        issued_invoices(first_day, last_day)
        .exclude(buyer_e_invoice_address="")
        .exclude(buyer_e_invoice_operator="")
    )
    documents = (invoice_document(invoice, invoice.lines.all()) for invoice in invoices)
    content = render_finvoice_batch(documents, created=timezone.localtime())
    return ExportFile(f"finvoice-{first_day}-{last_day}.xml", "application/xml", content)


def issued_invoices(first_day: date, last_day: date) -> QuerySet[Invoice]:
    """Invoices and credit notes issued in the period, in number order, with their lines."""
    return (
        Invoice.objects.filter(
            status=InvoiceStatus.ISSUED, issue_date__gte=first_day, issue_date__lte=last_day
        )
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
        .order_by("year", "number")
    )


def issued_lines(first_day: date, last_day: date) -> QuerySet[InvoiceLine]:
    """Lines of the invoices and credit notes issued in the period, in number order: the
    rows of the CSV, which the revenue report sums."""
    return (
        InvoiceLine.objects.filter(
            invoice__status=InvoiceStatus.ISSUED,
            invoice__issue_date__gte=first_day,
            invoice__issue_date__lte=last_day,
        )
        .select_related("invoice")
        .order_by("invoice__year", "invoice__number", "position")
    )


def period_documents(first_day: date, last_day: date) -> Iterator[InvoiceDocument]:
    for invoice in issued_invoices(first_day, last_day).iterator(chunk_size=200):
        yield invoice_document(invoice, invoice.lines.all())


def lines_csv(first_day: date, last_day: date) -> bytes:
    """The lines of the period's invoices and credit notes (`invoicing.csv_lines`)."""
    return render_lines_csv(period_documents(first_day, last_day))


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
