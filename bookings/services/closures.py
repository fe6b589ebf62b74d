"""Closures: rooms or the whole house taken out of use for a time, and lifted again.

A closure over approved bookings is refused, unless staff choose to cancel those
bookings with it (an emergency such as water damage): closure_create_cancelling does
both in one transaction, each renter told through the booking's cancellation e-mail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.conflicts import occupancy_hold_closure, room_graph, spaces_of
from bookings.errors import BookingStateError
from bookings.models import (
    AuditAction,
    Booking,
    BookingStatus,
    Closure,
    Occupancy,
    OccupancyKind,
    Room,
)
from bookings.schedule import local_time_missing, missing_time_message
from bookings.services.audit import Actor, audit_record
from bookings.services.checks import FURTHEST_AHEAD, Errors, add_error, raise_if_errors
from bookings.services.decisions import booking_cancel


@transaction.atomic
def closure_create(
    *,
    actor: Actor,
    start: datetime,
    end: datetime,
    reason: str,
    rooms: Iterable[Room] = (),
    whole_house: bool = False,
    note: str = "",
) -> Closure:
    """Close rooms or the whole house; refused with the clashes if approved bookings or
    other closures hold the time (requests are left for staff to decide)."""
    return _closure_create(
        actor=actor, start=start, end=end, reason=reason, rooms=rooms,
        whole_house=whole_house, note=note, cancelled=[],
    )  # fmt: skip


def _closure_create(
    *,
    actor: Actor,
    start: datetime,
    end: datetime,
    reason: str,
    rooms: Iterable[Room],
    whole_house: bool,
    note: str,
    cancelled: list[int],
) -> Closure:
    rooms = list(rooms)
    closure = Closure(
        start=start, end=end, reason=reason, whole_house=whole_house, note=note, created_by=actor
    )
    errors: Errors = defaultdict(list)
    now = timezone.now()
    if end <= start:
        add_error(errors, "end", _("The end must be after the start."))
    for name, moment in (("start", start), ("end", end)):
        if local_time_missing(moment):
            add_error(errors, name, missing_time_message(moment))
    if start < now - FURTHEST_AHEAD or end > now + FURTHEST_AHEAD:
        add_error(errors, "start", _("A closure must lie within five years of today."))
    if not rooms and not whole_house:
        add_error(errors, "rooms", _("Choose the rooms to close, or the whole house."))
    try:
        closure.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name].extend(messages)
    raise_if_errors(errors)
    closure.save()
    closure.rooms.set(rooms)
    occupancy_hold_closure(closure)
    audit_record(
        action=AuditAction.CLOSURE_CREATED,
        actor=actor,
        closure=closure,
        reason=note,
        changes={
            "rooms": [room.pk for room in rooms],
            "whole_house": whole_house,
            **({"cancelled_bookings": cancelled} if cancelled else {}),
        },
    )
    return closure


def closure_clashing_bookings(
    *, start: datetime, end: datetime, rooms: Iterable[Room] = (), whole_house: bool = False
) -> list[Booking]:
    """The approved bookings a closure of these rooms at this time would clash with,
    buffers included, in time order (the house's and the renters' alike)."""
    graph = room_graph()
    room_ids = (
        list(Room.objects.values_list("pk", flat=True))
        if whole_house
        else [room.pk for room in rooms]
    )
    spaces: set[int] = set()
    for room_id in room_ids:
        spaces |= spaces_of(room_id, graph)
    held = Occupancy.objects.filter(
        space_id__in=spaces, kind=OccupancyKind.APPROVED, start__lt=end, end__gt=start
    ).values("booking_id")
    return list(
        Booking.objects.filter(pk__in=held, status=BookingStatus.APPROVED)
        .select_related("room")
        .order_by("start", "pk")
    )


class ClashingBookingsChanged(BookingStateError):
    """The approved bookings in the closure's time are not the ones staff confirmed."""

    def __init__(self, bookings: list[Booking]) -> None:
        self.bookings = bookings
        super().__init__(
            str(
                _(
                    "Nothing was changed: the bookings in that time changed after you "
                    "looked. Check the list again."
                )
            )
        )


@dataclass(frozen=True)
class EmergencyClosure:
    closure: Closure
    cancelled: list[Booking]


@transaction.atomic
def closure_create_cancelling(
    *,
    actor: Actor,
    start: datetime,
    end: datetime,
    reason: str,
    rooms: Iterable[Room] = (),
    whole_house: bool = False,
    note: str = "",
    expected: Collection[int] | None = None,
) -> EmergencyClosure:
    """Close rooms or the house and cancel every approved booking the closure clashes
    with, in one step: each cancellation audited and e-mailed to its renter in their
    language (the booking's cancellation hook), the closure's audit entry listing them.

    `expected` is the set of booking ids staff confirmed; when the clashing bookings are
    no longer exactly those, nothing is changed (ClashingBookingsChanged). A clash with
    another closure still refuses the closure (BookingConflict)."""
    rooms = list(rooms)
    clashing = closure_clashing_bookings(start=start, end=end, rooms=rooms, whole_house=whole_house)
    if expected is not None and {booking.pk for booking in clashing} != set(expected):
        raise ClashingBookingsChanged(clashing)
    why = note.strip() or str(_("The rooms are closed at that time."))
    cancelled = [
        booking_cancel(booking=booking, actor=actor, reason=why, expected_sequence=booking.sequence)
        for booking in clashing
    ]
    closure = _closure_create(
        actor=actor, start=start, end=end, reason=reason, rooms=rooms,
        whole_house=whole_house, note=note, cancelled=[booking.pk for booking in cancelled],
    )  # fmt: skip
    return EmergencyClosure(closure=closure, cancelled=cancelled)


@transaction.atomic
def closure_remove(*, closure: Closure, actor: Actor, reason: str = "") -> Closure:
    """Lift a closure; the row and its audit trail are kept."""
    now = timezone.now()
    updated = Closure.objects.filter(pk=closure.pk, removed_at__isnull=True).update(removed_at=now)
    if updated == 0:
        raise BookingStateError(str(_("The closure has already been removed.")))
    Occupancy.objects.filter(closure=closure).delete()
    audit_record(action=AuditAction.CLOSURE_REMOVED, actor=actor, closure=closure, reason=reason)
    closure.refresh_from_db()
    return closure
