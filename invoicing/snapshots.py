"""The price snapshot an approved booking keeps (SPEC §2.6: "a price change never alters
bookings already approved"), written by the approval hook registered in apps.py."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError

from bookings.models import Booking
from invoicing.cancellation_fees import cancellation_fee_lines
from invoicing.models import BookingPrice
from invoicing.quotes import (
    PriceLine,
    Quote,
    quote_booking,
    seller_vat_registered,
    vat_table,
)

logger = logging.getLogger(__name__)


def booking_price_snapshot(booking: Booking) -> BookingPrice | None:
    """Approval hook: store the booking's quote as it is priced today.

    The house's own bookings (no customer) are not invoiced and get none. A booking that
    cannot be priced (no price list yet, a withdrawn extra) is still approved: pricing is
    not a reason to refuse a room, and invoicing prices it again, or says why it cannot.
    """
    if booking.customer_id is None:
        return None
    try:
        priced = quote_booking(booking)
    except ValidationError as error:
        logger.warning("booking %s approved without a price: %s", booking.pk, error.messages)
        return None
    return snapshot_store(booking, priced)


def snapshot_store(booking: Booking, priced: Quote) -> BookingPrice:
    snapshot, _created = BookingPrice.objects.update_or_create(
        booking=booking,
        defaults={
            "customer_group": priced.customer_group,
            "price_list_id": priced.price_list_id,
            "room_id": booking.room_id,
            "start": booking.start,
            "end": booking.end,
            "extras": booking.extras,
            "lines": [line.as_json() for line in priced.lines],
        },
    )
    return snapshot


def snapshot_lines(snapshot: BookingPrice) -> list[PriceLine]:
    return [PriceLine.from_json(data) for data in snapshot.lines]


def booking_cancellation_fee(booking: Booking, percent: int) -> Decimal | None:
    """Fee hook: what cancelling the booking at `percent` of its room price costs, VAT
    included as invoicing would bill it (SPEC §2.13); None when it cannot be priced."""
    if percent <= 0:
        return Decimal("0.00")
    snapshot = BookingPrice.objects.filter(booking=booking).first()
    if snapshot is not None and snapshot.matches(booking):
        lines = snapshot_lines(snapshot)
    else:
        try:
            lines = list(quote_booking(booking).lines)
        except ValidationError:
            return None
    table, registered = vat_table(), seller_vat_registered()
    fees = [line.with_vat(table, registered) for line in cancellation_fee_lines(lines, percent)]
    return sum((line.gross for line in fees), Decimal("0.00"))
