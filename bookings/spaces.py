"""Physical spaces (SPEC §2.1): a combined room covers the spaces of its parts, and a room
without parts is one space itself. The conflict engine, availability and the feeds all
ask which spaces a room covers from one graph of the combined rooms' parts."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import connection

from bookings.models import Room

RoomGraph = dict[int, tuple[int, ...]]

# Read on every request and approval: written as SQL once, like the conflict engine's
# statements (bookings/conflicts.py), it costs the database's time rather than the ORM's.
_ROOM_GRAPH_SQL = (
    "SELECT link.{combined}, link.{part} FROM {links} link"
    " JOIN {room} room ON room.{room_id} = link.{part}"
    " ORDER BY link.{combined}, room.{sort_order}, room.{name_fi}, link.{part}"
)


@cache
def _names(vendor: str) -> dict[str, str]:
    """Quoted table and column names for the database in use (`vendor` keys the cache)."""
    quote = connection.ops.quote_name
    links = Room.parts.through._meta
    return {
        "links": quote(links.db_table),
        "combined": quote(links.get_field("from_room").column),
        "part": quote(links.get_field("to_room").column),
        "room": quote(Room._meta.db_table),
        "room_id": quote(Room._meta.pk.column),
        "sort_order": quote(Room._meta.get_field("sort_order").column),
        "name_fi": quote(Room._meta.get_field("name_fi").column),
    }


def room_graph() -> RoomGraph:
    """Each combined room's direct parts, in the rooms' own order, in one query."""
    sql = _ROOM_GRAPH_SQL.format(**_names(connection.vendor))
    graph: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for combined_id, part_id in cursor.fetchall():
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
