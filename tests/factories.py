"""Small builders for test data; each returns saved rows with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from bookings.models import OpeningHours, Room
from bookings.schedule import HELSINKI, is_holiday
from bookings.services import RenterDetails

_numbers = itertools.count(1)


def make_room(*, slug: str | None = None, capacity: int = 20, parts=(), **fields) -> Room:
    number = next(_numbers)
    room = Room.objects.create(
        slug=slug or f"room-{number}",
        name_fi=fields.pop("name_fi", f"Huone {number}"),
        name_sv=fields.pop("name_sv", f"Rum {number}"),
        name_en=fields.pop("name_en", f"Room {number}"),
        capacity=capacity,
        **fields,
    )
    if parts:
        room.parts.set(parts)
    return room


def make_extra(code: str = "coffee", **fields):
    """An extra renters may order (the booking services refuse codes not offered)."""
    from decimal import Decimal

    from invoicing.models import Extra, ExtraPricing
    from invoicing.vat import VatCode

    values = {
        "name_fi": "Kahvitarjoilu",
        "name_sv": "Kaffeservering",
        "name_en": "Coffee service",
        "pricing": ExtraPricing.PERSON,
        "price": Decimal("4.80"),
        "vat_code": VatCode.CATERING,
        **fields,
    }
    return Extra.objects.get_or_create(code=code, defaults=values)[0]


def house_hours(opens: time = time(7), closes: time = time(22)) -> None:
    """House default opening hours, every day of the week."""
    OpeningHours.objects.bulk_create(
        OpeningHours(room=None, weekday=day, opens=opens, closes=closes) for day in range(7)
    )


def renter(**fields) -> RenterDetails:
    values = {
        "organisation": "Turun Perhetyö ry",
        "contact_name": "Maija Meikäläinen",
        "email": "maija@example.org",
        "phone": "+358 40 123 4567",
        "billing_address": "Esimerkkikatu 1\n20100 Turku",
        "language": "fi",
    }
    values.update(fields)
    return RenterDetails(**values)


def working_day(days_ahead: int = 14, *, repeats: int = 1, every: int = 7) -> date:
    """The first day at least days_ahead from today (on the house's clock) that starts a
    row of `repeats` days, `every` days apart, none of them a Finnish public holiday.

    With the defaults it is one day; a weekly series of eight dates asks `repeats=8`, and
    a row of consecutive days `every=1`. The default lies past the public notice (48 h)
    and well inside the horizon (365 days)."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while any(is_holiday(day + timedelta(days=every * n)) for n in range(repeats)):
        day += timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware Helsinki time on that day."""
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def working_days(count: int, *, every: int = 1, days_ahead: int = 14) -> list[date]:
    """`count` days `every` days apart from the first day that starts such a row of
    holiday-free days (see working_day)."""
    first = working_day(days_ahead, repeats=count, every=every)
    return [first + timedelta(days=every * n) for n in range(count)]
