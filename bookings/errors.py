"""Errors the booking services raise; views turn them into answers for people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Clash:
    """One blocking entry that a time overlaps: what, where and when (buffers included)."""

    start: datetime
    end: datetime
    room_id: int
    status: str  # "approved" or "closed"
    booking_id: int | None = None
    closure_id: int | None = None
    title: str = ""


class BookingConflict(Exception):
    """The time is taken on at least one physical space (SPEC §2.4)."""

    def __init__(self, clashes: list[Clash], message: str | None = None) -> None:
        self.clashes = clashes
        self.message = message or str(_("The time clashes with another booking or a closure."))
        super().__init__(self.message)


class BookingStateError(Exception):
    """The booking is no longer in the state the caller expected (someone decided first)."""

    def __init__(self, message: str, *, current_status: str = "") -> None:
        self.message = message
        self.current_status = current_status
        super().__init__(message)


class StaleRevision(Exception):
    """What the caller saw has changed since: a form or a client acting on an old view of
    a row is refused, never applied (a booking's revision, an invoice's payments)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class StaleBooking(BookingStateError, StaleRevision):
    """The booking changed since the caller read it; a stale form must not overwrite it."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("The booking was changed by someone else; reload it.")))


class BookingStarted(BookingStateError):
    """A renter may cancel only what has not started: a booking that has begun, or is
    over, was used and stays billable (SPEC §2.3)."""

    def __init__(self, message: str | None = None, *, current_status: str = "") -> None:
        super().__init__(
            message or str(_("The booking has already started and can no longer be cancelled.")),
            current_status=current_status,
        )
