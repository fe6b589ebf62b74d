"""The room page's week grid: each half hour of each day as free, requested, reserved or
closed, from `bookings.selectors.room_availability` (no personal data in it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from bookings.models import HouseRules, OccupancyKind, Room
from bookings.schedule import HELSINKI, rules_for
from bookings.selectors import Availability, room_availability

STEP = timedelta(minutes=30)
FREE, REQUESTED, RESERVED, CLOSED = "free", "requested", "reserved", "closed"
# Open and empty, but not requestable: past, inside the notice or beyond the horizon.
UNAVAILABLE = "unavailable"
LABELS = {
    FREE: pgettext_lazy("availability", "Free"),
    UNAVAILABLE: pgettext_lazy("availability", "Not requestable"),
    REQUESTED: pgettext_lazy("availability", "Requested"),
    RESERVED: pgettext_lazy("availability", "Reserved"),
    CLOSED: pgettext_lazy("availability", "Closed"),
}
# A cell shows the strongest state anything in it has.
ORDER = {FREE: 0, REQUESTED: 1, RESERVED: 2, CLOSED: 3}
KIND_STATE = {
    OccupancyKind.REQUESTED: REQUESTED,
    OccupancyKind.APPROVED: RESERVED,
    OccupancyKind.CLOSED: CLOSED,
}


@dataclass(frozen=True)
class Cell:
    day: date
    start: datetime
    state: str
    requestable: bool

    @property
    def label(self) -> str:
        return str(LABELS[self.state])


@dataclass(frozen=True)
class Row:
    clock: time
    cells: list[Cell]


@dataclass(frozen=True)
class Stretch:
    """Consecutive cells of one day in the same state, for the day-by-day view."""

    start: datetime
    end: datetime
    state: str
    requestable: bool

    @property
    def label(self) -> str:
        return str(LABELS[self.state])


@dataclass(frozen=True)
class Day:
    day: date
    stretches: list[Stretch]


def day_by_day(rows: list[Row]) -> list[Day]:
    """The week grid turned day by day, each day's cells merged into stretches of one
    state: what a phone shows instead of the seven columns."""
    days: list[Day] = []
    for column in range(len(rows[0].cells) if rows else 0):
        stretches: list[Stretch] = []
        for row in rows:
            cell = row.cells[column]
            last = stretches[-1] if stretches else None
            if last and last.state == cell.state and last.requestable == cell.requestable:
                stretches[-1] = Stretch(last.start, cell.start + STEP, cell.state, cell.requestable)
            else:
                stretches.append(
                    Stretch(cell.start, cell.start + STEP, cell.state, cell.requestable)
                )
        days.append(Day(rows[0].cells[column].day, stretches))
    return days


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _state(availability: Availability, start: datetime, end: datetime) -> str:
    open_ = any(o_start <= start and end <= o_end for o_start, o_end in availability.open)
    state = FREE if open_ else CLOSED
    for busy in availability.busy:
        if busy.start < end and start < busy.end:
            candidate = KIND_STATE[OccupancyKind(busy.status)]
            if ORDER[candidate] > ORDER[state]:
                state = candidate
    return state


def _hours_shown(availability: Availability) -> tuple[time, time]:
    """From the earliest opening to the latest closing of the week (8–16 when closed)."""
    if not availability.open:
        return time(8), time(16)
    first = min(start.astimezone(HELSINKI).time() for start, _end in availability.open)
    last = max(end.astimezone(HELSINKI).time() for _start, end in availability.open)
    if last == time(0):
        last = time(23, 30)
    return first.replace(minute=first.minute - first.minute % 30), last


def week_grid(room: Room, monday: date, now: datetime | None = None) -> list[Row]:
    """Rows of half hours, one cell per day; free cells far enough ahead can be requested."""
    now = now or timezone.now()
    rules = rules_for(room, HouseRules.load())
    availability = room_availability(room=room, first_day=monday, last_day=monday + timedelta(6))
    first, last = _hours_shown(availability)
    rows = []
    clock = datetime.combine(monday, first)
    while clock.time() < last and clock.date() == monday:
        cells = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            start = datetime.combine(day, clock.time(), tzinfo=HELSINKI)
            state = _state(availability, start, start + STEP)
            requestable = state == FREE and now + rules.min_notice <= start <= now + rules.horizon
            if state == FREE and not requestable:
                state = UNAVAILABLE  # never shown as free (SPEC §2.12)
            cells.append(Cell(day=day, start=start, state=state, requestable=requestable))
        rows.append(Row(clock=clock.time(), cells=cells))
        clock += STEP
    return rows


TIME_TEXTS = {
    FREE: pgettext_lazy("chosen time", "This time is free."),
    "taken": pgettext_lazy("chosen time", "This time is taken. Choose another time."),
    REQUESTED: pgettext_lazy(
        "chosen time",
        "Someone else has requested this time; staff decide between the requests.",
    ),
    CLOSED: pgettext_lazy("chosen time", "The room is closed at this time."),
}


def time_state(room: Room, start: datetime, end: datetime) -> str:
    """How a chosen time looks before sending, as the form's script shows it: closed
    (outside opening hours), taken (meets an approved booking or closure, this room's
    buffers counted), requested (only other requests) or free. The service decides."""
    rules = rules_for(room, HouseRules.load())
    day = start.astimezone(HELSINKI).date()
    availability = room_availability(room=room, first_day=day, last_day=day)
    if not any(o_start <= start and end <= o_end for o_start, o_end in availability.open):
        return CLOSED
    held_start, held_end = start - rules.setup_buffer, end + rules.cleanup_buffer
    overlapping = [b for b in availability.busy if b.start < held_end and held_start < b.end]
    if any(b.status != OccupancyKind.REQUESTED for b in overlapping):
        return "taken"
    return REQUESTED if overlapping else FREE
