"""The staff timeline: one room's day as a track of 5-minute columns.

A track is a CSS grid whose columns are the minutes of its window in steps of STEP
minutes; a booking is one bar placed by grid-column classes, its buffers hatched beside
it, closed hours and closures shaded behind it, and every free hour a link that starts a
staff booking at that time. The site's Content-Security-Policy refuses inline styles, so
positions are classes from a fixed stylesheet (frontend/timeline_css.py).

The HTML is built as strings, not with template includes: a busy week draws thousands of
items and an include per item would be most of the page's time (tests/perf/bench_staff).
Every value from the database goes through html.escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bookings.schedule import Interval, local, subtract
from bookings.selectors import CalendarEntry
from frontend.timeline_css import DAY_MINUTES, MAX_LANES, STEP

SLOT_MINUTES = 60  # an empty-time link covers at most an hour


@dataclass(frozen=True)
class Window:
    """The minutes since local midnight a track shows, [first, last)."""

    first: int
    last: int

    @property
    def columns(self) -> int:
        return (self.last - self.first) // STEP

    def place(self, start: int, end: int) -> tuple[int, int] | None:
        """Grid start column (1-based) and span of minutes start..end, clipped; None when
        nothing of it is inside the window."""
        start, end = max(start, self.first), min(end, self.last)
        if end <= start:
            return None
        column = (start - self.first) // STEP + 1
        span = max(1, -(-(end - self.first) // STEP) - column + 1)
        return column, span


def minutes_on(day: date, moment: datetime) -> int:
    """Wall-clock minutes of `moment` counted from the local midnight of `day`, clipped to
    the day: before it is 0, after it is 1440."""
    here = local(moment)
    if here.date() < day:
        return 0
    if here.date() > day:
        return DAY_MINUTES
    return here.hour * 60 + here.minute


def grid_classes(place: tuple[int, int]) -> str:
    return f"gs-{place[0]} ge-{place[1]}"


@dataclass
class Bar:
    entry: CalendarEntry
    start: int  # minutes on the track's day, buffers not included
    end: int
    held_start: int  # with buffers
    held_end: int
    lane: int = 1


def lanes_for(bars: list[Bar]) -> int:
    """Give each overlapping bar its own lane (first free one, by start); returns the
    number of lanes used."""
    ends: list[int] = []
    for bar in sorted(bars, key=lambda bar: (bar.held_start, bar.held_end)):
        for index, end in enumerate(ends):
            if end <= bar.held_start:
                ends[index] = bar.held_end
                bar.lane = index + 1
                break
        else:
            ends.append(bar.held_end)
            bar.lane = min(len(ends), MAX_LANES)
    return max(1, min(len(ends), MAX_LANES))


def hh_mm(minutes: int) -> str:
    minutes = min(minutes, DAY_MINUTES)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def free_slots(
    open_intervals: list[Interval], blocking: list[Interval], day: date, earliest: datetime
) -> list[tuple[int, int]]:
    """Free times of the day in minutes, cut in pieces of at most an hour: open,
    held by no approved booking or closure (with buffers), not before `earliest`."""
    pieces: list[tuple[int, int]] = []
    for start, end in subtract(open_intervals, blocking):
        start = max(start, earliest)
        if end <= start:
            continue
        first, last = minutes_on(day, start), minutes_on(day, end)
        first = -(-first // STEP) * STEP  # a slot starts on the grid
        # Pieces end on whole hours, so a free afternoon reads 12–13, 13–14, ... whatever
        # buffer ended the booking before it.
        while last - first >= 15:
            piece_end = min((first // SLOT_MINUTES + 1) * SLOT_MINUTES, last)
            pieces.append((first, piece_end))
            first = piece_end
    return pieces


def entry_interval(entry: CalendarEntry, buffers: bool) -> Interval:
    if not buffers:
        return entry.start, entry.end
    return (
        entry.start - timedelta(minutes=entry.setup_minutes),
        entry.end + timedelta(minutes=entry.cleanup_minutes),
    )
