"""The schedule stamp: one cheap query that moves whenever a room's availability may.

Availability (open and busy times of a room) is read far more often than it changes, and
reading it takes a handful of queries. Everything it is made of moves the stamp:

- occupancy rows are written only by the services, and each of their writes records an
  audit entry: the newest audit entry's id and time;
- opening hours and holiday openings: their count, the sum of their ids (a deletion) and
  their newest `changed_at` (an addition or an edit);
- the room's own row: its id, slug and whether it is public and in use.

So an answer computed once can be served again for as long as the stamp is the same
(bookings.memo bounds how long a change made behind the services' back stays unseen).

Every booking write checks the room's rules and hours the same way: `room_schedule`
reads the room and the house rules afresh with the fingerprints of the opening hours,
holiday openings and room parts, and takes the hours, the opened holidays and the room
graph from a memo while those fingerprints stay the same. Bookings do not move them, so
a busy house still reads them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Q

from bookings.memo import Memo
from bookings.models import AuditEntry, HolidayOpening, HouseRules, OpeningHours, Room
from bookings.schedule import (
    Interval,
    Rules,
    WeeklyHours,
    opening_intervals,
    rules_for,
    weekly_hours,
)
from bookings.spaces import RoomGraph, room_graph

# Fingerprints of the tables a schedule is made of, each one scalar subquery. Opening
# hours and holiday openings: their count, the sum of their ids (a deletion) and their
# newest `changed_at` (an addition or an edit); the room parts' link table, whose ids only
# grow: its count and newest id.
_HOURS_FINGERPRINTS = {
    "hours_count": "SELECT COUNT(*) FROM {hours}",
    "hours_sum": "SELECT SUM(hours.id) FROM {hours} hours",
    "hours_changed": "SELECT MAX(hours.changed_at) FROM {hours} hours",
    "holidays_count": "SELECT COUNT(*) FROM {holidays}",
    "holidays_sum": "SELECT SUM(holiday.id) FROM {holidays} holiday",
    "holidays_changed": "SELECT MAX(holiday.changed_at) FROM {holidays} holiday",
}
_AUDIT_FINGERPRINTS = {
    "audit_newest": "SELECT MAX(entry.id) FROM {audit} entry",
    "audit_at": "SELECT MAX(entry.{at}) FROM {audit} entry",
}
_PARTS_FINGERPRINTS = {
    "parts_count": "SELECT COUNT(*) FROM {parts}",
    "parts_newest": "SELECT MAX(link.id) FROM {parts} link",
}


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "audit": quote(AuditEntry._meta.db_table),
        "at": quote("at"),
        "hours": quote(OpeningHours._meta.db_table),
        "holidays": quote(HolidayOpening._meta.db_table),
        "parts": quote(Room.parts.through._meta.db_table),
        "room": quote(Room._meta.db_table),
        "rules": quote(HouseRules._meta.db_table),
    }


def _fingerprints_sql(fingerprints: dict[str, str]) -> str:
    columns = ", ".join(f"({query}) AS {name}" for name, query in fingerprints.items())
    return columns.format(**_tables())


# One statement, written out: it runs on every availability read, and the ORM's query
# building alone costs more than this query does.
_STAMP_FINGERPRINTS = {**_AUDIT_FINGERPRINTS, **_HOURS_FINGERPRINTS}
_STAMP_SQL = """
    SELECT room.id, room.slug, room.is_public, room.is_active, {fingerprints}
    FROM {room} room
    WHERE room.slug = %s
"""


def _stamp_sql() -> str:
    return _STAMP_SQL.format(fingerprints=_fingerprints_sql(_STAMP_FINGERPRINTS), **_tables())


@dataclass(frozen=True)
class ScheduleStamp:
    room_id: int
    slug: str
    public: bool  # public and in use: shown to everyone, not only to staff
    version: tuple[int | str | datetime | None, ...]

    def room(self) -> Room:
        return Room(pk=self.room_id, slug=self.slug)


def schedule_stamp(*, slug: str) -> ScheduleStamp | None:
    """The room with this slug and the stamp of its schedule; None if there is no such
    room. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    room_id, room_slug, is_public, is_active, *version = row
    return ScheduleStamp(room_id, room_slug, bool(is_public and is_active), tuple(version))


# --- What a room's checks need --------------------------------------------------------

# The room's row and the house rules as they are now, with the fingerprints of what
# rarely changes and takes queries to read: opening hours, holiday openings, room parts.
_SCHEDULE_FINGERPRINTS = {**_HOURS_FINGERPRINTS, **_PARTS_FINGERPRINTS}


_SCHEDULE_SQL = """
    SELECT {room_columns}, {rules_columns}, {fingerprints}
    FROM {room} room LEFT JOIN {rules} rules ON rules.id = 1
    WHERE room.id = %s
"""


def _schedule_sql() -> str:
    quote = connection.ops.quote_name
    return _SCHEDULE_SQL.format(
        room_columns=", ".join(
            # A concrete field is one with a column; the check only tells the type so.
            f"room.{quote(field.column)}"
            for field in Room._meta.concrete_fields
            if field.column is not None
        ),
        rules_columns=", ".join(
            f"rules.{quote(name)} AS {quote('house_' + name)}" for name in HouseRules.RULE_FIELDS
        ),
        fingerprints=_fingerprints_sql(_SCHEDULE_FINGERPRINTS),
        **_tables(),
    )


@dataclass(frozen=True)
class RoomSchedule:
    """A room as its booking checks see it: its row and effective rules read afresh, its
    weekly hours, the holidays opened for it and the room graph from a memo."""

    room: Room
    rules: Rules
    hours: WeeklyHours
    opened_holidays: frozenset[date]
    graph: RoomGraph

    def open_intervals(self, first_day: date, last_day: date) -> list[Interval]:
        return opening_intervals(self.hours, first_day, last_day, self.opened_holidays)


_schedule_parts: Memo[tuple[WeeklyHours, frozenset[date], RoomGraph]] = Memo(seconds=60, size=500)


def room_schedule(room_id: int) -> RoomSchedule:
    """The room's schedule in one query while hours, holidays and rooms stay as they are
    (three more when they changed). Raises Room.DoesNotExist."""
    found = list(Room.objects.raw(_schedule_sql(), [room_id]))
    if not found:
        raise Room.DoesNotExist(f"no room with id {room_id}")
    room = found[0]
    house_values = {name: getattr(room, "house_" + name) for name in HouseRules.RULE_FIELDS}
    house = (
        HouseRules(pk=1, **house_values)
        if house_values["slot_minutes"] is not None
        else HouseRules.load()
    )
    version = (room.pk, *(getattr(room, name) for name in _SCHEDULE_FINGERPRINTS))
    parts = _schedule_parts.get(version)
    if parts is None:
        hours = weekly_hours(room.pk, OpeningHours.objects.filter(Q(room=room) | Q(room=None)))
        opened = HolidayOpening.objects.filter(room=room).values_list("date", flat=True)
        parts = _schedule_parts.put(version, (hours, frozenset(opened), room_graph()))
    hours, opened_holidays, graph = parts
    return RoomSchedule(room, rules_for(room, house), hours, opened_holidays, graph)


# --- What the room finder needs of every room at once ------------------------------------

_HOUSE_SQL = """
    SELECT {rules_columns}, {fingerprints}
    FROM (SELECT 1 AS one) one LEFT JOIN {rules} rules ON rules.id = 1
"""


def _house_sql() -> str:
    quote = connection.ops.quote_name
    return _HOUSE_SQL.format(
        rules_columns=", ".join(f"rules.{quote(name)}" for name in HouseRules.RULE_FIELDS),
        fingerprints=_fingerprints_sql(_SCHEDULE_FINGERPRINTS),
        **_tables(),
    )


@dataclass(frozen=True)
class HouseSchedule:
    """The house rules as they are now, with every room's weekly hours rows, the holidays
    opened per room and the room graph, as the finder reads them for many rooms at once."""

    house: HouseRules
    hour_rows: tuple[OpeningHours, ...]
    opened_holidays: dict[int, frozenset[date]]
    graph: RoomGraph


_house_parts: Memo[tuple[tuple[OpeningHours, ...], dict[int, frozenset[date]], RoomGraph]] = Memo(
    seconds=60, size=50
)


def house_schedule() -> HouseSchedule:
    """One query while opening hours, holiday openings and room parts stay as they are
    (three more when they changed), whatever the number of rooms."""
    with connection.cursor() as cursor:
        cursor.execute(_house_sql())
        row = cursor.fetchone()
    count = len(HouseRules.RULE_FIELDS)
    values, version = row[:count], tuple(row[count:])
    house = (
        HouseRules(pk=1, **dict(zip(HouseRules.RULE_FIELDS, values, strict=True)))
        if values[0] is not None
        else HouseRules.load()
    )
    parts = _house_parts.get(version)
    if parts is None:
        opened: dict[int, set[date]] = {}
        for room_id, day in HolidayOpening.objects.values_list("room_id", "date"):
            opened.setdefault(room_id, set()).add(day)
        frozen = {room_id: frozenset(days) for room_id, days in opened.items()}
        parts = _house_parts.put(version, (tuple(OpeningHours.objects.all()), frozen, room_graph()))
    hour_rows, opened_holidays, graph = parts
    return HouseSchedule(house, hour_rows, opened_holidays, graph)
