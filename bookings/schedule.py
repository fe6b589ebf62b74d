"""Time on the house's clock: booking rules, opening hours and Finnish public holidays.

Everything here is pure: callers load the rows and pass them in, so the same functions
serve the availability selector, the request validation and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext_lazy as _

from bookings.models import HouseRules, OpeningHours, Room

HELSINKI = ZoneInfo("Europe/Helsinki")


def local_time_missing(moment: datetime) -> bool:
    """True for a wall-clock time its zone skips: 03:00–03:59 on the last Sunday of March
    in Helsinki. zoneinfo accepts such a time and quietly reads it with the winter offset
    (an hour later than meant), so it must be refused instead.

    A time of the repeated hour of an October night is not missing: without an offset it
    means the first of its two instants (summer time, fold=0); an offset chooses."""
    zone = moment.tzinfo
    if not isinstance(zone, ZoneInfo):
        return False
    there_and_back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    return there_and_back.replace(tzinfo=None) != moment.replace(tzinfo=None)


def missing_time_message(moment: datetime) -> str:
    return str(
        _(
            "%(time)s does not exist on the house's clock: the clocks move from 03:00 "
            "to 04:00 that night. Choose another time."
        )
        % {"time": moment.strftime("%d.%m.%Y %H:%M")}
    )


Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Rules:
    slot: timedelta
    min_duration: timedelta
    max_duration: timedelta
    setup_buffer: timedelta
    cleanup_buffer: timedelta
    min_notice: timedelta
    horizon: timedelta


def rules_for(room: Room, house: HouseRules) -> Rules:
    """The room's booking rules, each falling back to the house default."""

    def pick(field: str) -> int:
        value = getattr(room, field)
        return getattr(house, field) if value is None else value

    return Rules(
        slot=timedelta(minutes=pick("slot_minutes")),
        min_duration=timedelta(minutes=pick("min_duration_minutes")),
        max_duration=timedelta(minutes=pick("max_duration_minutes")),
        setup_buffer=timedelta(minutes=pick("setup_buffer_minutes")),
        cleanup_buffer=timedelta(minutes=pick("cleanup_buffer_minutes")),
        min_notice=timedelta(hours=pick("min_notice_hours")),
        horizon=timedelta(days=pick("horizon_days")),
    )


def local(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


def on_slot_grid(moment: datetime, slot: timedelta) -> bool:
    """Whether a time falls on the slot grid, counted from local midnight."""
    here = local(moment)
    since_midnight = timedelta(hours=here.hour, minutes=here.minute, seconds=here.second)
    return here.microsecond == 0 and since_midnight % slot == timedelta(0)


@lru_cache(maxsize=32)
def finnish_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("FI", years=year, language="fi"))


def is_holiday(day: date) -> bool:
    return day in finnish_holidays(day.year)


WeeklyHours = dict[int, list[tuple[time, time]]]


def weekly_hours(room_id: int, rows: Iterable[OpeningHours]) -> WeeklyHours:
    """The room's own weekly hours if it has any, else the house default rows."""
    rows = list(rows)
    own = [row for row in rows if row.room_id == room_id]
    chosen = own or [row for row in rows if row.room_id is None]
    hours: WeeklyHours = {day: [] for day in range(7)}
    for row in sorted(chosen, key=lambda row: (row.weekday, row.opens)):
        hours[row.weekday].append((row.opens, row.closes))
    return hours


def days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def opening_intervals(
    hours: WeeklyHours, first: date, last: date, opened_holidays: AbstractSet[date]
) -> list[Interval]:
    """Open intervals, in Helsinki time, of the days first..last (both included).

    Public holidays close the house unless staff opened the day for this room.
    """
    intervals: list[Interval] = []
    for day in days(first, last):
        if is_holiday(day) and day not in opened_holidays:
            continue
        for opens, closes in hours[day.weekday()]:
            intervals.append(
                (
                    datetime.combine(day, opens, tzinfo=HELSINKI),
                    datetime.combine(day, closes, tzinfo=HELSINKI),
                )
            )
    return intervals


def subtract(intervals: Sequence[Interval], cuts: Sequence[Interval]) -> list[Interval]:
    """Intervals with every cut removed; both inputs sorted or not, output sorted."""
    result: list[Interval] = []
    ordered_cuts = sorted(cuts)
    for start, end in sorted(intervals):
        pieces = [(start, end)]
        for cut_start, cut_end in ordered_cuts:
            if cut_start >= end:
                break
            next_pieces = []
            for piece_start, piece_end in pieces:
                if cut_end <= piece_start or cut_start >= piece_end:
                    next_pieces.append((piece_start, piece_end))
                    continue
                if piece_start < cut_start:
                    next_pieces.append((piece_start, cut_start))
                if cut_end < piece_end:
                    next_pieces.append((cut_end, piece_end))
            pieces = next_pieces
        result.extend(pieces)
    return result


def within_one(intervals: Iterable[Interval], start: datetime, end: datetime) -> bool:
    return any(open_start <= start and end <= open_end for open_start, open_end in intervals)
