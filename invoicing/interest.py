"""Penalty interest (viivästyskorko) under the Interest Act 633/1982: the reference rate
of each half-year plus 7 points (4 §), or 8 points between businesses (4 a §), unless
the invoice states its own rate. Day count actual/365, one rounding at the end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from invoicing.money import ZERO, euros

POINTS_CONSUMER = Decimal(7)  # Interest Act 4 §
POINTS_BUSINESS = Decimal(8)  # Interest Act 4 a §: between businesses


class NoReferenceRate(LookupError):
    """The table has no reference rate for a half-year the interest runs in."""

    def __init__(self, half_year: date) -> None:
        super().__init__(half_year)
        self.half_year = half_year


@dataclass(frozen=True)
class Interest:
    days: int
    rate: Decimal  # the annual rate of the latest day counted
    amount: Decimal


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def reference_rate_on(day: date, table: Iterable[tuple[date, Decimal]]) -> Decimal:
    """The reference rate of the day's half-year (Interest Act 12 §)."""
    start = half_year_start(day)
    for valid_from, rate in table:
        if valid_from == start:
            return rate
    raise NoReferenceRate(start)


def penalty_interest(
    *,
    amount: Decimal,
    due_date: date,
    until: date,
    points: Decimal,
    table: Iterable[tuple[date, Decimal]],
    fixed_rate: Decimal | None = None,
) -> Interest:
    """Interest on `amount` for each day after the due date up to `until`, at the fixed
    rate if the invoice stated one, else at the half-year's reference rate + points."""
    rows = list(table)
    total, rate, day = Decimal(0), fixed_rate or ZERO, due_date + timedelta(days=1)
    days = max((until - due_date).days, 0)
    while day <= until:
        # One half-year at a time: the rate changes only on 1 January and 1 July.
        start = half_year_start(day)
        end = min(until, date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31))
        count = (end - day).days + 1
        rate = fixed_rate if fixed_rate is not None else reference_rate_on(day, rows) + points
        total += amount * rate / Decimal(100) * Decimal(count) / Decimal(365)
        day = end + timedelta(days=1)
    return Interest(days=days, rate=rate, amount=euros(total) if days else ZERO)
