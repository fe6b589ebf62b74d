"""Issuing a draft: its number, reference, seller copy and PDF (credit notes too, which
`invoicing.services.credits` makes)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.services import Actor
from invoicing.models import (
    Invoice,
    InvoiceAction,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoicePdf,
    InvoiceStatus,
    ReferenceForm,
    SellerSettings,
    reference_base,
)
from invoicing.references import reference_number
from invoicing.rendering import invoice_pdf
from invoicing.services.audit import invoice_event_record


def _seller_field_label(name: str) -> str:
    # Only a concrete field has a verbose name; full_clean names the seller's own fields.
    field = SellerSettings._meta.get_field(name)
    return str(field.verbose_name if isinstance(field, Field) else name)


def _seller_ready() -> SellerSettings:
    seller = SellerSettings.load()
    try:
        seller.full_clean()
    except ValidationError as error:
        fields = ", ".join(_seller_field_label(name) for name in error.message_dict)
        raise ValidationError(
            _("Complete the seller settings before issuing invoices: %(fields)s.")
            % {"fields": fields}
        ) from None
    return seller


def _next_number(year: int) -> int:
    """The next number of the year. The counter row stays locked until the issuing
    transaction ends, so concurrent issues queue here, and a rollback returns the number."""
    InvoiceCounter.objects.bulk_create([InvoiceCounter(year=year)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _copy_seller(invoice: Invoice, seller: SellerSettings) -> None:
    invoice.seller_name = seller.name
    invoice.seller_address = seller.address
    invoice.seller_business_id = seller.business_id
    invoice.seller_iban = seller.iban
    invoice.seller_bic = seller.bic
    invoice.seller_vat_registered = seller.vat_registered
    invoice.seller_contact = seller.contact
    invoice.penalty_interest_rate = seller.penalty_interest_rate
    invoice.barcode_uses_rf = seller.reference_form == ReferenceForm.RF
    invoice.seller_e_invoice_address = seller.e_invoice_address
    invoice.seller_e_invoice_operator = seller.e_invoice_operator


def _logo_bytes(seller: SellerSettings) -> bytes | None:
    if not seller.logo:
        return None
    with seller.logo.open("rb") as handle:
        return handle.read()


def _refuse_unissuable(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise ValidationError(_("Invoice %(number)s is already issued.") % {"number": invoice})
    if not lines:
        raise ValidationError(_("An invoice needs at least one line."))
    if not invoice.buyer_address.strip():
        # VAT Act 209 e § 5: the buyer's name and address.
        raise ValidationError({"buyer_address": _("Enter the buyer's address before issuing.")})


@transaction.atomic
def invoice_issue(*, invoice: Invoice, actor: Actor, issue_date: date | None = None) -> Invoice:
    """Give a draft the next number of the year, its reference number, dates and a copy
    of the seller, render its PDF and store it, all in one transaction."""
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    lines = list(current.lines.order_by("position"))
    _refuse_unissuable(current, lines)
    seller = _seller_ready()
    day = issue_date or timezone.localdate()
    _copy_seller(current, seller)
    current.year, current.issue_date = day.year, day
    current.number = _next_number(day.year)
    if current.kind == InvoiceKind.INVOICE:
        current.due_date = day + timedelta(days=seller.payment_term_days)
        current.reference = reference_number(reference_base(current.year, current.number))
    else:
        current.due_date = day  # nothing to pay on a credit note
    current.status, current.issued_at, current.issued_by = (
        InvoiceStatus.ISSUED,
        timezone.now(),
        actor,
    )
    current.full_clean(exclude=["customer", "credited_invoice"], validate_constraints=False)
    current.save()
    content = invoice_pdf(current, lines, logo=_logo_bytes(seller))
    InvoicePdf.objects.create(
        invoice=current, content=content, sha256=hashlib.sha256(content).hexdigest()
    )
    invoice_event_record(
        invoice=current, action=InvoiceAction.ISSUED, actor=actor, detail=current.number_text
    )
    return current
