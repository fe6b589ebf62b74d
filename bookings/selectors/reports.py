"""Usage report (SPEC §2.14): per room and month, the open hours, the booked hours of
approved bookings (buffers not counted), utilisation, and the bookings, member and external.

Open hours are what a room's availability shows as open: its weekly hours, Finnish public
holidays closed unless staff opened them for the room, and closures of any space the room
covers taken out. A booking counts in the month (Helsinki time) it starts, on the room it
was made for: a booking of a combined hall counts on the hall, not on its halves, so that
adding up a column never counts one booking twice.

The queries are fixed whatever the number of months: six for any range.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from bookings.models import (
    Booking,
    BookingStatus,
    HolidayOpening,
    MemberOrganisation,
    Occupancy,
    OccupancyKind,
    OpeningHours,
    Room,
)
from bookings.schedule import Interval, local, opening_intervals, subtract, weekly_hours
from bookings.selectors import day_bounds
from bookings.spaces import room_graph, spaces_of

# A report is read in one request: three years of months is plenty to compare years, and
# keeps the open-hours arithmetic (rooms × days) small.
MAX_REPORT_MONTHS = 36
HOUR = Decimal(3600)
HOURS = Decimal("0.01")
RATIO = Decimal("0.0001")


def month_parse(text: str, field: str) -> date:
    """`2026-10` as the first day of that month; a ValidationError on the field otherwise."""
    value = (text or "").strip()
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(value)
        first = date(int(year), int(month), 1)
    except ValueError:
        raise ValidationError(
            {field: _("Give a month as YYYY-MM, for example 2026-10.")}, code="invalid"
        ) from None
    if not 2000 <= first.year <= 2100:
        raise ValidationError(
            {field: _("Choose a month between the years 2000 and 2100.")}, code="out_of_range"
        )
    return first


def months_between(first: date, last: date) -> list[date]:
    """The months from first to last, both included, as their first days; refused when
    the range ends before it starts or is longer than MAX_REPORT_MONTHS."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count < 1:
        raise ValidationError({"to": _("The last month must not be before the first.")})
    if count > MAX_REPORT_MONTHS:
        message = _("Ask for at most %(months)s months at a time.")
        raise ValidationError({"to": message % {"months": MAX_REPORT_MONTHS}})
    return [month_add(first, offset) for offset in range(count)]


def month_add(month: date, offset: int) -> date:
    index = month.year * 12 + month.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def month_last_day(month: date) -> date:
    return month_add(month, 1) - timedelta(days=1)


def hours_of(seconds: float | Decimal) -> Decimal:
    return (Decimal(seconds) / HOUR).quantize(HOURS)


@dataclass(frozen=True)
class UsageRow:
    month: date
    room: Room
    open_hours: Decimal
    booked_hours: Decimal
    bookings: int
    member_bookings: int
    external_bookings: int

    @property
    def utilisation(self) -> Decimal | None:
        """Booked over open hours (0.5 = half); None when the room was never open.
        Staff may book outside opening hours, so it can exceed 1."""
        if not self.open_hours:
            return None
        return (self.booked_hours / self.open_hours).quantize(RATIO)


@dataclass(frozen=True)
class BookedMonth:
    seconds: float
    bookings: int
    member_bookings: int


class SecondsBetween(Func):
    """Whole seconds from one datetime to another, in the database's own arithmetic.

    Django's portable datetime difference calls back into Python for every row on
    SQLite, which over a year of bookings costs more than everything else in the report;
    both databases store UTC, so the difference is real elapsed time."""

    output_field = IntegerField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(start), F(end))

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        if connection.vendor == "sqlite":
            sql = f"CAST(ROUND((julianday({end_sql}) - julianday({start_sql})) * 86400) AS INTEGER)"
        else:
            sql = f"CAST(ROUND(EXTRACT(EPOCH FROM ({end_sql} - {start_sql}))) AS INTEGER)"
        return sql, (*end_params, *start_params)


def _month_index(months: list[date]) -> Case:
    """Which of the months (by its index) a booking starts in, on the house's clock: one
    comparison per month boundary, in the database."""
    whens = [
        When(start__lt=day_bounds(month, month_last_day(month))[1], then=Value(index))
        for index, month in enumerate(months)
    ]
    return Case(*whens, default=Value(len(months)), output_field=IntegerField())


def _booked(months: list[date]) -> dict[tuple[int, date], BookedMonth]:
    """Approved bookings starting in the months, added up per room and month in SQL."""
    start, end = day_bounds(months[0], month_last_day(months[-1]))
    # Members as the queue's badge tells them (customer_is_member): by business ID. An
    # uncorrelated IN is read once; a correlated EXISTS would run for every booking.
    member = Q(customer__business_id__in=MemberOrganisation.objects.values("business_id"))
    rows = (
        Booking.objects.filter(status=BookingStatus.APPROVED, start__gte=start, start__lt=end)
        .annotate(month_index=_month_index(months))
        .values("room_id", "month_index")
        .annotate(
            count=Count("pk"),
            members=Count("pk", filter=member),
            seconds=Sum(SecondsBetween("start", "end")),
        )
        .order_by()
    )
    return {
        (row["room_id"], months[row["month_index"]]): BookedMonth(
            float(row["seconds"]), row["count"], row["members"]
        )
        for row in rows
    }


def _closed_by_space(first: date, last: date) -> dict[int, list[Interval]]:
    start, end = day_bounds(first, month_last_day(last))
    rows = Occupancy.objects.filter(kind=OccupancyKind.CLOSED, end__gt=start, start__lt=end)
    closed: dict[int, list[Interval]] = defaultdict(list)
    for space_id, row_start, row_end in rows.values_list("space_id", "start", "end"):
        closed[space_id].append((local(row_start), local(row_end)))
    return closed


def _open_seconds(intervals: Iterable[Interval], months: set[date]) -> dict[date, float]:
    """Seconds open per month. Real elapsed time (in UTC), so a range over a
    daylight-saving change counts the hour that night gains or loses."""
    seconds: dict[date, float] = defaultdict(float)
    for start, end in intervals:
        month = start.date().replace(day=1)
        if month in months:
            seconds[month] += (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    return seconds


def _report_rooms(booked_room_ids: set[int]) -> list[Room]:
    """Rooms in use, and any other room that had approved bookings in the period."""
    return list(
        Room.objects.filter(Q(is_active=True) | Q(pk__in=booked_room_ids)).order_by(
            "sort_order", "name_fi", "pk"
        )
    )


def usage_report(*, first_month: date, last_month: date) -> list[UsageRow]:
    """One row per month and room (months in order, rooms in their order), from the
    first to the last month given, both included. Six queries for any range."""
    months = months_between(first_month, last_month)
    last_day = month_last_day(months[-1])
    booked = _booked(months)
    rooms = _report_rooms({room_id for room_id, _month in booked})
    hours_rows = list(OpeningHours.objects.all())
    opened: dict[int, set[date]] = defaultdict(set)
    for room_id, day in HolidayOpening.objects.filter(
        date__range=(months[0], last_day)
    ).values_list("room_id", "date"):
        opened[room_id].add(day)
    graph = room_graph()
    closed = _closed_by_space(months[0], months[-1])
    wanted = set(months)
    open_seconds = {}
    for room in rooms:
        intervals = opening_intervals(
            weekly_hours(room.pk, hours_rows), months[0], last_day, opened[room.pk]
        )
        cuts = [cut for space in spaces_of(room.pk, graph) for cut in closed.get(space, ())]
        open_seconds[room.pk] = _open_seconds(subtract(intervals, cuts), wanted)
    rows = []
    for month in months:
        for room in rooms:
            seen = booked.get((room.pk, month), BookedMonth(0.0, 0, 0))
            rows.append(
                UsageRow(
                    month=month,
                    room=room,
                    open_hours=hours_of(open_seconds[room.pk].get(month, 0.0)),
                    booked_hours=hours_of(seen.seconds),
                    bookings=seen.bookings,
                    member_bookings=seen.member_bookings,
                    external_bookings=seen.bookings - seen.member_bookings,
                )
            )
    return rows


@dataclass(frozen=True)
class UsageTotal:
    """One room's usage over the whole range of months."""

    room: Room
    open_hours: Decimal
    booked_hours: Decimal
    bookings: int
    member_bookings: int
    external_bookings: int

    @property
    def utilisation(self) -> Decimal | None:
        if not self.open_hours:
            return None
        return (self.booked_hours / self.open_hours).quantize(RATIO)


def usage_totals(rows: Iterable[UsageRow]) -> list[UsageTotal]:
    """The report's rows added up per room over its months, rooms in the report's order."""
    sums: dict[int, list] = {}
    for row in rows:
        total = sums.setdefault(row.room.pk, [row.room, Decimal(0), Decimal(0), 0, 0, 0])
        total[1] += row.open_hours
        total[2] += row.booked_hours
        total[3] += row.bookings
        total[4] += row.member_bookings
        total[5] += row.external_bookings
    return [UsageTotal(*values) for values in sums.values()]
