"""The conflict engine: physical spaces, the occupancy table and its guarantee (SPEC §2.4).

Every blocking entry (approved booking, closure) holds one `Occupancy` row per physical
space it covers; requested bookings hold rows too, of kind `requested`, which block
nothing but let availability read one table. Writes happen only through `occupancy_*`
below, inside the caller's transaction:

- on PostgreSQL the exclusion constraint `occupancy_no_overlap` refuses an overlapping
  blocking row even when two transactions race, and its IntegrityError becomes the same
  `BookingConflict` that the friendly pre-check raises;
- on SQLite every transaction starts with BEGIN IMMEDIATE (settings), so the check and
  the write below cannot interleave with another writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from bookings.errors import BookingConflict, Clash
from bookings.models import BLOCKING_KINDS, Booking, Closure, Occupancy, OccupancyKind, Room

EXCLUSION_CONSTRAINT = "occupancy_no_overlap"

RoomGraph = dict[int, tuple[int, ...]]


def room_graph() -> RoomGraph:
    """Each combined room's direct parts, in the rooms' own order, in one query."""
    graph: dict[int, list[int]] = {}
    links = Room.parts.through.objects.order_by(
        "from_room_id", "to_room__sort_order", "to_room__name_fi", "to_room_id"
    )
    for combined_id, part_id in links.values_list("from_room_id", "to_room_id"):
        graph.setdefault(combined_id, []).append(part_id)
    return {room_id: tuple(parts) for room_id, parts in graph.items()}


def spaces_of(room_id: int, graph: RoomGraph) -> frozenset[int]:
    """The physical spaces a room covers: itself if it has no parts, else its parts' spaces."""
    spaces: set[int] = set()
    pending, seen = [room_id], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        parts = graph.get(current, ())
        if parts:
            pending.extend(parts)
        else:
            spaces.add(current)
    return frozenset(spaces)


def rooms_covering(spaces: Iterable[int], graph: RoomGraph, room_ids: Iterable[int]) -> set[int]:
    """The rooms (among room_ids) that share at least one of these spaces."""
    wanted = set(spaces)
    return {room_id for room_id in room_ids if spaces_of(room_id, graph) & wanted}


def overlapping(spaces: Iterable[int], start: datetime, end: datetime) -> Q:
    return Q(space_id__in=list(spaces), end__gt=start, start__lt=end)


def occupancy_clashes(
    *,
    spaces: Iterable[int],
    start: datetime,
    end: datetime,
    exclude_booking_id: int | None = None,
    exclude_closure_id: int | None = None,
) -> list[Clash]:
    """Blocking entries on any of the spaces that overlap [start, end), one per entry."""
    rows = Occupancy.objects.filter(overlapping(spaces, start, end), kind__in=BLOCKING_KINDS)
    if exclude_booking_id is not None:
        rows = rows.exclude(booking_id=exclude_booking_id)
    if exclude_closure_id is not None:
        rows = rows.exclude(closure_id=exclude_closure_id)
    # This runs on every request and every approval, and almost always finds nothing:
    # the clashing bookings' rooms and titles are read only when there are some.
    found = list(
        rows.order_by("start", "pk").values_list(
            "start", "end", "kind", "space_id", "booking_id", "closure_id"
        )
    )
    if not found:
        return []
    bookings = {
        pk: (room_id, title)
        for pk, room_id, title in Booking.objects.filter(
            pk__in={row[4] for row in found if row[4] is not None}
        ).values_list("pk", "room_id", "title")
    }
    clashes: dict[tuple[str, int], Clash] = {}
    for row_start, row_end, kind, space_id, booking_id, closure_id in found:
        if booking_id is not None:
            key = ("booking", booking_id)
            room_id, title = bookings[booking_id]
            clash = Clash(
                start=row_start,
                end=row_end,
                room_id=room_id,
                status=kind,
                booking_id=booking_id,
                title=title,
            )
        else:
            key = ("closure", closure_id)
            clash = Clash(
                start=row_start,
                end=row_end,
                room_id=space_id,
                status=OccupancyKind.CLOSED,
                closure_id=closure_id,
            )
        clashes.setdefault(key, clash)
    return list(clashes.values())


def _is_overlap_violation(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == EXCLUSION_CONSTRAINT


def guarded_write(
    write: Callable[[], object],
    *,
    spaces: Iterable[int],
    start: datetime,
    end: datetime,
    exclude_booking_id: int | None = None,
    exclude_closure_id: int | None = None,
) -> None:
    """Run a write that adds blocking occupancy, refusing it if it would overlap.

    Must run inside the caller's transaction. The pre-check names the clashes for people;
    the database constraint (PostgreSQL) or the IMMEDIATE transaction (SQLite) is what
    makes the guarantee hold under concurrency.
    """
    spaces = list(spaces)
    exclusions = {
        "exclude_booking_id": exclude_booking_id,
        "exclude_closure_id": exclude_closure_id,
    }
    clashes = occupancy_clashes(spaces=spaces, start=start, end=end, **exclusions)
    if clashes:
        raise BookingConflict(clashes)
    try:
        with transaction.atomic():
            write()
    except IntegrityError as error:
        if not _is_overlap_violation(error):
            raise
        # Another transaction committed an overlapping entry after our check.
        clashes = occupancy_clashes(spaces=spaces, start=start, end=end, **exclusions)
        raise BookingConflict(clashes) from None


def _booking_rows(booking: Booking, spaces: Iterable[int], kind: str) -> list[Occupancy]:
    return [
        Occupancy(
            space_id=space,
            start=booking.blocked_start,
            end=booking.blocked_end,
            kind=kind,
            booking=booking,
        )
        for space in sorted(spaces)
    ]


def occupancy_hold_booking(
    booking: Booking, status: str, *, graph: RoomGraph | None = None, new: bool = False
) -> None:
    """Write the booking's occupancy for its room and time in the given status (`new`: the
    booking was just inserted, so it holds no rows yet).

    Approved bookings block; requested ones are checked too (SPEC §2.4: a request may not
    overlap a blocking entry) but block nothing; other states hold nothing.
    """
    if not new:
        Occupancy.objects.filter(booking=booking).delete()
    if status not in (OccupancyKind.APPROVED, OccupancyKind.REQUESTED):
        return
    spaces = spaces_of(booking.room_id, graph if graph is not None else room_graph())
    rows = _booking_rows(booking, spaces, status)
    check = {
        "spaces": spaces,
        "start": booking.blocked_start,
        "end": booking.blocked_end,
        "exclude_booking_id": None if new else booking.pk,  # a new booking has no rows
    }
    if status == OccupancyKind.REQUESTED:
        # Requested rows block nothing, so the constraint never refuses them: the check
        # alone decides, and the rows need no savepoint of their own.
        clashes = occupancy_clashes(**check)
        if clashes:
            raise BookingConflict(clashes)
        Occupancy.objects.bulk_create(rows)
        return
    guarded_write(lambda: Occupancy.objects.bulk_create(rows), **check)


def occupancy_approve_booking(booking: Booking) -> None:
    """Make a request's rows blocking in one UPDATE, which the exclusion constraint checks
    like an insert; rows that do not match the booking's spaces are laid anew."""
    spaces = spaces_of(booking.room_id, room_graph())

    def write() -> None:
        promoted = Occupancy.objects.filter(
            booking=booking,
            kind=OccupancyKind.REQUESTED,
            start=booking.blocked_start,
            end=booking.blocked_end,
        ).update(kind=OccupancyKind.APPROVED)
        if promoted != len(spaces):
            Occupancy.objects.filter(booking=booking).delete()
            Occupancy.objects.bulk_create(_booking_rows(booking, spaces, OccupancyKind.APPROVED))

    guarded_write(
        write,
        spaces=spaces,
        start=booking.blocked_start,
        end=booking.blocked_end,
        exclude_booking_id=booking.pk,
    )


def occupancy_release_booking(booking: Booking) -> None:
    Occupancy.objects.filter(booking=booking).delete()


def closure_spaces(closure: Closure, graph: RoomGraph) -> frozenset[int]:
    if closure.whole_house:
        room_ids = Room.objects.values_list("pk", flat=True)
    else:
        room_ids = closure.rooms.values_list("pk", flat=True)
    spaces: set[int] = set()
    for room_id in room_ids:
        spaces |= spaces_of(room_id, graph)
    return frozenset(spaces)


def occupancy_hold_closure(closure: Closure, *, graph: RoomGraph | None = None) -> None:
    Occupancy.objects.filter(closure=closure).delete()
    if closure.removed_at is not None:
        return
    spaces = closure_spaces(closure, graph if graph is not None else room_graph())
    rows = [
        Occupancy(
            space_id=space,
            start=closure.start,
            end=closure.end,
            kind=OccupancyKind.CLOSED,
            closure=closure,
        )
        for space in sorted(spaces)
    ]
    guarded_write(
        lambda: Occupancy.objects.bulk_create(rows),
        spaces=spaces,
        start=closure.start,
        end=closure.end,
        exclude_closure_id=closure.pk,
    )
