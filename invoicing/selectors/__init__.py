"""Reads of invoicing that need thought: what can be invoiced, balances, overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db import models
from django.db.models import (
    BooleanField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings.models import Booking, BookingStatus, Customer
from bookings.selectors import day_bounds
from invoicing.models import Invoice, InvoiceBooking, InvoiceKind, InvoiceStatus
from invoicing.money import ZERO
from invoicing.pdf_parts import date_text

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


class BalanceAnnotations(TypedDict):
    """What `invoices_with_balance` adds to each invoice."""

    paid: Decimal
    credited_amount: Decimal
    owed: Decimal
    credited: bool


if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    InvoiceWithBalance = WithAnnotations[Invoice, BalanceAnnotations]


# Approved bookings, and those the renter cancelled late: their fee is billed (SPEC §2.13).
INVOICEABLE = Q(status=BookingStatus.APPROVED) | Q(
    status=BookingStatus.CANCELLED, cancellation_fee_percent__gt=0
)


def bookings_to_invoice(
    *, customer: Customer, first_day: date, last_day: date
) -> QuerySet[Booking]:
    """The customer's approved bookings (and late-cancelled ones, for their fee)
    starting in the period (local days, both included) that are on no invoice yet, or
    only on credited ones."""
    start, end = day_bounds(first_day, last_day)
    billed = InvoiceBooking.objects.filter(booking=OuterRef("pk"), active=True)
    return (
        Booking.objects.filter(customer=customer, start__gte=start, start__lt=end)
        .filter(INVOICEABLE)
        .exclude(Exists(billed))
        .select_related("room")
        .order_by("start", "pk")
    )


def booking_label(booking: Booking) -> str:
    """A booking as accounting's messages name it: its title and day."""
    return f"“{booking.title}” ({date_text(timezone.localtime(booking.start).date())})"


def invoicing_problems(bookings: Sequence[Booking]) -> list[str]:
    """Why these bookings cannot go on one invoice, as sentences (none: they can): each
    must be approved (or cancelled late by the renter, for its fee), have a customer and
    be on no live invoice, and all one customer's."""
    problems: list[StrOrPromise] = []
    for booking in bookings:
        fee_due = booking.status == BookingStatus.CANCELLED and booking.cancellation_fee_percent
        if booking.status != BookingStatus.APPROVED and not fee_due:
            problems.append(_("%(booking)s is not approved.") % {"booking": booking_label(booking)})
        elif booking.customer_id is None:
            problems.append(
                _("%(booking)s has no customer to invoice.") % {"booking": booking_label(booking)}
            )
    if len({booking.customer_id for booking in bookings}) > 1:
        problems.append(_("The bookings belong to different customers; an invoice has one buyer."))
    billed = InvoiceBooking.objects.filter(booking__in=bookings, active=True).select_related(
        "invoice", "booking"
    )
    for row in billed:
        problems.append(
            _("%(booking)s is already on invoice %(invoice)s.")
            % {"booking": booking_label(row.booking), "invoice": str(row.invoice)}
        )
    return [str(problem) for problem in problems]


def booking_can_be_invoiced(booking: Booking) -> bool:
    """Whether a draft invoice would take this booking now (the drafting service asks
    the same question through `invoicing_problems`)."""
    return not invoicing_problems([booking])


def invoices_with_balance() -> QuerySet[InvoiceWithBalance]:
    """Invoices annotated with `paid` (sum of payments), `credited_amount` (what its
    credit notes took off, positive), `owed` (the total less that) and `credited`
    (credited in full: nothing is owed any more)."""
    notes = Invoice.objects.filter(credited_invoice=OuterRef("pk"))
    credit_sum = notes.order_by().values("credited_invoice").annotate(sum=Sum("total_gross"))
    return Invoice.objects.annotate(
        # Rounded in SQL: SQLite adds decimals as floats (0.08 + 76.32 + 13.60 is not 90.00
        # there), and the state filters compare this sum with the total in SQL.
        paid=Coalesce(Round(Sum("payments__amount"), 2), Value(ZERO), output_field=MONEY),
        credited_amount=Coalesce(
            Round(-Subquery(credit_sum.values("sum")[:1]), 2), Value(ZERO), output_field=MONEY
        ),
    ).annotate(
        owed=ExpressionWrapper(F("total_gross") - F("credited_amount"), output_field=MONEY),
        credited=ExpressionWrapper(
            Exists(notes) & Q(credited_amount__gte=F("total_gross")), output_field=BooleanField()
        ),
    )


def invoices_overdue(*, today: date | None = None) -> QuerySet[InvoiceWithBalance]:
    """Issued invoices, not credited in full, past their due date and not fully paid
    (a partly credited invoice owes what its credit notes left)."""
    today = today or timezone.localdate()
    return (
        invoices_with_balance()
        .filter(
            status=InvoiceStatus.ISSUED,
            kind=InvoiceKind.INVOICE,
            credited=False,
            due_date__lt=today,
        )
        .filter(paid__lt=F("owed"))
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
    invoice: Invoice,
    *,
    paid: Decimal,
    credited: bool,
    credited_amount: Decimal = ZERO,
    today: date | None = None,
) -> Balance:
    """Paid or overdue, derived from the payments, the credit notes and the due date
    (never stored); a partly credited invoice owes its total less the credits."""
    today = today or timezone.localdate()
    outstanding = invoice.total_gross - credited_amount - paid
    if invoice.status == InvoiceStatus.DRAFT:
        state = BalanceState.DRAFT
    elif invoice.kind == InvoiceKind.CREDIT_NOTE:
        state = BalanceState.CREDIT_NOTE
    elif credited:
        state = BalanceState.CREDITED
    elif outstanding <= 0:
        state = BalanceState.PAID
    # An issued invoice always has a due date (the model's constraint); a draft left above.
    elif invoice.due_date is not None and invoice.due_date < today:
        state = BalanceState.OVERDUE
    else:
        state = BalanceState.PARTLY_PAID if paid > 0 else BalanceState.OPEN
    # Only an invoice still to be paid has an open amount: a draft, a credit note and a
    # credited invoice owe nothing.
    owing = state in (BalanceState.OPEN, BalanceState.PARTLY_PAID, BalanceState.OVERDUE)
    return Balance(state=state, paid=paid, outstanding=outstanding if owing else ZERO)


def invoice_state_filter(state: str, today: date) -> Q:
    """The states `invoice_balance` derives, as a filter on the annotated `paid` and
    `credited` (lists show the former, so the two must agree)."""
    issued = Q(status=InvoiceStatus.ISSUED, kind=InvoiceKind.INVOICE, credited=False)
    unpaid = issued & Q(paid__lt=F("owed"))
    return {
        BalanceState.DRAFT: Q(status=InvoiceStatus.DRAFT),
        BalanceState.CREDIT_NOTE: Q(status=InvoiceStatus.ISSUED, kind=InvoiceKind.CREDIT_NOTE),
        BalanceState.CREDITED: Q(status=InvoiceStatus.ISSUED, kind=InvoiceKind.INVOICE)
        & Q(credited=True),
        BalanceState.PAID: issued & Q(paid__gte=F("owed")),
        BalanceState.OVERDUE: unpaid & Q(due_date__lt=today),
        BalanceState.PARTLY_PAID: unpaid & Q(due_date__gte=today, paid__gt=0),
        BalanceState.OPEN: unpaid & Q(due_date__gte=today, paid__lte=0),
    }[BalanceState(state)]


def invoices_newest_first() -> QuerySet[InvoiceWithBalance]:
    """Invoices with their balance, drafts first, then by issue date, newest first."""
    return invoices_with_balance().order_by(F("issue_date").desc(nulls_first=True), "-pk")


@dataclass(frozen=True)
class InvoiceFilters:
    """What accounting narrows an invoice list by; empty values filter nothing."""

    customer_id: int | None = None
    state: str = ""
    overdue: bool = False
    issued_from: date | None = None
    issued_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None


def invoices_filtered(
    filters: InvoiceFilters, *, today: date | None = None
) -> QuerySet[InvoiceWithBalance]:
    """Invoices and credit notes matching every filter given, newest first."""
    today = today or timezone.localdate()
    rows = invoices_newest_first()
    if filters.customer_id is not None:
        # A merged customer's issued invoices stay with its old record (they never change).
        rows = rows.filter(
            Q(customer_id=filters.customer_id) | Q(customer__merged_into_id=filters.customer_id)
        )
    if filters.state:
        rows = rows.filter(invoice_state_filter(filters.state, today))
    if filters.overdue:
        rows = rows.filter(invoice_state_filter(BalanceState.OVERDUE, today))
    bounds = {
        "issue_date__gte": filters.issued_from,
        "issue_date__lte": filters.issued_to,
        "due_date__gte": filters.due_from,
        "due_date__lte": filters.due_to,
    }
    return rows.filter(**{lookup: day for lookup, day in bounds.items() if day is not None})
