"""Reads of invoicing that need thought: what can be invoiced, balances, overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, Exists, F, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from bookings.models import Booking, BookingStatus, Customer
from bookings.selectors import day_bounds
from invoicing.models import Invoice, InvoiceBooking, InvoiceKind, InvoiceStatus
from invoicing.money import ZERO

MONEY = DecimalField(max_digits=12, decimal_places=2)


def bookings_to_invoice(
    *, customer: Customer, first_day: date, last_day: date
) -> QuerySet[Booking]:
    """The customer's approved bookings starting in the period (local days, both
    included) that are on no invoice yet, or only on credited ones."""
    start, end = day_bounds(first_day, last_day)
    billed = InvoiceBooking.objects.filter(booking=OuterRef("pk"), active=True)
    return (
        Booking.objects.filter(
            customer=customer, status=BookingStatus.APPROVED, start__gte=start, start__lt=end
        )
        .exclude(Exists(billed))
        .select_related("room")
        .order_by("start", "pk")
    )


def invoices_with_balance() -> QuerySet[Invoice]:
    """Invoices annotated with `paid` (sum of payments) and `credited` (has a credit note)."""
    credit_notes = Invoice.objects.filter(credited_invoice=OuterRef("pk"))
    return Invoice.objects.annotate(
        paid=Coalesce(Sum("payments__amount"), Value(ZERO), output_field=MONEY),
        credited=Exists(credit_notes),
    )


def invoices_overdue(*, today: date | None = None) -> QuerySet[Invoice]:
    """Issued invoices, not credited, past their due date and not fully paid."""
    today = today or timezone.localdate()
    return (
        invoices_with_balance()
        .filter(
            status=InvoiceStatus.ISSUED,
            kind=InvoiceKind.INVOICE,
            credited=False,
            due_date__lt=today,
        )
        .filter(paid__lt=F("total_gross"))
        .order_by("due_date", "year", "number")
    )


class BalanceState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("invoice state", "Draft")
    CREDIT_NOTE = "credit_note", pgettext_lazy("invoice state", "Credit note")
    CREDITED = "credited", pgettext_lazy("invoice state", "Credited")
    PAID = "paid", pgettext_lazy("invoice state", "Paid")
    PARTLY_PAID = "partly_paid", pgettext_lazy("invoice state", "Partly paid")
    OVERDUE = "overdue", pgettext_lazy("invoice state", "Overdue")
    OPEN = "open", pgettext_lazy("invoice state", "Open")


@dataclass(frozen=True)
class Balance:
    state: BalanceState
    paid: Decimal
    outstanding: Decimal


def invoice_balance(
    invoice: Invoice, *, paid: Decimal, credited: bool, today: date | None = None
) -> Balance:
    """Paid or overdue, derived from the payments and the due date (never stored)."""
    today = today or timezone.localdate()
    outstanding = invoice.total_gross - paid
    if invoice.status == InvoiceStatus.DRAFT:
        state = BalanceState.DRAFT
    elif invoice.kind == InvoiceKind.CREDIT_NOTE:
        state = BalanceState.CREDIT_NOTE
    elif credited:
        state = BalanceState.CREDITED
    elif outstanding <= 0:
        state = BalanceState.PAID
    elif invoice.due_date < today:
        state = BalanceState.OVERDUE
    else:
        state = BalanceState.PARTLY_PAID if paid > 0 else BalanceState.OPEN
    return Balance(state=state, paid=paid, outstanding=max(outstanding, ZERO))
