"""Reads and texts shared by the accounting pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from invoicing.models import (
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSending,
    Payment,
    Reminder,
    VatGroup,
    vat_groups,
)
from invoicing.money import money_text
from invoicing.pdf_parts import quantity_text
from invoicing.selectors import Balance, invoice_balance, invoices_with_balance
from invoicing.vat import EXEMPT_SHORT, VatCode, rate_text

if TYPE_CHECKING:
    from invoicing.selectors import InvoiceWithBalance


def language() -> str:
    return (get_language() or "fi")[:2]


def vat_label(code: str, rate: Decimal | None) -> str:
    """What the VAT column says: the rate, "exempt" (never "0 %", VAT Act 27 §), or a
    dash when the seller is not registered for VAT."""
    if code == VatCode.EXEMPT:
        return str(EXEMPT_SHORT)
    if rate is None:
        return "–"
    return rate_text(rate, language())


@dataclass(frozen=True)
class LineRow:
    line: InvoiceLine
    quantity: str
    vat_label: str


@dataclass(frozen=True)
class VatRow:
    group: VatGroup
    vat_label: str


def line_rows(lines: Iterable[InvoiceLine]) -> list[LineRow]:
    return [
        LineRow(
            line, quantity_text(line.quantity, language()), vat_label(line.vat_code, line.vat_rate)
        )
        for line in lines
    ]


def line_labels(lines: Iterable[InvoiceLine]) -> list[tuple[int, str]]:
    """Lines as a form offers them: position and "1: Juhlasali … (90,00 €)"."""
    return [
        (
            line.position,
            f"{line.position}: {line.description} ({money_text(line.net, language())} €)",
        )
        for line in lines
    ]


def vat_rows(lines: Iterable[InvoiceLine]) -> list[VatRow]:
    return [VatRow(group, vat_label(group.vat_code, group.vat_rate)) for group in vat_groups(lines)]


def invoice_with_details(pk: int) -> InvoiceWithBalance:
    """One invoice with its balance, lines, payments, bookings and credit links (404 if
    there is no such invoice)."""
    rows = (
        invoices_with_balance()
        .select_related("customer", "credited_invoice")
        .prefetch_related(
            Prefetch("credit_notes", queryset=Invoice.objects.order_by("year", "number")),
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")),
            Prefetch(
                "payments",
                queryset=Payment.objects.select_related("recorded_by", "bank_entry").order_by(
                    "paid_on", "pk"
                ),
            ),
            Prefetch("bookings", queryset=Booking.objects.select_related("room").order_by("start")),
            Prefetch(
                "sendings",
                queryset=InvoiceSending.objects.select_related("sent_by").order_by("sent_at", "pk"),
            ),
            Prefetch("events", queryset=InvoiceEvent.objects.select_related("actor")),
            Prefetch("reminders", queryset=Reminder.objects.defer("pdf").order_by("sequence")),
        )
    )
    return get_object_or_404(rows, pk=pk)


def balance_of(invoice: InvoiceWithBalance) -> Balance:
    """Paid, open or overdue, from the annotations of `invoices_with_balance`."""
    return invoice_balance(
        invoice,
        paid=invoice.paid,
        credited=invoice.credited,
        credited_amount=invoice.credited_amount,
    )


def detail_url(pk: int) -> str:
    return reverse("frontend:staff-invoice", kwargs={"pk": pk})


def refusal(request: HttpRequest, error: ValidationError) -> None:
    """Tell accounting why a service refused; nothing was changed."""
    nothing = _("Nothing was changed.")
    messages.error(request, f"{nothing} {' '.join(error.messages)}")
