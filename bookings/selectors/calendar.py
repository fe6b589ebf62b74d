"""The staff calendar's entries: every booking and closure of a range of days, with
the physical spaces each covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bookings.models import (
    Occupancy,
)
from bookings.schedule import HELSINKI, Interval


def day_bounds(first_day: date, last_day: date) -> Interval:
    return (
        datetime.combine(first_day, time.min, tzinfo=HELSINKI),
        datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=HELSINKI),
    )


@dataclass(frozen=True)
class CalendarEntry:
    """A booking or closure in the staff calendar: plain values, no model rows, so that a
    busy week costs little more than an empty one. `start`/`end` are the booked times,
    without buffers; `space_ids` the physical spaces it holds."""

    kind: str  # approved, requested or closed
    start: datetime
    end: datetime
    space_ids: frozenset[int]
    booking_id: int | None = None
    room_id: int | None = None  # the room that was booked
    title: str = ""
    organisation: str = ""
    closure_id: int | None = None
    reason: str = ""  # a closure's ClosureReason value
    note: str = ""
    setup_minutes: int = 0  # a booking's buffers, drawn beside it in the timeline
    cleanup_minutes: int = 0


# The occupancy row's own range is the booking's plus its buffers (conflicts.py writes it
# so): reading the buffers instead of the booking's start and end halves the datetimes
# to parse in a busy week.
_CALENDAR_FIELDS = (
    "kind",
    "space_id",
    "booking_id",
    "closure_id",
    "start",
    "end",
    "booking__setup_buffer_minutes",
    "booking__cleanup_buffer_minutes",
    "booking__room_id",
    "booking__title",
    "booking__organisation",
    "closure__reason",
    "closure__note",
)


def _calendar_entry(row: tuple, spaces: frozenset[int]) -> CalendarEntry:
    kind, _space, booking_id, closure_id, start, end, setup, cleanup = row[:8]
    room_id, title, organisation, reason, note = row[8:]
    if booking_id is None:
        return CalendarEntry(
            kind, start, end, spaces, closure_id=closure_id, reason=reason, note=note
        )
    return CalendarEntry(
        kind,
        start + timedelta(minutes=setup),
        end - timedelta(minutes=cleanup),
        spaces,
        booking_id,
        room_id,
        title,
        organisation or "",
        setup_minutes=setup,
        cleanup_minutes=cleanup,
    )


def calendar_entries(first_day: date, last_day: date) -> list[CalendarEntry]:
    """Every approved or requested booking and every closure touching the local days,
    with the physical spaces each holds: one query, whatever the number of entries."""
    start, end = day_bounds(first_day, last_day)
    rows = (
        Occupancy.objects.filter(end__gt=start, start__lt=end)
        .order_by("start", "pk")
        .values_list(*_CALENDAR_FIELDS)
    )
    spaces: dict[tuple[int | None, int | None], set[int]] = {}
    first_rows: dict[tuple[int | None, int | None], tuple] = {}
    for row in rows:
        key = (row[2], row[3])  # a combined room's entry has one row per part
        spaces.setdefault(key, set()).add(row[1])
        first_rows.setdefault(key, row)
    entries = [_calendar_entry(row, frozenset(spaces[key])) for key, row in first_rows.items()]
    # Occupancy includes the buffers; an entry whose buffer alone touches the days is not
    # on them.
    return [entry for entry in entries if entry.end > start and entry.start < end]
