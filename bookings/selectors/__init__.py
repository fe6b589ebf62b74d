"""Reads that need thought: opening intervals, availability, conflicts, queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bookings.conflicts import overlapping
from bookings.models import (
    Booking,
    BookingStatus,
    Customer,
    HolidayOpening,
    MemberOrganisation,
    Occupancy,
    OccupancyKind,
    OpeningHours,
    Room,
)
from bookings.schedule import (
    Interval,
    local,
    opening_intervals,
    subtract,
    weekly_hours,
    within_one,
)
from bookings.selectors.calendar import CalendarEntry as CalendarEntry
from bookings.selectors.calendar import calendar_entries as calendar_entries
from bookings.selectors.calendar import day_bounds
from bookings.spaces import room_graph, spaces_of

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


def public_rooms() -> QuerySet[Room]:
    """The rooms renters see and may request: in use and public (SPEC §3.3)."""
    return Room.objects.filter(is_active=True, is_public=True)


def room_open_intervals(room: Room, first_day: date, last_day: date) -> list[Interval]:
    """Opening hours of the room on those days, holidays removed unless opened (2 queries)."""
    rows = OpeningHours.objects.filter(Q(room=room) | Q(room__isnull=True))
    opened = set(
        HolidayOpening.objects.filter(room=room, date__range=(first_day, last_day)).values_list(
            "date", flat=True
        )
    )
    return opening_intervals(weekly_hours(room.pk, rows), first_day, last_day, opened)


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


# --- Staff workspace: the request queue and the calendar --------------------------------


@dataclass(frozen=True)
class QueueBadges:
    """What staff must notice about a booking before deciding it (issue: staff queue)."""

    clashes: bool = False  # overlaps an approved booking or a closure
    competing: int = 0  # other requests on the same space and time
    outside_hours: bool = False
    over_capacity: bool = False
    member: bool = False


def _overlap_index(booking_ids: list[int]) -> tuple[dict[int, bool], dict[int, set[int]]]:
    """For each booking: whether a blocking entry overlaps it, and which requests compete.

    Two queries whatever the number of bookings: the bookings' own occupancy rows, then
    every row that overlaps one of them on the same space (found by the database).
    """
    own = list(
        Occupancy.objects.filter(booking_id__in=booking_ids).values_list(
            "booking_id", "space_id", "start", "end"
        )
    )
    near = Occupancy.objects.filter(
        Exists(
            Occupancy.objects.filter(
                booking_id__in=booking_ids,
                space_id=OuterRef("space_id"),
                start__lt=OuterRef("end"),
                end__gt=OuterRef("start"),
            )
        )
    ).values_list("space_id", "start", "end", "kind", "booking_id")
    by_space: dict[int, list[tuple]] = {}
    for row in near:
        by_space.setdefault(row[0], []).append(row)
    clashing: dict[int, bool] = {}
    competing: dict[int, set[int]] = {}
    for booking_id, space_id, start, end in own:
        for _space, other_start, other_end, kind, other_id in by_space.get(space_id, ()):
            if other_id == booking_id or not (other_start < end and start < other_end):
                continue
            if kind == OccupancyKind.REQUESTED:
                competing.setdefault(booking_id, set()).add(other_id)
            else:
                clashing[booking_id] = True
    return clashing, competing


def _outside_hours(bookings: list[Booking]) -> set[int]:
    """Bookings not within one opening range of their room: two queries for all rooms."""
    if not bookings:
        return set()
    first = min(local(booking.start).date() for booking in bookings)
    last = max(local(booking.end).date() for booking in bookings)
    rows = list(OpeningHours.objects.all())
    opened: dict[int, set[date]] = {}
    for room_id, day in HolidayOpening.objects.filter(date__range=(first, last)).values_list(
        "room_id", "date"
    ):
        opened.setdefault(room_id, set()).add(day)
    outside = set()
    for booking in bookings:
        hours = weekly_hours(booking.room_id, rows)
        intervals = opening_intervals(
            hours,
            local(booking.start).date(),
            local(booking.end).date(),
            opened.get(booking.room_id, set()),
        )
        if not within_one(intervals, booking.start, booking.end):
            outside.add(booking.pk)
    return outside


def _member_business_ids(bookings: list[Booking]) -> set[str]:
    wanted = {b.customer.business_id for b in bookings if b.customer and b.customer.business_id}
    if not wanted:
        return set()
    return set(
        MemberOrganisation.objects.filter(business_id__in=wanted).values_list(
            "business_id", flat=True
        )
    )


def queue_badges(bookings: list[Booking]) -> dict[int, QueueBadges]:
    """Badges for a page of bookings (loaded with their room and customer) in five queries
    however long the page: the same rules as `customer_is_member` and the conflict engine,
    read in bulk."""
    if not bookings:
        return {}
    clashing, competing = _overlap_index([booking.pk for booking in bookings])
    outside = _outside_hours(bookings)
    members = _member_business_ids(bookings)
    return {
        booking.pk: QueueBadges(
            clashes=clashing.get(booking.pk, False),
            competing=len(competing.get(booking.pk, ())),
            outside_hours=booking.pk in outside,
            over_capacity=booking.attendees > booking.room.capacity,
            member=bool(booking.customer and booking.customer.business_id in members),
        )
        for booking in bookings
    }


RENTER_CANCELLATIONS_DAYS = 14


def renter_cancellations(*, now: datetime | None = None) -> QuerySet[Booking]:
    """Approved bookings their renters cancelled in the last two weeks, newest first:
    the queue tells staff of each (SPEC §2.13), with its fee."""
    since = (now or timezone.now()) - timedelta(days=RENTER_CANCELLATIONS_DAYS)
    return (
        Booking.objects.filter(status=BookingStatus.CANCELLED, cancelled_by_renter_at__gte=since)
        .select_related("room")
        .order_by("-cancelled_by_renter_at", "pk")
    )


def booking_queue(
    *,
    status: str = "requested",
    room_id: int | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    search: str = "",
) -> QuerySet[Booking]:
    """Bookings for the staff queue, by start: requests unless another state is asked
    ("" for every state); the day range is in Helsinki time, both days included."""
    rows = Booking.objects.select_related("room", "customer").order_by("start", "pk")
    if status:
        rows = rows.filter(status=status)
    if room_id is not None:
        rows = rows.filter(room_id=room_id)
    if first_day is not None:
        rows = rows.filter(end__gt=day_bounds(first_day, first_day)[0])
    if last_day is not None:
        rows = rows.filter(start__lt=day_bounds(last_day, last_day)[1])
    if search.strip():
        term = search.strip()
        rows = rows.filter(
            Q(organisation__icontains=term)
            | Q(contact_name__icontains=term)
            | Q(email__icontains=term)
            | Q(title__icontains=term)
        )
    return rows


QueueKey = tuple[str, int]  # ("series", series id) or ("booking", booking id)


def queue_keys(rows: QuerySet[Booking]) -> list[QueueKey]:
    """The queue's rows as keys, by first start: every matching date of a series is one
    row, a single booking another. One light query over the whole filtered queue, so a
    page of rows can be cut before any booking is loaded."""
    keys: dict[QueueKey, None] = {}
    for pk, series_id in rows.values_list("pk", "series_id"):
        keys.setdefault(("series", series_id) if series_id else ("booking", pk), None)
    return list(keys)


def queue_page_bookings(rows: QuerySet[Booking], keys: list[QueueKey]) -> dict[QueueKey, list]:
    """The matching bookings of these queue rows, each row's dates by start (one query)."""
    series_ids = [pk for kind, pk in keys if kind == "series"]
    booking_ids = [pk for kind, pk in keys if kind == "booking"]
    found: dict[QueueKey, list[Booking]] = {key: [] for key in keys}
    page = rows.filter(Q(series_id__in=series_ids) | Q(pk__in=booking_ids)).select_related("series")
    for booking in page:
        key: QueueKey = (
            ("series", booking.series_id) if booking.series_id else ("booking", booking.pk)
        )
        if key in found:
            found[key].append(booking)
    return found


def competing_requests(booking: Booking) -> list[Booking]:
    """Other active requests sharing a space and time with this booking: the ones that
    approving it would make impossible. Three queries."""
    _clashing, competing = _overlap_index([booking.pk])
    ids = competing.get(booking.pk, set())
    rows = Booking.objects.filter(pk__in=ids, status=BookingStatus.REQUESTED)
    return list(rows.select_related("room").order_by("start", "pk"))


def next_free_slot(
    *, room: Room, start: datetime, end: datetime, now: datetime | None = None
) -> Interval | None:
    """The first time of the same length on the same local day, later than `start` on the
    room's slot grid, that lies in opening hours and whose span with this room's buffers
    meets no approved booking or closure (requests may overlap each other, SPEC §2.4).
    Earlier times of the day are tried when no later one fits; None when the day is full."""
    from django.utils import timezone

    from bookings.models import HouseRules
    from bookings.schedule import rules_for, within_one

    rules = rules_for(room, HouseRules.load())
    earliest = (now or timezone.now()) + rules.min_notice
    day = local(start).date()
    availability = room_availability(room=room, first_day=day, last_day=day)
    blocking = [b for b in availability.busy if b.status != OccupancyKind.REQUESTED]
    length = end - start

    def fits(candidate: datetime) -> bool:
        held = (candidate - rules.setup_buffer, candidate + length + rules.cleanup_buffer)
        return (
            candidate >= earliest
            and within_one(availability.open, candidate, candidate + length)
            and not any(b.start < held[1] and held[0] < b.end for b in blocking)
        )

    day_start, day_end = day_bounds(day, day)
    candidates = []
    moment = day_start
    while moment + length <= day_end:
        candidates.append(moment)
        moment += rules.slot
    later = [moment for moment in candidates if moment > start]
    earlier = [moment for moment in reversed(candidates) if moment < start]
    for candidate in later + earlier:
        if fits(candidate):
            return candidate, candidate + length
    return None
