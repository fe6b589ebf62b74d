"""Invoice drafts from bookings: preview, create, edit the buyer, delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, BookingStatus, Customer, DeliveryMethod
from bookings.services import Actor
from invoicing.cancellation_fees import cancellation_fee_lines
from invoicing.ledger import Product
from invoicing.models import (
    BookingPrice,
    Invoice,
    InvoiceBooking,
    InvoiceEvent,
    InvoiceLine,
    InvoiceStatus,
    SellerSettings,
    VatGroup,
    vat_groups,
)
from invoicing.quotes import ROOM, PriceLine, quote_booking, vat_table
from invoicing.selectors import booking_label, invoicing_problems
from invoicing.services.lines import invoice_lines_store, invoice_totals_set
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
                product=_product(booking, line),
            )


def _product(booking: Booking, line: PriceLine) -> str:
    # A late-cancelled booking is billed only its cancellation fee (SPEC §2.13).
    if booking.status == BookingStatus.CANCELLED:
        return Product.CANCELLATION_FEE
    return Product.ROOM if line.kind == ROOM else Product.EXTRA


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
    invoice_totals_set(invoice, lines)
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
    invoice_lines_store(invoice, lines)
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
    # The trail of a draft (lines typed on it) goes with it: it was never a document.
    InvoiceEvent.objects.filter(invoice=current).delete()
    current.delete()


def drafts_move_to_customer(kept: Customer, merged: Sequence[Customer]) -> None:
    """Draft invoices of merged customers go to the customer kept (in the merge's
    transaction); issued ones never change and stay with the record they were made out
    to, which remembers the customer it was merged into."""
    Invoice.objects.filter(customer__in=merged, status=InvoiceStatus.DRAFT).update(customer=kept)
