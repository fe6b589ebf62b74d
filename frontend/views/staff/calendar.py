"""The staff calendar as a timeline: a week of rooms × days and a day of rooms, each room's
day a track with a time axis (frontend/timeline.py).

Each page reads its entries in one query (bookings.selectors.calendar_entries) plus the
rooms, how they combine, the weekly hours and the holidays opened, so it costs the same
whatever the week holds. An entry shows on every room whose physical space it holds: a
booking of a combined hall appears on both halves, marked with the room that was booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bookings.models import ClosureReason, HolidayOpening, OccupancyKind, OpeningHours, Room
from bookings.schedule import Interval, local, opening_intervals, weekly_hours
from bookings.selectors import CalendarEntry, calendar_entries
from bookings.spaces import room_graph, spaces_of
from bookings.validators import years_message
from frontend.forms_staff import JumpForm
from frontend.timeline import (
    DAY_MINUTES,
    Bar,
    Window,
    entry_interval,
    free_slots,
    grid_classes,
    hh_mm,
    lanes_for,
    minutes_on,
)
from frontend.views.staff.access import StaffRequest, booking_reader_required

DAY_FIRST_HOUR = 7
DAY_LAST_HOUR = 22  # the column of 21–22 is the last one drawn by default


@dataclass(frozen=True)
class CalendarRoom:
    room: Room
    spaces: frozenset[int]
    parts: list[str]  # names of its parts, for a combined room
    part_of: str = ""  # the combined room it is listed under
    is_part: bool = False


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


def rows_holding(rows: list[CalendarRoom], entry: CalendarEntry) -> list[CalendarRoom]:
    """The calendar rows whose room shares a physical space with the entry, in row order."""
    return [row for row in rows if not entry.space_ids.isdisjoint(row.spaces)]


class TrackPainter:
    """Draws one room's day as a timeline track (frontend/timeline.py), with the texts
    and links every track shares built once per page."""

    def __init__(self, rows: list[CalendarRoom], first: date, last: date, can_book: bool):
        self.rooms = {row.room.pk: row.room for row in rows}
        self.can_book = can_book
        self.now = timezone.now()
        self.kinds: dict[str, str] = {
            OccupancyKind.APPROVED: escape(_("Approved")),
            OccupancyKind.REQUESTED: escape(_("Request")),
            OccupancyKind.CLOSED: escape(_("Closed")),
        }
        self.reasons = {value: escape(str(label)) for value, label in ClosureReason.choices}
        self.closed_hours = escape(_("closed hours"))
        # One reverse() for all: the booking's id is the path's last segment.
        self.booking_base = escape(reverse("frontend:staff-booking", args=[1])[: -len("1/")])
        self.closures_url = escape(reverse("frontend:staff-closures"))
        self.new_url = escape(reverse("frontend:staff-booking-new"))
        self.book_text = _("Book %(room)s, %(day)s %(start)s–%(end)s")
        self.buffer_text = _("with %(setup)s min setup before and %(cleanup)s min cleanup after")
        self.booked_as = _("booked as %(room)s")
        # The rows read every room's weekly hours and the holidays opened in two queries.
        hours_rows = list(OpeningHours.objects.all())
        opened: dict[int, set[date]] = {}
        for room_id, opened_day in HolidayOpening.objects.filter(
            date__gte=first, date__lte=last
        ).values_list("room_id", "date"):
            opened.setdefault(room_id, set()).add(opened_day)
        self.open: dict[int, list[Interval]] = {
            pk: opening_intervals(
                weekly_hours(pk, hours_rows), first, last, frozenset(opened.get(pk, ()))
            )
            for pk in self.rooms
        }

    def window(self, entries: list[CalendarEntry], days: list[date]) -> Window:
        """07–22 unless opening hours or a booking of the days reach further (closures
        are clipped: a day-long closure would otherwise stretch every day to 24 hours)."""
        first, last = DAY_FIRST_HOUR * 60, DAY_LAST_HOUR * 60
        spans = [(s, e) for intervals in self.open.values() for s, e in intervals]
        spans += [entry_interval(e, True) for e in entries if e.booking_id is not None]
        for day in days:
            for start, end in spans:
                begin, finish = minutes_on(day, start), minutes_on(day, end)
                if finish > begin and local(start).date() <= day <= local(end).date():
                    first = min(first, begin // 60 * 60)
                    last = max(last, -(-finish // 60) * 60)
        return Window(first, last)

    def track(
        self, row: CalendarRoom, day: date, window: Window, entries: list[CalendarEntry]
    ) -> SafeString:
        """The track of `row` on `day`; `entries` are those holding the row's spaces."""
        touching = [
            e
            for e in entries
            if minutes_on(day, entry_interval(e, True)[1]) > 0
            and minutes_on(day, entry_interval(e, True)[0]) < DAY_MINUTES
        ]
        open_today = [
            (minutes_on(day, s), minutes_on(day, e))
            for s, e in self.open.get(row.room.pk, [])
            if local(s).date() <= day <= local(e).date()
        ]
        items: list[str] = [self._closed_hours(window, open_today)]
        bars = []
        for entry in touching:
            if entry.booking_id is None:
                items.append(self._closure(entry, day, window))
                continue
            held = entry_interval(entry, True)
            bars.append(
                Bar(
                    entry,
                    minutes_on(day, entry.start),
                    minutes_on(day, entry.end),
                    minutes_on(day, held[0]),
                    minutes_on(day, held[1]),
                )
            )
        lanes = lanes_for(bars)
        if self.can_book:
            items.extend(self._slots(row, day, window, touching))
        items.extend(self._bar(bar, row, window) for bar in bars)
        return mark_safe(  # noqa: S308 - every part is escaped where it is built
            f'<div class="track cols-{window.columns} lanes-{lanes}">{"".join(items)}</div>'
        )

    def _closed_hours(self, window: Window, open_today: list[tuple[int, int]]) -> str:
        shaded, moment = [], window.first
        for start, end in [*sorted(open_today), (window.last, window.last)]:
            place = window.place(moment, start)
            if place:
                shaded.append(
                    f'<span class="shade shade-hours {grid_classes(place)}">'
                    f'<span class="visually-hidden">{self.closed_hours}</span></span>'
                )
            moment = max(moment, end)
        return "".join(shaded)

    def _when(self, entry: CalendarEntry) -> str:
        start, end = local(entry.start), local(entry.end)
        if start.date() == end.date() or (
            (end - start) <= timedelta(days=1) and not (end.hour or end.minute)
        ):
            text = f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}"
        else:
            text = f"{start:%d.%m. %H:%M}–{end:%d.%m. %H:%M}"
        return f'<span class="entry-time">{text}</span>'

    def _closure(self, entry: CalendarEntry, day: date, window: Window) -> str:
        place = window.place(minutes_on(day, entry.start), minutes_on(day, entry.end))
        if place is None:
            return ""
        reason = self.reasons.get(entry.reason, escape(entry.reason))
        note = f' <span class="entry-org">{escape(entry.note)}</span>' if entry.note else ""
        return (
            f'<a class="shade closure entry entry-closed {grid_classes(place)}" '
            f'href="{self.closures_url}#closure-{entry.closure_id}">'
            f'<span class="entry-kind">{self.kinds[OccupancyKind.CLOSED]}</span> '
            f"{self._when(entry)} {reason}{note}</a>"
        )

    def _bar(self, bar: Bar, row: CalendarRoom, window: Window) -> str:
        entry = bar.entry
        kind = escape(entry.kind)
        lane = f"lane-{bar.lane}"
        parts = []
        before = window.place(bar.held_start, bar.start)
        if before:
            parts.append(
                f'<span class="buffer {lane} {grid_classes(before)}" aria-hidden="true"></span>'
            )
        after = window.place(bar.end, bar.held_end)
        if after:
            parts.append(
                f'<span class="buffer {lane} {grid_classes(after)}" aria-hidden="true"></span>'
            )
        place = window.place(bar.start, bar.end) or window.place(bar.held_start, bar.held_end)
        if place is None:
            return "".join(parts)
        org = (
            f' <span class="entry-org">{escape(entry.organisation)}</span>'
            if entry.organisation
            else ""
        )
        via = ""
        if entry.room_id not in (None, row.room.pk) and entry.room_id in self.rooms:
            booked_as = self.booked_as % {"room": self.rooms[entry.room_id].name}
            via = f' <span class="entry-via">({escape(booked_as)})</span>'
        buffers = ""
        if entry.setup_minutes or entry.cleanup_minutes:
            text = self.buffer_text % {
                "setup": entry.setup_minutes,
                "cleanup": entry.cleanup_minutes,
            }
            buffers = f' <span class="visually-hidden">{escape(text)}</span>'
        parts.append(
            f'<a class="bar entry entry-{kind} {lane} {grid_classes(place)}" '
            f'href="{self.booking_base}{entry.booking_id}/">'
            f'<span class="entry-kind">{self.kinds.get(entry.kind, "")}</span> '
            f'{self._when(entry)} <span class="entry-title">{escape(entry.title)}</span>'
            f"{org}{via}{buffers}</a>"
        )
        return "".join(parts)

    def _slots(
        self, row: CalendarRoom, day: date, window: Window, entries: list[CalendarEntry]
    ) -> list[str]:
        """Links that start a staff booking in each free hour (requests may overlap, so
        only approved bookings and closures take the time away)."""
        blocking = [entry_interval(e, True) for e in entries if e.kind != OccupancyKind.REQUESTED]
        open_today = [
            (s, e)
            for s, e in self.open.get(row.room.pk, [])
            if local(s).date() <= day <= local(e).date()
        ]
        day_text = f"{day:%d.%m.%Y}"
        links = []
        for start, end in free_slots(open_today, blocking, day, self.now):
            place = window.place(start, end)
            if place is None:
                continue
            label = escape(
                self.book_text
                % {
                    "room": row.room.name,
                    "day": day_text,
                    "start": hh_mm(start),
                    "end": hh_mm(end),
                }
            )
            # A slot ending at midnight asks for 00:00: the page reads an end before the
            # start as the next day.
            query = (
                f"room={row.room.pk}&amp;day={day.isoformat()}&amp;start_time={hh_mm(start)}"
                f"&amp;end_time={hh_mm(end % DAY_MINUTES)}"
            )
            links.append(
                f'<a class="slot {grid_classes(place)}" href="{self.new_url}?{query}">'
                f'<span class="visually-hidden">{label}</span></a>'
            )
        return links


def timeline_rows(
    rows: list[CalendarRoom], entries: list[CalendarEntry], days: list[date], can_book: bool
) -> tuple[Window, list[tuple[CalendarRoom, list[SafeString]]]]:
    painter = TrackPainter(rows, days[0], days[-1], can_book)
    window = painter.window(entries, days)
    held: dict[int, list[CalendarEntry]] = {row.room.pk: [] for row in rows}
    for entry in entries:
        for row in rows_holding(rows, entry):
            held[row.room.pk].append(entry)
    return window, [
        (row, [painter.track(row, day, window, held[row.room.pk]) for day in days]) for row in rows
    ]


def axis_labels(window: Window) -> SafeString:
    """The hours over a day's track, as a track of its own."""
    labels = []
    for hour in range(window.first // 60, -(-window.last // 60)):
        place = window.place(hour * 60, hour * 60 + 60)
        if place:
            labels.append(f'<span class="axis-hour {grid_classes(place)}">{hour:02d}</span>')
    return mark_safe(  # noqa: S308 - digits only
        f'<div class="track axis cols-{window.columns}" aria-hidden="true">{"".join(labels)}</div>'
    )


@require_safe
@booking_reader_required
def week(request: StaffRequest) -> HttpResponse:
    day = _day_from(request)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    rows = calendar_rooms()
    entries = calendar_entries(days[0], days[-1])
    window, grid = timeline_rows(rows, entries, days, request.staff_can_edit)
    return render(
        request,
        "frontend/staff/calendar_week.html",
        {
            "days": days,
            "grid": grid,
            "axis": axis_labels(window),
            "window_first": hh_mm(window.first),
            "window_last": hh_mm(window.last),
            "today": timezone.localdate(),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "jump": JumpForm(initial={"date": day}),
            "week_number": monday.isocalendar().week,
        },
    )


@require_safe
@booking_reader_required
def day_view(request: StaffRequest) -> HttpResponse:
    day = _day_from(request)
    rows = calendar_rooms()
    entries = calendar_entries(day, day)
    window, grid = timeline_rows(rows, entries, [day], request.staff_can_edit)
    return render(
        request,
        "frontend/staff/calendar_day.html",
        {
            "day": day,
            "grid": grid,
            "axis": axis_labels(window),
            "window_first": hh_mm(window.first),
            "window_last": hh_mm(window.last),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "monday": day - timedelta(days=day.weekday()),
            "jump": JumpForm(initial={"date": day}),
        },
    )
