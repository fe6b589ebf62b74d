"""Recurring series: weekly or every N weeks on chosen weekdays (RFC 5545 RRULE semantics).

Occurrences keep their local wall-clock time across daylight-saving changes: a series at
10:00 in Helsinki stays at 10:00, so its UTC time moves by an hour twice a year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bookings.schedule import HELSINKI, Interval

MAX_OCCURRENCES = 104


@dataclass(frozen=True)
class Recurrence:
    weekdays: tuple[int, ...] = field(default_factory=tuple)  # 0 = Monday; empty: start's day
    interval_weeks: int = 1
    until: date | None = None
    count: int | None = None

    def validate(self, first_day: date) -> None:
        errors: dict[str, list] = {}
        if (self.until is None) == (self.count is None):
            errors["recurrence"] = [
                _("Give either an end date or a number of occurrences for the series.")
            ]
        if not 1 <= self.interval_weeks <= 52:
            errors.setdefault("recurrence", []).append(
                _("The series must repeat every 1 to 52 weeks.")
            )
        if any(not 0 <= day <= 6 for day in self.weekdays):
            errors.setdefault("recurrence", []).append(_("Weekdays are numbered 0 to 6."))
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            errors.setdefault("recurrence", []).append(
                _("A series has 1 to %(max)d occurrences.") % {"max": MAX_OCCURRENCES}
            )
        if self.until is not None and self.until < first_day:
            errors.setdefault("recurrence", []).append(
                _("The series must not end before it starts.")
            )
        if errors:
            raise ValidationError(errors)

    def to_rrule(self, first_start: datetime) -> rrule.rrule:
        start_local = first_start.astimezone(HELSINKI).replace(tzinfo=None)
        until = datetime.combine(self.until, time.max) if self.until else None
        return rrule.rrule(
            rrule.WEEKLY,
            dtstart=start_local,
            interval=self.interval_weeks,
            byweekday=self.weekdays or None,
            until=until,
            count=self.count,
            wkst=rrule.MO,
        )

    def rule_text(self, first_start: datetime) -> str:
        """The RRULE line (RFC 5545 3.3.10) as stored on the series."""
        text = str(self.to_rrule(first_start))
        return next(line for line in text.splitlines() if line.startswith("RRULE:"))[6:]


def occurrences(first: Interval, recurrence: Recurrence) -> list[Interval]:
    """The series' occurrences as aware intervals, each of the first's local length."""
    start, end = first
    recurrence.validate(start.astimezone(HELSINKI).date())
    local_length = end.astimezone(HELSINKI).replace(tzinfo=None) - start.astimezone(
        HELSINKI
    ).replace(tzinfo=None)
    result: list[Interval] = []
    for naive_start in recurrence.to_rrule(start):
        if len(result) == MAX_OCCURRENCES:
            raise ValidationError(
                {
                    "recurrence": _("A series has 1 to %(max)d occurrences.")
                    % {"max": MAX_OCCURRENCES}
                }
            )
        result.append(
            (
                naive_start.replace(tzinfo=HELSINKI),
                (naive_start + local_length).replace(tzinfo=HELSINKI),
            )
        )
    return result
