"""The staff calendar: a week of rooms × days and a day of rooms × hours.

Each page reads its entries in one query (bookings.selectors.calendar_entries) plus the
rooms and how they combine, so it costs the same whatever the week holds. An entry shows
on every room whose physical space it holds: a booking of a combined hall appears on
both halves, marked with the room that was booked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bookings.models import ClosureReason, OccupancyKind, Room
from bookings.schedule import HELSINKI, local
from bookings.selectors import CalendarEntry, calendar_entries
from bookings.spaces import room_graph, spaces_of
from bookings.validators import years_message
from frontend.forms_staff import JumpForm
from frontend.views.staff.access import booking_reader_required

DAY_FIRST_HOUR = 7
DAY_LAST_HOUR = 22  # the column of 21–22 is the last one drawn by default


@dataclass(frozen=True)
class CalendarRoom:
    room: Room
    spaces: frozenset[int]
    parts: list[str]  # names of its parts, for a combined room
    part_of: str = ""  # the combined room it is listed under
    is_part: bool = False


@dataclass
class Cell:
    items: list[SafeString] = field(default_factory=list)

    @property
    def html(self) -> SafeString:
        # Joined here, not looped in the template: the page's cost stays with the cells.
        if not self.items:
            return mark_safe("")
        return mark_safe('<ul class="entries">' + "".join(self.items) + "</ul>")  # noqa: S308


def _day_from(request: HttpRequest) -> date:
    form = JumpForm(request.GET)
    if form.is_valid() and form.cleaned_data["date"]:
        return form.cleaned_data["date"]
    if form.has_error("date", "out_of_range"):
        raise BadRequest(years_message())  # a far year would overflow the week's dates
    return timezone.localdate()


def calendar_rooms() -> list[CalendarRoom]:
    """Active rooms in their order, each combined room followed by its parts (2 queries)."""
    rooms = list(Room.objects.filter(is_active=True))
    graph = room_graph()
    by_id = {room.pk: room for room in rooms}
    listed: list[CalendarRoom] = []
    placed: set[int] = set()
    parts_of_some = {part for parts in graph.values() for part in parts}
    for room in rooms:
        if room.pk in placed or (room.pk in parts_of_some and room.pk not in graph):
            continue
        parts = [by_id[part] for part in graph.get(room.pk, ()) if part in by_id]
        listed.append(CalendarRoom(room, spaces_of(room.pk, graph), [part.name for part in parts]))
        placed.add(room.pk)
        for part in parts:
            if part.pk not in placed:
                listed.append(CalendarRoom(part, spaces_of(part.pk, graph), [], room.name, True))
                placed.add(part.pk)
    for room in rooms:  # parts whose combination is not in use
        if room.pk not in placed:
            listed.append(CalendarRoom(room, spaces_of(room.pk, graph), []))
    return listed


class EntryLabels:
    """Each entry drawn as one HTML list item, built once per (entry, room shown via,
    continues) however many cells show it.

    Built in Python rather than with a template include per entry: a busy week draws
    hundreds of entries, and the include (then format_html's lazy-aware escaping) was
    most of the page's time (see tests/perf/bench_staff.py). Every value from the
    database goes through html.escape before it is marked safe.
    """

    def __init__(self, rooms: dict[int, Room]) -> None:
        self.rooms = rooms
        self.kinds: dict[str, str] = {
            OccupancyKind.APPROVED: escape(_("Approved")),
            OccupancyKind.REQUESTED: escape(_("Requested")),
            OccupancyKind.CLOSED: escape(_("Closed")),
        }
        self.reasons = {value: escape(str(label)) for value, label in ClosureReason.choices}
        self.continues = escape(_("continues"))
        # One reverse() for all: the booking's id is the path's last segment.
        self.booking_base = escape(reverse("frontend:staff-booking", args=[1])[: -len("1/")])
        self.closures_url = escape(reverse("frontend:staff-closures"))
        self.cache: dict[tuple, SafeString] = {}

    def html(self, entry: CalendarEntry, row: CalendarRoom, continues: bool) -> SafeString:
        via = entry.room_id if entry.room_id not in (None, row.room.pk) else None
        key = (entry.booking_id, entry.closure_id, via, continues)
        if key not in self.cache:
            self.cache[key] = mark_safe(  # noqa: S308 - every part is escaped above or here
                f'<li class="entry entry-{escape(entry.kind)}">'
                f'<span class="entry-kind">{self.kinds.get(entry.kind, "")}</span> '
                f"{self._when(entry, continues)} {self._what(entry, via)}</li>"
            )
        return self.cache[key]

    def _when(self, entry: CalendarEntry, continues: bool) -> str:
        if continues:
            return f'<span class="entry-continues">{self.continues}</span>'
        # hour:minute by hand: strftime per entry showed in the benchmark's profile.
        start, end = local(entry.start), local(entry.end)
        return (
            f'<span class="entry-time">{start.hour:02d}:{start.minute:02d}–'
            f"{end.hour:02d}:{end.minute:02d}</span>"
        )

    def _what(self, entry: CalendarEntry, via: int | None) -> str:
        if entry.booking_id is None:
            note = f' <span class="entry-org">{escape(entry.note)}</span>' if entry.note else ""
            reason = self.reasons.get(entry.reason, escape(entry.reason))
            return f'<a href="{self.closures_url}#closure-{entry.closure_id}">{reason}</a>{note}'
        org = (
            f' <span class="entry-org">{escape(entry.organisation)}</span>'
            if entry.organisation
            else ""
        )
        via_text = ""
        if via is not None and via in self.rooms:
            booked_as = _("booked as %(room)s") % {"room": self.rooms[via].name}
            via_text = f' <span class="entry-via">({escape(booked_as)})</span>'
        return (
            f'<a href="{self.booking_base}{entry.booking_id}/">{escape(entry.title)}</a>'
            f"{org}{via_text}"
        )


def _days_of(entry: CalendarEntry, first: date, last: date) -> list[date]:
    start_day = max(local(entry.start).date(), first)
    # An entry ending exactly at midnight does not touch the next day.
    end_day = min(local(entry.end - timedelta(microseconds=1)).date(), last)
    return [start_day + timedelta(days=n) for n in range((end_day - start_day).days + 1)]


def rows_holding(rows: list[CalendarRoom], entry: CalendarEntry) -> list[CalendarRoom]:
    """The calendar rows whose room shares a physical space with the entry, in row order."""
    return [row for row in rows if not entry.space_ids.isdisjoint(row.spaces)]


def week_grid(rows: list[CalendarRoom], entries: list[CalendarEntry], days: list[date]):
    labels = EntryLabels({row.room.pk: row.room for row in rows})
    cells = {(row.room.pk, day): Cell() for row in rows for day in days}
    for entry in entries:
        entry_days = _days_of(entry, days[0], days[-1])
        for row in rows_holding(rows, entry):
            html = labels.html(entry, row, False)
            for day in entry_days:
                cells[(row.room.pk, day)].items.append(html)
    return [(row, [cells[(row.room.pk, day)] for day in days]) for row in rows]


@require_safe
@booking_reader_required
def week(request: HttpRequest) -> HttpResponse:
    day = _day_from(request)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    rows = calendar_rooms()
    grid = week_grid(rows, calendar_entries(days[0], days[-1]), days)
    return render(
        request,
        "frontend/staff/calendar_week.html",
        {
            "days": days,
            "grid": grid,
            "today": timezone.localdate(),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "jump": JumpForm(initial={"date": day}),
            "week_number": monday.isocalendar().week,
        },
    )


def _hour_range(entries: list[CalendarEntry], day: date) -> list[int]:
    first, last = DAY_FIRST_HOUR, DAY_LAST_HOUR
    for entry in entries:
        start, end = local(entry.start), local(entry.end)
        first = min(first, start.hour if start.date() == day else 0)
        last = max(last, (end.hour + (1 if end.minute else 0)) if end.date() == day else 24)
    return list(range(first, last))


def _hour_bounds(day: date, hour: int) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=HELSINKI) + timedelta(hours=hour)
    return start, start + timedelta(hours=1)


def day_grid(rows: list[CalendarRoom], entries: list[CalendarEntry], day: date, hours: list[int]):
    labels = EntryLabels({row.room.pk: row.room for row in rows})
    bounds = [_hour_bounds(day, hour) for hour in hours]
    grid = []
    for row in rows:
        cells = [Cell() for _hour in hours]
        for entry in (e for e in entries if not e.space_ids.isdisjoint(row.spaces)):
            touched = [
                index
                for index, (start, end) in enumerate(bounds)
                if entry.start < end and entry.end > start
            ]
            for position, index in enumerate(touched):
                cells[index].items.append(labels.html(entry, row, position > 0))
        grid.append((row, cells))
    return grid


@require_safe
@booking_reader_required
def day_view(request: HttpRequest) -> HttpResponse:
    day = _day_from(request)
    rows = calendar_rooms()
    entries = calendar_entries(day, day)
    hours = _hour_range(entries, day)
    return render(
        request,
        "frontend/staff/calendar_day.html",
        {
            "day": day,
            "hours": hours,
            "grid": day_grid(rows, entries, day, hours),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "monday": day - timedelta(days=day.weekday()),
            "jump": JumpForm(initial={"date": day}),
        },
    )
