"""A recurring series told in words, in the page's language ("every Thursday, 8 times"),
instead of the RRULE text the series stores (RFC 5545), which nobody should have to read.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookings.schedule import local


def _days_text(weekdays: list[int]) -> str:
    names = [str(WEEKDAYS[day]) for day in sorted(set(weekdays))]
    if len(names) == 1:
        return names[0]
    return _("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}


WEEKDAY_CODES = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def _parts(rule_text: str) -> dict[str, str] | None:
    """The rule's NAME=value parts; None unless it is a weekly rule (all the house makes)."""
    try:
        parts = dict(part.split("=", 1) for part in rule_text.strip().split(";") if part)
    except ValueError:
        return None
    return parts if parts.get("FREQ") == "WEEKLY" else None


def series_in_words(rule_text: str, first_start: datetime) -> str:
    """E.g. "every Thursday, 8 times", "every 2 weeks on Monday and Thursday until
    30.04.2026" (bookings.recurrence writes these rules)."""
    parts = _parts(rule_text)
    try:
        if parts is None:
            raise ValueError(rule_text)
        days = [WEEKDAY_CODES[code] for code in parts.get("BYDAY", "").split(",") if code]
        interval = int(parts.get("INTERVAL", "1"))
        count = int(parts["COUNT"]) if "COUNT" in parts else None
        mark = parts.get("UNTIL", "")  # YYYYMMDD, then the time of day
        until = date(int(mark[:4]), int(mark[4:6]), int(mark[6:8])) if mark else None
    except (KeyError, ValueError):
        return _("a recurring series")
    values = {
        "days": _days_text(days or [local(first_start).weekday()]),
        "weeks": interval,
        "count": count or 0,
        "date": f"{until:%d.%m.%Y}" if until else "",
    }
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
    if interval == 1:
        return _("every %(days)s until %(date)s") % values
    return _("every %(weeks)d weeks on %(days)s until %(date)s") % values
