"""Cancellation terms (SPEC §2.13): until when a renter cancels an approved booking for
free, and what share of the room price a later cancellation costs. The house sets the
defaults and a room may override each; the renter's cancel (bookings/services) keeps the
share that applied at that moment on the booking, and invoicing bills it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from bookings.hooks import cancellation_fee_price
from bookings.models import CANCELLATION_DEFAULTS, Booking, BookingStatus, HouseRules, Room


@dataclass(frozen=True)
class CancellationTerms:
    free_days: int
    late_percent: int
    last_minute_days: int
    last_minute_percent: int

    def free_until(self, start: datetime) -> datetime:
        """The last moment a cancellation costs nothing."""
        return start - timedelta(days=self.free_days)

    def last_minute_from(self, start: datetime) -> datetime:
        return start - timedelta(days=self.last_minute_days)

    def fee_percent(self, start: datetime, now: datetime) -> int:
        """The share of the room price a cancellation at `now` costs."""
        if now <= self.free_until(start):
            return 0
        if now < self.last_minute_from(start):
            return self.late_percent
        return self.last_minute_percent


def cancellation_terms(room: Room, house: HouseRules | None = None) -> CancellationTerms:
    """The room's terms, each falling back to the house default, then to the SPEC's."""
    house = house or HouseRules.load()

    def pick(field: str) -> int:
        for source in (room, house):
            value = getattr(source, field)
            if value is not None:
                return int(value)
        return CANCELLATION_DEFAULTS[field]

    return CancellationTerms(
        free_days=pick("free_cancel_days"),
        late_percent=pick("late_cancel_percent"),
        last_minute_days=pick("last_minute_days"),
        last_minute_percent=pick("last_minute_percent"),
    )


def renter_fee_percent(booking: Booking, now: datetime, house: HouseRules | None = None) -> int:
    """What the renter's cancel would charge now: only an approved booking that has not
    started costs anything; withdrawing a request is free."""
    if booking.status != BookingStatus.APPROVED or booking.start <= now:
        return 0
    return cancellation_terms(booking.room, house).fee_percent(booking.start, now)


@dataclass(frozen=True)
class CancellationNow:
    """A booking's terms and what cancelling it would cost at one moment."""

    terms: CancellationTerms
    free_until: datetime
    fee_percent: int
    fee: Decimal | None  # None: no pricer knows the room price


def cancellation_now(
    booking: Booking, *, now: datetime, house: HouseRules | None = None
) -> CancellationNow:
    terms = cancellation_terms(booking.room, house)
    percent = renter_fee_percent(booking, now, house)
    return CancellationNow(
        terms=terms,
        free_until=terms.free_until(booking.start),
        fee_percent=percent,
        fee=cancellation_fee_price(booking, percent) if percent else Decimal("0.00"),
    )
