"""An invoice's lines and the totals they sum to: shared by drafts and credit notes."""

from __future__ import annotations

from collections.abc import Sequence

from invoicing.models import Invoice, InvoiceLine
from invoicing.money import ZERO


def invoice_totals_set(invoice: Invoice, lines: Sequence[InvoiceLine]) -> None:
    """Set the invoice's net, VAT and gross totals from its lines (not saved)."""
    # Totals are sums of rounded lines, never a rounding of a sum.
    invoice.total_net = sum((line.net for line in lines), ZERO)
    invoice.total_vat = sum((line.vat for line in lines), ZERO)
    invoice.total_gross = sum((line.gross for line in lines), ZERO)


def invoice_lines_store(invoice: Invoice, lines: Sequence[InvoiceLine]) -> None:
    """Validate the unsaved lines and store them on the invoice, numbered from 1."""
    for position, line in enumerate(lines, start=1):
        line.invoice, line.position = invoice, position
        line.full_clean(
            exclude=["invoice", "booking", "credited_line", "discounted_line"],
            validate_constraints=False,
        )
    InvoiceLine.objects.bulk_create(lines)
