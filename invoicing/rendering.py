"""Between the invoice services and the renderers: the document is built here from an
invoice's copied fields and handed to a renderer, so neither side knows the other (a
service never imports reportlab, a renderer never sees a model)."""

from __future__ import annotations

from collections.abc import Iterable

from invoicing.document import invoice_document
from invoicing.models import Invoice, InvoiceLine
from invoicing.pdf import render_invoice_pdf


def invoice_pdf(invoice: Invoice, lines: Iterable[InvoiceLine], *, logo: bytes | None) -> bytes:
    """The PDF of an issued invoice, as stored at issue."""
    return render_invoice_pdf(invoice_document(invoice, lines, logo=logo))
