"""Payments: recorded by hand or matched by reference number, whole or partial."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.errors import StaleRevision
from bookings.services import Actor
from invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentMethod
from invoicing.money import amount_parse
from invoicing.references import reference_from_payment

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
    if Invoice.objects.filter(credited_invoice=invoice).exists():
        raise ValidationError(
            _("Invoice %(number)s has been credited; no payment can be recorded on it.")
            % {"number": invoice}
        )


def _payment_date(paid_on: object) -> date:
    if not isinstance(paid_on, date) or isinstance(paid_on, datetime):
        raise ValidationError({"paid_on": _("Enter the payment date.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date is in the future.")})
    return paid_on


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
) -> Payment:
    """Record a payment, whole or partial, on an issued invoice that is not credited.

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
    payment = Payment(
        invoice=current, amount=value, paid_on=day, method=method, note=note, recorded_by=actor
    )
    payment.full_clean(exclude=["invoice"])
    payment.save()
    return payment


@transaction.atomic
def payment_record_by_reference(
    *, reference: str, amount: object, paid_on: date, actor: Actor = None
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
        invoice=invoice, amount=amount, paid_on=paid_on, actor=actor, method=PaymentMethod.REFERENCE
    )
