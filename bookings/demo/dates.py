"""Where a planned booking falls: weeks around today, on days the house is open."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bookings.schedule import HELSINKI, is_holiday

# --- Dates -----------------------------------------------------------------------------


def week_date(today: date, week: int, weekday: int) -> date:
    """That weekday of the week `week` weeks from this one (0: the current week)."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=week, days=weekday)


def week_day(today: date, week: int, weekday: int) -> date:
    """As week_date, but off a public holiday (the house is closed) by moving whole weeks
    away from today."""
    day = week_date(today, week, weekday)
    step = timedelta(weeks=1 if week > 0 else -1)
    while is_holiday(day):
        day += step
    return day


def at(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=HELSINKI)


def span(today: date, week: int, weekday: int, hours: tuple[str, str]) -> tuple[datetime, datetime]:
    day = week_day(today, week, weekday)
    return at(day, hours[0]), at(day, hours[1])


def sent_at(start: datetime, now: datetime) -> datetime:
    # A past booking was requested three weeks before it: within the notice and horizon
    # rules as they stood then. Future ones are requested now.
    return min(now, start - timedelta(weeks=3))
