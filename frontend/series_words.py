"""A recurring series told in words, in the page's language ("every Thursday, 8 times"),
instead of the RRULE text the series stores (RFC 5545), which nobody should have to read.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.rrule import rrulestr
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookings.schedule import local


def _days_text(weekdays: list[int]) -> str:
    names = [str(WEEKDAYS[day]) for day in sorted(set(weekdays))]
    if len(names) == 1:
        return names[0]
    return _("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}


def series_in_words(rule_text: str, first_start: datetime) -> str:
    """E.g. "every Thursday, 8 times", "every 2 weeks on Monday and Thursday until
    30.04.2026"; the stored text itself only if it is not a rule this house makes."""
    start = local(first_start)
    try:
        rule = rrulestr(rule_text, dtstart=start.replace(tzinfo=None))
    except (ValueError, TypeError):
        return rule_text
    # dateutil keeps the parsed parts on private attributes; they are stable since 2.0.
    weekdays = list(rule._byweekday or (start.weekday(),))  # type: ignore[attr-defined]
    interval: int = rule._interval  # type: ignore[attr-defined]
    count: int | None = rule._count  # type: ignore[attr-defined]
    until: datetime | None = rule._until  # type: ignore[attr-defined]
    values = {"days": _days_text(weekdays), "weeks": interval, "count": count or 0}
    if count is not None:
        if interval == 1:
            return (
                ngettext("every %(days)s, %(count)d time", "every %(days)s, %(count)d times", count)
                % values
            )
        return (
            ngettext(
                "every %(weeks)d weeks on %(days)s, %(count)d time",
                "every %(weeks)d weeks on %(days)s, %(count)d times",
                count,
            )
            % values
        )
    values["date"] = f"{until:%d.%m.%Y}" if until else ""
    if interval == 1:
        return _("every %(days)s until %(date)s") % values
    return _("every %(weeks)d weeks on %(days)s until %(date)s") % values
