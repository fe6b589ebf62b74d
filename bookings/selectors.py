"""Reads that need thought: opening intervals, availability, conflicts, queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from bookings.conflicts import overlapping, room_graph, spaces_of
from bookings.models import (
    Customer,
    HolidayOpening,
    MemberOrganisation,
    Occupancy,
    OccupancyKind,
    OpeningHours,
    Room,
)
from bookings.schedule import (
    HELSINKI,
    Interval,
    local,
    opening_intervals,
    subtract,
    weekly_hours,
)

MAX_AVAILABILITY_DAYS = 92


@dataclass(frozen=True)
class Busy:
    start: datetime
    end: datetime
    status: str  # approved, requested or closed


@dataclass(frozen=True)
class Availability:
    room: Room
    first_day: date
    last_day: date
    open: list[Interval]
    busy: list[Busy]


def room_open_intervals(room: Room, first_day: date, last_day: date) -> list[Interval]:
    """Opening hours of the room on those days, holidays removed unless opened (2 queries)."""
    rows = OpeningHours.objects.filter(Q(room=room) | Q(room__isnull=True))
    opened = set(
        HolidayOpening.objects.filter(room=room, date__range=(first_day, last_day)).values_list(
            "date", flat=True
        )
    )
    return opening_intervals(weekly_hours(room.pk, rows), first_day, last_day, opened)


def day_bounds(first_day: date, last_day: date) -> Interval:
    return (
        datetime.combine(first_day, time.min, tzinfo=HELSINKI),
        datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=HELSINKI),
    )


def room_availability(*, room: Room, first_day: date, last_day: date) -> Availability:
    """Open and busy intervals of a room over whole local days, parts and combinations
    included, buffers counted (SPEC §3.4). No personal data. Four queries."""
    start, end = day_bounds(first_day, last_day)
    spaces = spaces_of(room.pk, room_graph())
    rows = (
        Occupancy.objects.filter(overlapping(spaces, start, end))
        .order_by("start", "pk")
        .values_list("start", "end", "kind", "booking_id", "closure_id")
    )
    busy: list[Busy] = []
    closed: list[Interval] = []
    seen: set[tuple[int | None, int | None]] = set()
    for row_start, row_end, kind, booking_id, closure_id in rows:
        if (booking_id, closure_id) in seen:
            continue  # a combined room's entry has one row per part
        seen.add((booking_id, closure_id))
        busy.append(Busy(start=row_start, end=row_end, status=kind))
        if kind == OccupancyKind.CLOSED:
            closed.append((local(row_start), local(row_end)))
    open_intervals = subtract(room_open_intervals(room, first_day, last_day), closed)
    return Availability(
        room=room, first_day=first_day, last_day=last_day, open=open_intervals, busy=busy
    )


def customer_is_member(customer: Customer | None) -> bool:
    """Members are matched by business ID against the list staff keep (SPEC §2.6)."""
    if customer is None or not customer.business_id:
        return False
    return MemberOrganisation.objects.filter(business_id=customer.business_id).exists()
