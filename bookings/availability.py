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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from bookings.models import AuditEntry, HolidayOpening, OpeningHours, Room

# One statement, written out: it runs on every availability read, and the ORM's query
# building alone costs more than this query does.
_STAMP_SQL = """
    SELECT room.id, room.slug, room.is_public, room.is_active,
           (SELECT MAX(entry.id) FROM {audit} entry),
           (SELECT MAX(entry.{at}) FROM {audit} entry),
           (SELECT COUNT(*) FROM {hours}),
           (SELECT SUM(hours.id) FROM {hours} hours),
           (SELECT MAX(hours.changed_at) FROM {hours} hours),
           (SELECT COUNT(*) FROM {holidays}),
           (SELECT SUM(holiday.id) FROM {holidays} holiday),
           (SELECT MAX(holiday.changed_at) FROM {holidays} holiday)
    FROM {room} room
    WHERE room.slug = %s
"""


def _stamp_sql() -> str:
    quote = connection.ops.quote_name
    return _STAMP_SQL.format(
        audit=quote(AuditEntry._meta.db_table),
        at=quote("at"),
        hours=quote(OpeningHours._meta.db_table),
        holidays=quote(HolidayOpening._meta.db_table),
        room=quote(Room._meta.db_table),
    )


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
