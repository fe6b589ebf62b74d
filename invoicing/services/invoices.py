"""Drafts from bookings, issuing (number, reference, seller copy, PDF) and credit notes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, BookingStatus, Customer, DeliveryMethod
from bookings.services import Actor
from invoicing.models import (
    BookingPrice,
    Invoice,
    InvoiceAction,
    InvoiceBooking,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    InvoicePdf,
    InvoiceStatus,
    ReferenceForm,
    SellerSettings,
    VatGroup,
    reference_base,
    vat_groups,
)
from invoicing.money import ZERO
from invoicing.quotes import PriceLine, cancellation_fee_lines, quote_booking, vat_table
from invoicing.references import reference_number
from invoicing.rendering import invoice_pdf
from invoicing.selectors import booking_label, invoicing_problems
from invoicing.services.audit import invoice_event_record
from invoicing.snapshots import snapshot_lines

# The most bookings one invoice takes, from the API and from the accounting pages alike.
MAX_INVOICE_BOOKINGS = 200


# --- Drafts ----------------------------------------------------------------------------


def _refuse_uninvoiceable(bookings: list[Booking]) -> Customer:
    """The one customer of bookings that may be invoiced together; refuses any other."""
    problems = invoicing_problems(bookings)
    customer = bookings[0].customer
    # A booking without a customer is one of the problems, so customer is set past here.
    if problems or customer is None:
        raise ValidationError({"bookings": problems})
    return customer


def _priced_lines(booking: Booking, snapshot: BookingPrice | None) -> list[PriceLine]:
    """The price kept at approval; priced again only if staff moved the booking since.
    A booking the renter cancelled late is billed its cancellation fee instead."""
    if snapshot is not None and snapshot.matches(booking):
        lines = snapshot_lines(snapshot)
    else:
        lines = _quoted_lines(booking)
    if booking.status == BookingStatus.CANCELLED:
        return cancellation_fee_lines(lines, booking.cancellation_fee_percent)
    return lines


def _quoted_lines(booking: Booking) -> list[PriceLine]:
    try:
        return list(quote_booking(booking).lines)
    except ValidationError as error:
        message = _("%(booking)s cannot be priced: %(problem)s") % {
            "booking": booking_label(booking),
            "problem": " ".join(error.messages),
        }
        raise ValidationError({"bookings": [str(message)]}) from None


def _draft_lines(bookings: list[Booking], seller: SellerSettings, language: str):
    snapshots = {row.booking_id: row for row in BookingPrice.objects.filter(booking__in=bookings)}
    table = vat_table()
    for booking in bookings:
        for priced in _priced_lines(booking, snapshots.get(booking.pk)):
            # VAT follows the seller's registration and the rate table when invoicing;
            # the snapshot fixes the agreed price without VAT.
            line = priced.with_vat(table, seller.vat_registered)
            yield InvoiceLine(
                booking=booking,
                description=line.description(language)[:300],
                service_start=line.service_start,
                service_end=line.service_end,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                vat_code=line.vat_code,
                vat_rate=line.vat_rate,
                net=line.net,
                vat=line.vat,
                gross=line.gross,
            )


def _buyer_fields(customer: Customer, bookings: list[Booking]) -> dict[str, str]:
    # The customer's details first: what accounting keeps; the booking's as typed else.
    first = bookings[0]
    references = dict.fromkeys(b.buyer_reference for b in bookings if b.buyer_reference)
    return {
        "buyer_name": customer.organisation,
        "buyer_address": customer.billing_address or first.billing_address,
        "buyer_business_id": customer.business_id,
        "buyer_e_invoice_address": customer.e_invoice_address or first.e_invoice_address,
        "buyer_e_invoice_operator": customer.e_invoice_operator or first.e_invoice_operator,
        "buyer_reference": "; ".join(references)[:200],
        "buyer_email": customer.email or first.email,
        "delivery_method": customer.delivery_method,
    }


def _set_totals(invoice: Invoice, lines: Sequence[InvoiceLine]) -> None:
    # Totals are sums of rounded lines, never a rounding of a sum.
    invoice.total_net = sum((line.net for line in lines), ZERO)
    invoice.total_vat = sum((line.vat for line in lines), ZERO)
    invoice.total_gross = sum((line.gross for line in lines), ZERO)


def _lines_store(invoice: Invoice, lines: Sequence[InvoiceLine]) -> None:
    for position, line in enumerate(lines, start=1):
        line.invoice, line.position = invoice, position
        line.full_clean(exclude=["invoice", "booking"], validate_constraints=False)
    InvoiceLine.objects.bulk_create(lines)


def _draft_ids(bookings: Sequence[Booking]) -> set[int]:
    ids = {booking.pk for booking in bookings}
    if not ids:
        raise ValidationError({"bookings": [str(_("Choose at least one booking."))]})
    return ids


def _draft_build(
    bookings: list[Booking], seller: SellerSettings, actor: Actor
) -> tuple[Invoice, list[InvoiceLine]]:
    """The unsaved draft and its lines: what creating it writes and a preview shows."""
    if not bookings:
        raise ValidationError({"bookings": [str(_("There is no such booking."))]})
    customer = _refuse_uninvoiceable(bookings)
    language = seller.language_for(customer.language)
    lines = list(_draft_lines(bookings, seller, language))
    invoice = Invoice(customer=customer, language=language, created_by=actor)
    for name, value in _buyer_fields(customer, bookings).items():
        setattr(invoice, name, value)
    _set_totals(invoice, lines)
    return invoice, lines


@dataclass(frozen=True)
class DraftPreview:
    """The draft invoice that `invoice_create_draft` would make now, unsaved."""

    invoice: Invoice
    lines: list[InvoiceLine]

    @property
    def vat_breakdown(self) -> list[VatGroup]:
        return vat_groups(self.lines)


def invoice_draft_preview(*, bookings: Sequence[Booking]) -> DraftPreview:
    """The lines, buyer and totals a draft of these bookings would get, refused for the
    same reasons as creating it. Writes nothing (not even the empty seller row)."""
    ids = _draft_ids(bookings)
    rows = list(
        Booking.objects.select_related("room", "customer")
        .filter(pk__in=ids)
        .order_by("start", "pk")
    )
    seller = SellerSettings.objects.filter(pk=1).first() or SellerSettings(pk=1)
    invoice, lines = _draft_build(rows, seller, None)
    return DraftPreview(invoice=invoice, lines=lines)


@transaction.atomic
def invoice_create_draft(*, bookings: Sequence[Booking], actor: Actor) -> Invoice:
    """A draft invoice of approved, not yet invoiced bookings of one customer, with its
    lines priced and the buyer copied; refused with a message per problem otherwise."""
    ids = _draft_ids(bookings)
    locked = list(
        Booking.objects.select_for_update(of=("self",))
        .select_related("room", "customer")
        .filter(pk__in=ids)
        .order_by("start", "pk")
    )
    invoice, lines = _draft_build(locked, SellerSettings.load(), actor)
    invoice.full_clean(exclude=["customer"], validate_constraints=False)
    invoice.save()
    _lines_store(invoice, lines)
    try:
        with transaction.atomic():
            InvoiceBooking.objects.bulk_create(
                InvoiceBooking(invoice=invoice, booking=booking) for booking in locked
            )
    except IntegrityError:  # another draft took a booking meanwhile
        raise ValidationError(
            {"bookings": [str(_("A booking was invoiced by someone else meanwhile."))]}
        ) from None
    return invoice


DRAFT_BUYER_FIELDS = (
    "buyer_name",
    "buyer_address",
    "buyer_business_id",
    "buyer_e_invoice_address",
    "buyer_e_invoice_operator",
    "buyer_reference",
    "buyer_email",
    "delivery_method",
    "language",
)


@transaction.atomic
def invoice_draft_update(*, invoice: Invoice, actor: Actor, **fields: str) -> Invoice:
    """Correct the buyer's details on a draft before it is issued; lines come from the
    bookings and are changed by deleting the draft and making a new one."""
    unknown = set(fields) - set(DRAFT_BUYER_FIELDS)
    if unknown:
        raise TypeError(f"not editable on a draft: {', '.join(sorted(unknown))}")
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if current.status != InvoiceStatus.DRAFT:
        raise ValidationError(_("An issued invoice never changes; credit it instead."))
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["customer", "credited_invoice"], validate_constraints=False)
    _refuse_undeliverable(current)
    current.save(update_fields=list(fields))
    return current


def _refuse_undeliverable(invoice: Invoice) -> None:
    """The chosen delivery needs its address: an e-invoice its address and operator, an
    e-mail the billing e-mail (a paper invoice the postal address, checked at issue)."""
    if invoice.delivery_method == DeliveryMethod.E_INVOICE and not (
        invoice.buyer_e_invoice_address.strip() and invoice.buyer_e_invoice_operator.strip()
    ):
        raise ValidationError(
            {"delivery_method": _("An e-invoice needs the buyer's e-invoice address and operator.")}
        )
    if invoice.delivery_method == DeliveryMethod.EMAIL and not invoice.buyer_email.strip():
        raise ValidationError({"delivery_method": _("An e-mailed invoice needs a billing e-mail.")})


@transaction.atomic
def invoice_draft_delete(*, invoice: Invoice, actor: Actor) -> None:
    """Throw a draft away; its bookings can be invoiced again. Issued invoices stay."""
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if current.status != InvoiceStatus.DRAFT:
        raise ValidationError(_("An issued invoice is never deleted; credit it instead."))
    current.delete()


# --- Issuing ---------------------------------------------------------------------------


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


# --- Credit notes ----------------------------------------------------------------------


def _refuse_uncreditable(original: Invoice, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the invoice is credited.")})
    if original.status != InvoiceStatus.ISSUED:
        raise ValidationError(_("Only an issued invoice can be credited; delete a draft."))
    if original.kind == InvoiceKind.CREDIT_NOTE:
        raise ValidationError(_("A credit note cannot be credited."))
    if Invoice.objects.filter(credited_invoice=original).exists():
        raise ValidationError(
            _("Invoice %(number)s has already been credited.") % {"number": original}
        )


def _negated(line: InvoiceLine) -> InvoiceLine:
    return InvoiceLine(
        booking_id=line.booking_id,
        description=line.description,
        service_start=line.service_start,
        service_end=line.service_end,
        quantity=-line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        vat_code=line.vat_code,
        vat_rate=line.vat_rate,
        net=-line.net,
        vat=-line.vat,
        gross=-line.gross,
    )


@transaction.atomic
def invoice_credit(*, invoice: Invoice, actor: Actor, reason: str) -> Invoice:
    """Issue a credit note with its own number that refers to the original by number and
    date and negates each of its lines (so its totals by VAT rate are the original's,
    negative); the original's bookings can then be invoiced again."""
    original = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _refuse_uncreditable(original, reason)
    note = Invoice(
        kind=InvoiceKind.CREDIT_NOTE,
        customer_id=original.customer_id,
        credited_invoice=original,
        credited_number=original.number_text,
        credited_issue_date=original.issue_date,
        credit_reason=reason.strip()[:500],
        language=original.language,
        created_by=actor,
    )
    for name in (
        "buyer_name",
        "buyer_address",
        "buyer_business_id",
        "buyer_e_invoice_address",
        "buyer_e_invoice_operator",
        "buyer_reference",
        "buyer_email",
        "delivery_method",
    ):
        setattr(note, name, getattr(original, name))
    lines = [_negated(line) for line in original.lines.order_by("position")]
    _set_totals(note, lines)
    note.save()
    _lines_store(note, lines)
    InvoiceBooking.objects.filter(invoice=original, active=True).update(active=False)
    issued = invoice_issue(invoice=note, actor=actor)
    invoice_event_record(
        invoice=original, action=InvoiceAction.CREDITED, actor=actor, detail=issued.number_text
    )
    return issued
