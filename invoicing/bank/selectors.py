"""Reads of the bank part: statements with their counts, an entry's remainder, and the
entries accounting still has to resolve."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Round

from invoicing.bank.models import STATES_TO_RESOLVE, BankEntry, BankStatement, EntryState
from invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Payment
from invoicing.money import ZERO
from invoicing.references import reference_from_payment

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from invoicing.selectors import InvoiceWithBalance

    class Allocation(TypedDict):
        allocated: Decimal

    EntryWithAllocation = WithAnnotations[BankEntry, Allocation]

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
TO_RESOLVE = Q(state__in=STATES_TO_RESOLVE, resolution="")


def bank_entries_with_allocation() -> QuerySet[EntryWithAllocation]:
    """Entries annotated with `allocated`, the sum of the payments made from them."""
    # Rounded in SQL: SQLite adds decimals as floats.
    return BankEntry.objects.annotate(
        allocated=Coalesce(Round(Sum("payments__amount"), 2), Value(ZERO), output_field=MONEY)
    )


def bank_entry_remainder(entry: BankEntry) -> Decimal:
    """What of the entry's amount is on no invoice yet."""
    allocated = entry.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    return entry.amount - allocated


def bank_statements_newest_first() -> QuerySet[BankStatement]:
    """Statements with `entry_count`, `matched_count` and `to_resolve_count`."""
    return (
        BankStatement.objects.select_related("imported_by")
        .defer("content")
        .annotate(
            entry_count=Count("entries"),
            matched_count=Count("entries", filter=Q(entries__state=EntryState.MATCHED)),
            to_resolve_count=Count(
                "entries",
                filter=Q(entries__state__in=STATES_TO_RESOLVE, entries__resolution=""),
            ),
        )
        .order_by("-imported_at", "-pk")
    )


def bank_entries_of(statement: BankStatement) -> QuerySet[EntryWithAllocation]:
    """A statement's entries in file order, with the invoices their payments went to."""
    return (
        bank_entries_with_allocation()
        .filter(statement=statement)
        .select_related("invoice", "resolved_by")
        .prefetch_related(
            Prefetch("payments", queryset=Payment.objects.select_related("invoice").order_by("pk"))
        )
        .order_by("position")
    )


def bank_entries_to_resolve() -> QuerySet[EntryWithAllocation]:
    """Partial payments, over-payments and unknown references not yet resolved, oldest
    booking first (SPEC §2.15)."""
    return (
        bank_entries_with_allocation()
        .filter(TO_RESOLVE)
        .select_related("invoice", "statement")
        .prefetch_related(
            Prefetch("payments", queryset=Payment.objects.select_related("invoice").order_by("pk"))
        )
        .order_by("booked_on", "pk")
    )


def payable_invoice_find(text: str) -> Invoice | None:
    """An issued invoice (not a credit note) by its number (`2026-0001`) or its reference
    number, Finnish or RF; None when there is none."""
    compact = "".join(text.split())
    invoices = Invoice.objects.filter(status=InvoiceStatus.ISSUED, kind=InvoiceKind.INVOICE)
    year, dash, number = compact.partition("-")
    if dash and year.isdigit() and number.isdigit() and len(year) == 4:
        return invoices.filter(year=int(year), number=int(number)).first()
    try:
        reference = reference_from_payment(compact)
    except ValueError:
        return None
    return invoices.filter(reference=reference).first()


def open_amount(invoice: InvoiceWithBalance) -> Decimal:
    """What an invoice annotated by `invoices_with_balance` still owes (zero when it is
    credited or paid)."""
    if invoice.credited:
        return ZERO
    return max(invoice.owed - invoice.paid, ZERO)
