"""The invoicing audit trail: every service that acts on an issued invoice records who
did what and when, in the same transaction as the act itself."""

from __future__ import annotations

from decimal import Decimal

from bookings.services import Actor
from invoicing.models import Invoice, InvoiceAction, InvoiceEvent, PaymentMethod
from invoicing.money import money_text

# A payment's way in decides its entry; any other method (a bank statement import, which
# may add its own) is recorded as a payment from a statement.
PAYMENT_ACTIONS: dict[str, InvoiceAction] = {
    PaymentMethod.MANUAL: InvoiceAction.PAYMENT_BY_HAND,
    PaymentMethod.REFERENCE: InvoiceAction.PAYMENT_BY_REFERENCE,
}


def invoice_event_record(
    *, invoice: Invoice, action: str, actor: Actor, detail: str = ""
) -> InvoiceEvent:
    """One audit entry; call it inside the transaction of the act it records."""
    user = actor if actor is not None and actor.is_authenticated else None
    return InvoiceEvent.objects.create(
        invoice=invoice, action=action, actor=user, detail=detail[:200]
    )


def payment_event_record(
    *, invoice: Invoice, amount: Decimal, method: str, actor: Actor, detail: str = ""
) -> InvoiceEvent:
    """The entry of a payment; the bank statement import calls this for each payment it
    records (with its own method and the statement's archive id as detail)."""
    action = PAYMENT_ACTIONS.get(method, InvoiceAction.PAYMENT_BY_STATEMENT)
    text = f"{money_text(amount, 'en')} EUR"
    return invoice_event_record(
        invoice=invoice, action=action, actor=actor, detail=f"{text} {detail}".strip()
    )
