"""What of an issued invoice its credit notes have credited, and what is left."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from invoicing.models import Invoice, InvoiceLine, VatGroup, vat_groups
from invoicing.money import ZERO


def invoice_uncredited(invoice: Invoice) -> list[VatGroup]:
    """What no credit note has credited yet, by VAT code and rate: the invoice's lines
    and its credit notes' (negative) lines added up. One query."""
    lines = InvoiceLine.objects.filter(
        Q(invoice=invoice) | Q(invoice__credited_invoice=invoice)
    ).only("vat_code", "vat_rate", "net", "vat", "gross")
    return vat_groups(lines)


def invoice_credited_line_ids(invoice: Invoice) -> set[int]:
    """The ids of the invoice's lines a credit note has already credited."""
    rows = InvoiceLine.objects.filter(
        invoice__credited_invoice=invoice, credited_line__isnull=False
    ).values_list("credited_line_id", flat=True)
    return {line_id for line_id in rows if line_id is not None}


def invoice_credited_amount(invoice: Invoice) -> Decimal:
    """What the invoice's credit notes took off its total, as a positive amount."""
    total = Invoice.objects.filter(credited_invoice=invoice).aggregate(sum=Sum("total_gross"))
    return -(total["sum"] or ZERO)


def invoice_fully_credited(invoice: Invoice) -> bool:
    """Whether credit notes have taken the whole invoice off (nothing is owed any more)."""
    notes = Invoice.objects.filter(credited_invoice=invoice)
    return notes.exists() and invoice_credited_amount(invoice) >= invoice.total_gross
