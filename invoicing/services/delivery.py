"""Sending issued invoices by the delivery method chosen at draft (SPEC §2.15): e-mail
with the stored PDF through the outbox, e-invoices into a Finvoice file batch for the
operator's upload, paper marked printed. Each sending is recorded (when, how, to whom)
and written into the audit trail."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import DeliveryMethod
from invoicing.document import invoice_document
from invoicing.finvoice import render_finvoice_batch
from invoicing.hooks import InvoiceEmail, email_hooks_run
from invoicing.models import (
    EInvoiceBatch,
    Invoice,
    InvoiceAction,
    InvoiceSending,
    InvoiceStatus,
)
from invoicing.services.audit import Actor, invoice_event_record

# The most invoices one bulk send takes, from the API and the accounting page alike.
MAX_SEND_INVOICES = 500


def _refuse_unsendable(invoice: Invoice, *, again: bool) -> None:
    if invoice.status != InvoiceStatus.ISSUED:
        raise ValidationError(
            _("Invoice %(number)s is a draft: issue it before sending.") % {"number": invoice}
        )
    if not again and invoice.sendings.exists():
        raise ValidationError(
            _("Invoice %(number)s has been sent already; send it again on purpose only.")
            % {"number": invoice}
        )
    method = invoice.delivery_method
    if method == DeliveryMethod.EMAIL and not invoice.buyer_email:
        raise ValidationError(
            _("Invoice %(number)s has no billing e-mail to send it to.") % {"number": invoice}
        )
    if method == DeliveryMethod.E_INVOICE:
        if not (invoice.buyer_e_invoice_address and invoice.buyer_e_invoice_operator):
            raise ValidationError(
                _("Invoice %(number)s has no e-invoice address and operator for the buyer.")
                % {"number": invoice}
            )
        if not (invoice.seller_e_invoice_address and invoice.seller_e_invoice_operator):
            raise ValidationError(
                _("Invoice %(number)s was issued without the seller's e-invoice address.")
                % {"number": invoice}
            )


def recipient_of(invoice: Invoice) -> str:
    """To whom, as recorded: the address the method delivers to."""
    if invoice.delivery_method == DeliveryMethod.EMAIL:
        return invoice.buyer_email
    if invoice.delivery_method == DeliveryMethod.E_INVOICE:
        return f"{invoice.buyer_e_invoice_address} ({invoice.buyer_e_invoice_operator})"
    lines = [invoice.buyer_name, *invoice.buyer_address.splitlines()]
    return ", ".join(line.strip() for line in lines if line.strip())[:254]


def _email(invoice: Invoice, sending: InvoiceSending) -> None:
    key = f"invoice-sending:{sending.pk}"
    email_hooks_run(
        InvoiceEmail(
            kind="invoice",
            key=key,
            to=invoice.buyer_email,
            language=invoice.language,
            number=invoice.number_text,
            seller_name=invoice.seller_name,
            amount=invoice.total_gross,
            due_date=None if invoice.is_credit_note else invoice.due_date,
            filename=f"{invoice.number_text}.pdf",
            pdf=bytes(invoice.pdf.content),
        )
    )
    sending.email_key = key
    sending.save(update_fields=["email_key"])


def _batch_make(invoices: Sequence[Invoice], actor: Actor) -> EInvoiceBatch:
    documents = [
        invoice_document(invoice, invoice.lines.order_by("position")) for invoice in invoices
    ]
    content = render_finvoice_batch(documents, created=timezone.localtime())
    user = actor if actor is not None and actor.is_authenticated else None
    return EInvoiceBatch.objects.create(
        created_by=user,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        invoice_count=len(documents),
    )


def _record(invoice: Invoice, actor: Actor, batch: EInvoiceBatch | None) -> InvoiceSending:
    user = actor if actor is not None and actor.is_authenticated else None
    sending = InvoiceSending.objects.create(
        invoice=invoice,
        method=invoice.delivery_method,
        recipient=recipient_of(invoice),
        sent_by=user,
        batch=batch,
    )
    detail = invoice.delivery_method + (f" batch {batch.pk}" if batch else "")
    invoice_event_record(invoice=invoice, action=InvoiceAction.SENT, actor=actor, detail=detail)
    return sending


@transaction.atomic
def invoices_send(
    *, invoices: Sequence[Invoice], actor: Actor, again: bool = False
) -> list[InvoiceSending]:
    """Send each invoice by its delivery method, all or none: e-mails are stored in the
    outbox and sent after the commit, e-invoices go into one new file batch, paper ones
    are marked printed. An invoice sent before is refused unless `again`."""
    if not invoices:
        raise ValidationError({"invoices": [str(_("Choose at least one invoice."))]})
    if len(invoices) > MAX_SEND_INVOICES:
        raise ValidationError(
            {
                "invoices": [
                    str(
                        _("Send at most %(count)d invoices at a time.")
                        % {"count": MAX_SEND_INVOICES}
                    )
                ]
            }
        )
    locked = list(
        Invoice.objects.select_for_update()
        .filter(pk__in=[invoice.pk for invoice in invoices])
        .order_by("year", "number", "pk")
    )
    problems = []
    for invoice in locked:
        try:
            _refuse_unsendable(invoice, again=again)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"invoices": problems})
    e_invoices = [i for i in locked if i.delivery_method == DeliveryMethod.E_INVOICE]
    batch = _batch_make(e_invoices, actor) if e_invoices else None
    sendings = []
    for invoice in locked:
        in_batch = batch if invoice.delivery_method == DeliveryMethod.E_INVOICE else None
        sending = _record(invoice, actor, in_batch)
        if invoice.delivery_method == DeliveryMethod.EMAIL:
            _email(invoice, sending)
        sendings.append(sending)
    return sendings


def invoice_send(*, invoice: Invoice, actor: Actor, again: bool = False) -> InvoiceSending:
    """Send one invoice by its delivery method (see `invoices_send`)."""
    (sending,) = invoices_send(invoices=[invoice], actor=actor, again=again)
    return sending
