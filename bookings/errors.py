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


class StaleBooking(BookingStateError):
    """The booking changed since the caller read it; a stale form must not overwrite it."""
