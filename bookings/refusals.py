"""A service's refusal told to a person: the clashing bookings and closures with their
rooms and local times, in one sentence. The admin and the staff workspace both tell it
so; the API answers with data instead (bookings.api.common)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bookings.errors import BookingConflict, BookingStateError, Clash
from bookings.models import Booking, Closure, Room
from bookings.schedule import local


def moment_text(moment: datetime) -> str:
    return local(moment).strftime("%d.%m.%Y %H:%M")


def span_text(start: datetime, end: datetime) -> str:
    """A Helsinki-time range, the end without its date when it is the same day."""
    same_day = local(start).date() == local(end).date()
    end_text = local(end).strftime("%H:%M") if same_day else moment_text(end)
    return f"{moment_text(start)}\N{EN DASH}{end_text}"


def _booking_clash_text(clash: Clash, other: Booking) -> str:
    values = {
        "title": other.title,
        "id": other.pk,
        "room": other.room,
        "when": span_text(other.start, other.end),
        "held": span_text(clash.start, clash.end),
    }
    if (other.start, other.end) == (clash.start, clash.end):
        return str(_("booking “%(title)s” (#%(id)s) in %(room)s, %(when)s") % values)
    return str(
        _(
            "booking “%(title)s” (#%(id)s) in %(room)s, %(when)s "
            "(held %(held)s with setup and cleanup time)"
        )
        % values
    )


def clash_descriptions(clashes: Sequence[Clash]) -> list[str]:
    """Each clash for staff: the other booking or closure, its room and its local times."""
    bookings = Booking.objects.select_related("room").in_bulk(
        [clash.booking_id for clash in clashes if clash.booking_id is not None]
    )
    closures = Closure.objects.in_bulk(
        [clash.closure_id for clash in clashes if clash.closure_id is not None]
    )
    rooms = Room.objects.in_bulk([clash.room_id for clash in clashes])
    descriptions = []
    for clash in clashes:
        other = bookings.get(clash.booking_id) if clash.booking_id is not None else None
        if other is not None:
            descriptions.append(_booking_clash_text(clash, other))
            continue
        closure = closures.get(clash.closure_id)
        values = {
            "id": clash.closure_id,
            "reason": closure.get_reason_display() if closure else "",
            "room": rooms.get(clash.room_id, clash.room_id),
            "when": span_text(clash.start, clash.end),
        }
        descriptions.append(str(_("closure #%(id)s (%(reason)s) of %(room)s, %(when)s") % values))
    return descriptions


def refusal_text(error: Exception) -> str:
    """A service's refusal as one sentence for the person who asked."""
    if isinstance(error, BookingConflict):
        if not error.clashes:
            return error.message
        values = {"message": error.message, "clashes": "; ".join(clash_descriptions(error.clashes))}
        return str(_("%(message)s It clashes with: %(clashes)s.") % values)
    if isinstance(error, BookingStateError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
