"""The renter's own booking file, opened with the status link's token."""

from __future__ import annotations

from bookings.models import Booking
from bookings.services import status_token_hash


def renter_bookings(*, token: str) -> list[Booking]:
    """Every booking the status link covers (all occurrences of a series), any state."""
    if not token:
        return []
    rows = Booking.objects.filter(status_token_hash=status_token_hash(token))
    return list(rows.select_related("room").order_by("start", "pk"))
