"""Payments: recorded by hand or matched by reference number, whole or partial."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.errors import StaleRevision
from bookings.validators import within_years, years_message
from invoicing.models import (
    BankEntry,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from invoicing.money import amount_parse
from invoicing.references import reference_from_payment
from invoicing.selectors.credits import invoice_credited_amount, invoice_fully_credited
from invoicing.services.audit import Actor, payment_event_record

# --- Payments --------------------------------------------------------------------------


class PaymentsChanged(StaleRevision):
    """The invoice got a payment after the caller counted its payments: the same payment
    sent twice (a double click, a retried request) is refused instead of paid twice."""

    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "Nothing was recorded: this invoice got a payment after its payments "
                    "were shown. Check its payments and send this one again if it is "
                    "still missing."
                )
            )
        )


def _refuse_unpayable(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.ISSUED:
        raise ValidationError(_("Payments are recorded on issued invoices only."))
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        raise ValidationError(_("A credit note is not paid; record payments on invoices."))
    if invoice_fully_credited(invoice):
        raise ValidationError(
            _("Invoice %(number)s has been credited; no payment can be recorded on it.")
            % {"number": invoice}
        )


def _payment_date(paid_on: object) -> date:
    if not isinstance(paid_on, date) or isinstance(paid_on, datetime):
        raise ValidationError({"paid_on": _("Enter the payment date.")})
    if not within_years(paid_on):
        raise ValidationError({"paid_on": years_message()})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date is in the future.")})
    return paid_on


def _refuse_unlikely(invoice: Invoice, amount: Decimal, paid_on: date) -> None:
    """A payment larger than what is still open, or dated before the invoice was issued,
    is most often a typing error (100,000 € on a 430 € invoice, the year 1900): refused
    until accounting confirms that it really happened."""
    errors: dict[str, str] = {}
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    open_amount = invoice.total_gross - invoice_credited_amount(invoice) - paid
    if amount > open_amount:
        errors["amount"] = str(
            _("This is more than the open amount of %(open)s €. Confirm it to record it anyway.")
            % {"open": open_amount}
        )
    if invoice.issue_date and paid_on < invoice.issue_date:
        errors["paid_on"] = str(
            _(
                "This is before the invoice was issued on %(issued)s. Confirm it to "
                "record it anyway."
            )
            % {"issued": invoice.issue_date.strftime("%d.%m.%Y")}
        )
    if errors:
        raise ValidationError(errors, code="unconfirmed")


@transaction.atomic
def payment_record(
    *,
    invoice: Invoice,
    amount: object,
    paid_on: date,
    actor: Actor,
    method: str = PaymentMethod.MANUAL,
    note: str = "",
    payments_seen: int | None = None,
    bank_entry: BankEntry | None = None,
    confirmed: bool = False,
) -> Payment:
    """Record a payment, whole or partial, on an issued invoice that is not credited;
    one from a bank statement names its entry (and `method` is then `statement`). One
    typed by a person above the open amount or dated before the issue is recorded only
    when `confirmed`; a bank entry is what the bank booked, so it needs no confirmation.

    `payments_seen` is how many payments the invoice had when the person (or client)
    looked; compared under the invoice's row lock, so of two identical submissions one
    is recorded and the other refused with PaymentsChanged. A hand-made payment passes it
    on every path; None (no count seen) is for matched bank payments."""
    value = amount_parse(amount)
    day = _payment_date(paid_on)
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _refuse_unpayable(current)
    if payments_seen is not None and current.payments.count() != payments_seen:
        raise PaymentsChanged
    if not confirmed and bank_entry is None:
        _refuse_unlikely(current, value, day)
    payment = Payment(
        invoice=current,
        amount=value,
        paid_on=day,
        method=PaymentMethod.STATEMENT if bank_entry is not None else method,
        note=note,
        recorded_by=actor,
        bank_entry=bank_entry,
    )
    payment.full_clean(exclude=["invoice", "bank_entry"])
    payment.save()
    payment_event_record(
        invoice=current,
        amount=value,
        method=payment.method,
        actor=actor,
        detail=bank_entry.archive_id if bank_entry is not None else "",
    )
    return payment


@transaction.atomic
def payment_record_by_reference(
    *,
    reference: str,
    amount: object,
    paid_on: date,
    actor: Actor = None,
    confirmed: bool = False,
) -> Payment:
    """Record a payment matched by its reference number, Finnish or RF."""
    try:
        compact = reference_from_payment(reference)
    except ValueError:
        raise ValidationError({"reference": _("This is not a valid reference number.")}) from None
    invoice = Invoice.objects.filter(
        reference=compact, status=InvoiceStatus.ISSUED, kind=InvoiceKind.INVOICE
    ).first()
    if invoice is None:
        raise ValidationError(
            {"reference": _("No invoice has the reference number %(reference)s.")
             % {"reference": reference}}
        )  # fmt: skip
    return payment_record(
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        actor=actor,
        method=PaymentMethod.REFERENCE,
        confirmed=confirmed,
    )
