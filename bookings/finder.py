"""The room finder and free start times (SPEC §2.12): which public rooms a renter can
request for a whole interval, when a busy room is next free, and what to offer instead
when a request clashes.

Everything is read in bulk, a fixed number of queries whatever the number of rooms (the
rooms, the house rules, the opening hours, the holiday openings, the room graph and the
blocking occupancy of the days searched), and then decided in Python by `RoomPlan`, which
applies the same public rules as the request service (`bookings/services/checks.py`):
opening hours and holidays, notice, horizon, duration, slot grid, buffers, combined rooms
and blocking entries. Requests by others do not block: requests may overlap (SPEC §2.4).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from bookings.availability import house_schedule
from bookings.conflicts import spaces_of
from bookings.models import BLOCKING_KINDS, Occupancy, Room, RoomPhoto
from bookings.schedule import (
    HELSINKI,
    Interval,
    Rules,
    local,
    on_slot_grid,
    opening_intervals,
    rules_for,
    weekly_hours,
    within_one,
)
from bookings.selectors import public_rooms

# Equipment codes are the keys of a room's `equipment` object in the API (SPEC §3.6).
EQUIPMENT_FIELDS = {
    "projector": "has_projector",
    "screen": "has_screen",
    "hybrid_meeting_kit": "has_hybrid_kit",
    "kitchen": "has_kitchen",
}
# Smallest that fits first (SPEC §2.12), then the house's own order.
FITTING_ORDER = ("capacity", "sort_order", "name_fi", "pk")
# How far past the asked start a busy room's next free time is looked for.
NEXT_FREE_DAYS = 14
# Alternatives on a clash: this many times before and after, within this many days.
ALTERNATIVE_TIMES = 3
ALTERNATIVE_DAYS = 3


def rooms_that_fit(*, attendees: int = 1, equipment: Iterable[str] = ()) -> QuerySet[Room]:
    """Public rooms with room for the attendees and every piece of equipment asked,
    smallest first. Unknown equipment codes raise KeyError (callers check them first)."""
    flags = {EQUIPMENT_FIELDS[code]: True for code in equipment}
    return (
        public_rooms()
        .filter(capacity__gte=attendees, **flags)
        .order_by("capacity", "sort_order", "name_fi", "pk")
    )


def public_time_allowed(rules: Rules, start: datetime, end: datetime, now: datetime) -> bool:
    """The public rules of a time that do not depend on the calendar: slot grid, duration,
    notice and horizon (the request service's `_check_public_rules`)."""
    return (
        start >= now + rules.min_notice
        and start <= now + rules.horizon
        and on_slot_grid(start, rules.slot)
        and on_slot_grid(end, rules.slot)
        and rules.min_duration <= end - start <= rules.max_duration
    )


@dataclass(frozen=True)
class RoomPlan:
    """A room as the finder sees it over the days searched: its rules, its opening
    intervals (holidays removed unless opened) and the blocking entries on any of its
    physical spaces, buffers of the other bookings included."""

    room: Room
    rules: Rules
    open: list[Interval]
    blocked: list[Interval]

    def requestable(self, start: datetime, end: datetime, now: datetime) -> bool:
        """Whether a public request for this time would pass the request service's checks
        (other requests aside, which never block)."""
        if end <= start or not public_time_allowed(self.rules, start, end, now):
            return False
        if not within_one(self.open, start, end):
            return False
        held_start, held_end = start - self.rules.setup_buffer, end + self.rules.cleanup_buffer
        return not any(b_start < held_end and held_start < b_end for b_start, b_end in self.blocked)

    def starts(self, length: timedelta, first: datetime, last: datetime) -> Iterator[datetime]:
        """Slot-grid starts in [first, last] of the opening intervals that a time of
        this length fits into, in order."""
        slot = self.rules.slot
        for open_start, open_end in sorted(self.open):
            moment = _first_on_grid(max(open_start, first), slot)
            while moment <= last and moment + length <= open_end:
                yield moment
                moment = _next_on_grid(moment, slot)

    def free_starts(
        self, length: timedelta, first: datetime, last: datetime, now: datetime
    ) -> Iterator[datetime]:
        for moment in self.starts(length, first, last):
            if self.requestable(moment, moment + length, now):
                yield moment


def _first_on_grid(moment: datetime, slot: timedelta) -> datetime:
    """The first time at or after `moment` on the slot grid, counted from local midnight
    (as `on_slot_grid` does, so the grid follows the house's clock across DST)."""
    wall = local(moment).replace(tzinfo=None)
    rest = (wall - wall.replace(hour=0, minute=0, second=0, microsecond=0)) % slot
    return (wall + (slot - rest if rest else timedelta(0))).replace(tzinfo=HELSINKI)


def _next_on_grid(moment: datetime, slot: timedelta) -> datetime:
    # Wall-clock arithmetic: a 30-minute grid stays on :00 and :30 across the DST change.
    wall = local(moment).replace(tzinfo=None) + slot
    return wall.replace(tzinfo=HELSINKI)


def room_plans(rooms: Sequence[Room], first_day: date, last_day: date) -> list[RoomPlan]:
    """Plans of the rooms over the local days first..last, in the rooms' order: two
    queries whatever the number of rooms (the house's schedule, from its memo while hours,
    holidays and parts stay the same, and the blocking occupancy)."""
    if not rooms:
        return []
    schedule = house_schedule()
    spaces = {room.pk: spaces_of(room.pk, schedule.graph) for room in rooms}
    window_start = datetime.combine(first_day, time.min, tzinfo=HELSINKI) - timedelta(days=1)
    window_end = datetime.combine(last_day, time.min, tzinfo=HELSINKI) + timedelta(days=2)
    blocked_by_space: dict[int, list[Interval]] = {}
    rows = Occupancy.objects.filter(
        space_id__in=set().union(*spaces.values()),
        kind__in=BLOCKING_KINDS,
        end__gt=window_start,
        start__lt=window_end,
    ).values_list("space_id", "start", "end")
    for space_id, start, end in rows:
        blocked_by_space.setdefault(space_id, []).append((start, end))
    # Most rooms keep the house's hours: their days are laid out once, not once per room.
    laid_out: dict[tuple, list[Interval]] = {}
    plans = []
    for room in rooms:
        hours = weekly_hours(room.pk, schedule.hour_rows)
        opened = schedule.opened_holidays.get(room.pk, frozenset())
        key = (tuple(tuple(hours[day]) for day in range(7)), opened)
        if key not in laid_out:
            laid_out[key] = opening_intervals(hours, first_day, last_day, opened)
        blocked = sorted(
            {interval for space in spaces[room.pk] for interval in blocked_by_space.get(space, [])}
        )
        plans.append(
            RoomPlan(
                room=room,
                rules=rules_for(room, schedule.house),
                open=laid_out[key],
                blocked=blocked,
            )
        )
    return plans


# --- The finder -------------------------------------------------------------------------


@dataclass(frozen=True)
class BusyRoom:
    """A room that fits by capacity and equipment but cannot be requested for the time
    asked; `next_free` is its next requestable time of the same length, if any soon."""

    room: Room
    next_free: Interval | None


@dataclass(frozen=True)
class FinderResult:
    start: datetime
    end: datetime
    free: list[Room]  # requestable for the whole interval, smallest first
    busy: list[BusyRoom]


def room_finder(
    *,
    start: datetime,
    end: datetime,
    attendees: int = 1,
    equipment: Iterable[str] = (),
    now: datetime | None = None,
    with_photos: bool = False,
) -> FinderResult:
    """The public rooms that fit (capacity, equipment) and can be requested for the whole
    of [start, end), smallest first, and the others that fit with their next free time of
    the same length. Three queries whatever the number of rooms (four with the photos)."""
    now = now or timezone.now()
    fitting = rooms_that_fit(attendees=attendees, equipment=equipment)
    if with_photos:
        photos = RoomPhoto.objects.order_by("sort_order", "pk")
        fitting = fitting.prefetch_related(Prefetch("photos", queryset=photos))
    rooms = list(fitting)
    first_day = local(start).date()
    plans = room_plans(rooms, first_day, first_day + timedelta(days=NEXT_FREE_DAYS))
    free: list[Room] = []
    busy: list[BusyRoom] = []
    length = end - start
    for plan in plans:
        if plan.requestable(start, end, now):
            free.append(plan.room)
            continue
        later = plan.free_starts(length, start, start + timedelta(days=NEXT_FREE_DAYS), now)
        found = next(later, None)
        busy.append(BusyRoom(plan.room, (found, found + length) if found else None))
    return FinderResult(start=start, end=end, free=free, busy=busy)


# --- Free start times on a room page -----------------------------------------------------


def room_free_starts(
    *, room: Room, day: date, length: timedelta, now: datetime | None = None
) -> list[datetime]:
    """The start times on that local day at which a public request of this length for the
    room would pass the rules and meet no blocking entry (past times and times inside the
    notice never do)."""
    now = now or timezone.now()
    (plan,) = room_plans([room], day, day)
    first = datetime.combine(day, time.min, tzinfo=HELSINKI)
    last = datetime.combine(day + timedelta(days=1), time.min, tzinfo=HELSINKI)
    return [moment for moment in plan.free_starts(length, first, last, now) if moment < last]


# --- Alternatives on a clash --------------------------------------------------------------


@dataclass(frozen=True)
class Alternatives:
    rooms: list[Room]  # other rooms free at the same time for the same attendees
    times: list[Interval]  # free times of the same length in the same room, nearest first


def clash_alternatives(
    *, room: Room, start: datetime, end: datetime, attendees: int, now: datetime | None = None
) -> Alternatives:
    """What to offer a renter whose request clashed: other public rooms that take the
    attendees and can be requested at the same time (smallest first), and up to three free
    times of the same length before and three after in the same room within a few days,
    in order of time."""
    now = now or timezone.now()
    rooms = [other for other in rooms_that_fit(attendees=attendees) if other.pk != room.pk]
    day = local(start).date()
    first_day, last_day = day - timedelta(days=ALTERNATIVE_DAYS), day + timedelta(ALTERNATIVE_DAYS)
    plans = room_plans([room, *rooms], first_day, last_day)
    own, others = plans[0], plans[1:]
    free_rooms = [plan.room for plan in others if plan.requestable(start, end, now)]
    length = end - start
    window = timedelta(days=ALTERNATIVE_DAYS)
    starts = [
        moment
        for moment in own.free_starts(length, start - window, start + window, now)
        if moment != start
    ]
    before = [moment for moment in starts if moment < start][-ALTERNATIVE_TIMES:]
    after = [moment for moment in starts if moment > start][:ALTERNATIVE_TIMES]
    times = [(moment, moment + length) for moment in before + after]
    return Alternatives(rooms=free_rooms, times=times)
