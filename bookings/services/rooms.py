"""Rooms made of other rooms: changing the parts re-lays what every booking holds."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookings.conflicts import occupancy_hold_booking, occupancy_hold_closure
from bookings.models import ACTIVE_STATUSES, AuditAction, Booking, Closure, Occupancy, Room
from bookings.services.audit import Actor, audit_record
from bookings.spaces import room_graph


@transaction.atomic
def room_parts_set(*, room: Room, parts: Iterable[Room], actor: Actor) -> None:
    """Make a room a combination of these parts (or a plain room with none).

    Every active booking and closure that covers the room is re-laid on the new spaces;
    a clash that this would create refuses the change.
    """
    parts = list(parts)
    graph = room_graph()
    graph[room.pk] = tuple(part.pk for part in parts)
    if any(part.pk == room.pk for part in parts) or _reaches(graph, room.pk):
        raise ValidationError({"parts": _("A room cannot be part of itself.")})
    old_graph = room_graph()
    affected = {
        room_id
        for room_id in Room.objects.values_list("pk", flat=True)
        if room_id == room.pk or _contains(old_graph, room_id, room.pk)
    }
    room.parts.set(parts)
    bookings = list(Booking.objects.filter(room_id__in=affected, status__in=ACTIVE_STATUSES))
    closures = list(
        Closure.objects.filter(removed_at__isnull=True)
        .filter(Q(whole_house=True) | Q(rooms__in=affected))
        .distinct()
    )
    Occupancy.objects.filter(Q(booking__in=bookings) | Q(closure__in=closures)).delete()
    for closure in closures:
        occupancy_hold_closure(closure, graph=graph)
    for booking in bookings:
        occupancy_hold_booking(booking, booking.status, graph=graph)
    audit_record(
        action=AuditAction.ROOM_PARTS_CHANGED,
        actor=actor,
        room=room,
        changes={"parts": [part.pk for part in parts]},
    )


def _contains(graph: dict[int, tuple[int, ...]], combined: int, part: int) -> bool:
    pending, seen = list(graph.get(combined, ())), set()
    while pending:
        current = pending.pop()
        if current == part:
            return True
        if current not in seen:
            seen.add(current)
            pending.extend(graph.get(current, ()))
    return False


def _reaches(graph: dict[int, tuple[int, ...]], room_id: int) -> bool:
    return _contains(graph, room_id, room_id)
