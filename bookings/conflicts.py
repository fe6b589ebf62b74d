"""The conflict engine: physical spaces, the occupancy table and its guarantee (SPEC §2.4).

Every blocking entry (approved booking, closure) holds one `Occupancy` row per physical
space it covers; requested bookings hold rows too, of kind `requested`, which block
nothing but let availability read one table. Writes happen only through `occupancy_*`
below, inside the caller's transaction:

- on PostgreSQL the exclusion constraint `occupancy_no_overlap` refuses an overlapping
  blocking row whoever writes it. Writers of blocking rows first lock the physical
  spaces they cover, in the order of their ids (`spaces_lock`), so that two of them
  never wait on each other's uncommitted rows in the constraint's check, which
  deadlocks: the second waits for the first to commit, then its check sees the winner
  and names it in a `BookingConflict`. A row the constraint refuses all the same (one
  written behind the services) becomes a `BookingConflict` too;
- on SQLite every transaction starts with BEGIN IMMEDIATE (settings), so the check and
  the write below cannot interleave with another writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any, cast

from django.db import IntegrityError, connection
from django.db.models import Field, Q

from bookings.errors import BookingConflict, Clash
from bookings.models import BLOCKING_KINDS, Booking, Closure, Occupancy, OccupancyKind, Room
from bookings.spaces import RoomGraph, room_graph, spaces_of

EXCLUSION_CONSTRAINT = "occupancy_no_overlap"

# The first key of the transaction-level advisory locks held per physical space (the
# second is the space's id), so that no other use of advisory locks can collide with them.
SPACE_LOCK_CLASS = 0x48444B4E  # "HDKN"

# The conflict engine's statements run on every request and approval and almost always
# find nothing; written as SQL once, they cost the database's time rather than the ORM's,
# which takes several times longer to build a statement than SQLite or PostgreSQL take to
# answer it. Only names and placeholders are put into them, never values.
_BLOCKING_IDS_SQL = "SELECT entry.{id} FROM {occupancy} entry WHERE {where}"
_PROMOTE_SQL = (
    "UPDATE {occupancy} SET {kind} = %s"
    " WHERE {booking} = %s AND {kind} = %s AND {start} = %s AND {end} = %s"
    " AND NOT EXISTS (SELECT 1 FROM {occupancy} other WHERE {where})"
)


@cache
def _names(vendor: str) -> dict[str, str]:
    """Quoted table and column names for the database in use (`vendor` keys the cache)."""
    quote = connection.ops.quote_name
    column = {
        name: quote(cast(Field, Occupancy._meta.get_field(name)).column)
        for name in ("id", "space", "start", "end", "kind", "booking", "closure")
    }
    return {"occupancy": quote(Occupancy._meta.db_table), **column}


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def overlapping(spaces: Iterable[int], start: datetime, end: datetime) -> Q:
    return Q(space_id__in=list(spaces), end__gt=start, start__lt=end)


def _blocking_where(
    alias: str,
    *,
    spaces: Iterable[int],
    start: datetime,
    end: datetime,
    exclude_booking_id: int | None,
    exclude_closure_id: int | None,
) -> tuple[str, list[Any]]:
    """The condition "a blocking row of `alias` on these spaces overlaps [start, end)",
    leaving out the rows of the booking or closure being written, and its parameters."""
    names = {**_names(connection.vendor), "a": alias}
    spaces = sorted(set(spaces))
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"{{a}}.{{space}} IN ({_marks(len(spaces))}) AND {{a}}.{{end}} > %s"
        f" AND {{a}}.{{start}} < %s AND {{a}}.{{kind}} IN ({_marks(len(BLOCKING_KINDS))})"
    )
    params: list[Any] = [*spaces, adapt(start), adapt(end), *BLOCKING_KINDS]
    for column, excluded in (("booking", exclude_booking_id), ("closure", exclude_closure_id)):
        if excluded is not None:
            sql += f" AND ({{a}}.{{{column}}} IS NULL OR {{a}}.{{{column}}} <> %s)"
            params.append(excluded)
    return sql.format(**names), params


def occupancy_clashes(
    *,
    spaces: Iterable[int],
    start: datetime,
    end: datetime,
    exclude_booking_id: int | None = None,
    exclude_closure_id: int | None = None,
) -> list[Clash]:
    """Blocking entries on any of the spaces that overlap [start, end), one per entry."""
    where, params = _blocking_where(
        "entry",
        spaces=spaces,
        start=start,
        end=end,
        exclude_booking_id=exclude_booking_id,
        exclude_closure_id=exclude_closure_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(_BLOCKING_IDS_SQL.format(**_names(connection.vendor), where=where), params)
        ids = [row_id for (row_id,) in cursor.fetchall()]
    if not ids:
        return []
    # Only when there are clashes: their rows, and the clashing bookings' rooms and titles.
    found = list(
        Occupancy.objects.filter(pk__in=ids)
        .order_by("start", "pk")
        .values_list("start", "end", "kind", "space_id", "booking_id", "closure_id")
    )
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


def spaces_lock(spaces: Iterable[int]) -> None:
    """Hold each physical space until the transaction ends, taken in the order of their ids.

    Without it two approvals of overlapping requests each write their row, then each
    waits in the exclusion constraint's check for the other to commit: PostgreSQL aborts
    one with a deadlock (a server error instead of the clash). A combined room and its
    halves take their shared spaces in the same order too, so no two writers can wait
    on each other. SQLite needs no lock: its write transactions already run one at a time.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # unnest yields the sorted array in order, and the locks are taken as rows come.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s::integer, space) FROM unnest(%s::integer[]) AS space",
            [SPACE_LOCK_CLASS, sorted(set(spaces))],
        )
        cursor.fetchall()


def _is_overlap_violation(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == EXCLUSION_CONSTRAINT


def _overlap_refusal(error: IntegrityError) -> BookingConflict:
    """The constraint's refusal as the conflict people are told of.

    Every writer of blocking rows holds the space locks and checks first, so only a row
    written behind the services gets here. The refused statement has aborted the
    transaction, so the clash cannot be read any more: raising this leaves the caller's
    atomic block, which rolls back as it must."""
    if not _is_overlap_violation(error):
        raise error
    return BookingConflict([])


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

    Must run inside the caller's transaction. The space locks (PostgreSQL) or the
    IMMEDIATE transaction (SQLite) make a concurrent writer wait for the winner, so the
    pre-check sees it and names the clashes; the exclusion constraint (PostgreSQL) holds
    the guarantee whatever writes. No savepoint: the check under the locks is what refuses.
    """
    spaces = list(spaces)
    spaces_lock(spaces)
    clashes = occupancy_clashes(
        spaces=spaces,
        start=start,
        end=end,
        exclude_booking_id=exclude_booking_id,
        exclude_closure_id=exclude_closure_id,
    )
    if clashes:
        raise BookingConflict(clashes)
    try:
        write()
    except IntegrityError as error:
        raise _overlap_refusal(error) from error


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
    """Make a request's rows blocking, under the space locks, in one UPDATE that is also
    the conflict check: it promotes the rows only if no blocking entry overlaps them.

    Approving is the hottest write, so the free case costs two statements (three on
    PostgreSQL, with the lock). Nothing promoted means a clash, named by a second look,
    or rows that no longer match the booking's spaces, which are then laid anew."""
    spaces = spaces_of(booking.room_id, room_graph())
    start, end = booking.blocked_start, booking.blocked_end
    spaces_lock(spaces)
    clash, clash_params = _blocking_where(
        "other",
        spaces=spaces,
        start=start,
        end=end,
        exclude_booking_id=booking.pk,
        exclude_closure_id=None,
    )
    adapt = connection.ops.adapt_datetimefield_value
    sql = _PROMOTE_SQL.format(**_names(connection.vendor), where=clash)
    params: list[Any] = [
        OccupancyKind.APPROVED,
        booking.pk,
        OccupancyKind.REQUESTED,
        adapt(start),
        adapt(end),
    ]
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *clash_params])
            promoted = cursor.rowcount
    except IntegrityError as error:
        raise _overlap_refusal(error) from error
    if promoted == len(spaces):
        return
    # The check is one for all rows: when it found a clash, no row was promoted.
    guarded_write(
        lambda: _booking_rows_replace(booking, spaces),
        spaces=spaces,
        start=start,
        end=end,
        exclude_booking_id=booking.pk,
    )


def _booking_rows_replace(booking: Booking, spaces: Iterable[int]) -> None:
    Occupancy.objects.filter(booking=booking).delete()
    Occupancy.objects.bulk_create(_booking_rows(booking, spaces, OccupancyKind.APPROVED))


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
