"""Builders for the staff workspace tests: requests, approved bookings, closures, and
bulk rows for query-count and benchmark sizes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bookings.models import Booking, BookingStatus, Occupancy, OccupancyKind, Room
from bookings.services import booking_request_create, booking_staff_create
from tests.factories import at, renter


def request_for(
    room: Room, day: date, start_hour: int, end_hour: int, *, title: str = "Koulutus", **who
) -> Booking:
    """A renter's request, through the public service."""
    return booking_request_create(
        room=room,
        start=at(day, start_hour),
        end=at(day, end_hour),
        title=title,
        attendees=who.pop("attendees", 5),
        renter=renter(**who),
        accept_terms=True,
    ).booking


def approved_for(
    room: Room, day: date, start_hour: int, end_hour: int, *, actor, title: str = "Kokous"
) -> Booking:
    return booking_staff_create(
        actor=actor,
        room=room,
        start=at(day, start_hour),
        end=at(day, end_hour),
        title=title,
        attendees=3,
        renter=renter(organisation="Hyväksytty ry", email="ok@example.org"),
    )


def bulk_bookings(
    rooms: list[Room], first_day: date, count: int, *, status: str = BookingStatus.APPROVED
) -> list[Booking]:
    """`count` bookings spread over the rooms and the 7 days from first_day, written
    directly (with their occupancy rows) so that sizes in the hundreds stay fast. Each
    room holds at most 7 one-hour bookings a day; they never overlap."""
    rows: list[Booking] = []
    slot = 0
    while len(rows) < count:
        for room in rooms:
            if len(rows) >= count:
                break
            day = first_day + timedelta(days=(slot // 7) % 7)
            hour = 8 + 2 * (slot % 7)
            start: datetime = at(day, hour)
            rows.append(
                Booking(
                    room=room,
                    start=start,
                    end=start + timedelta(hours=1),
                    status=status,
                    title=f"Tilaisuus {len(rows)}",
                    attendees=2,
                    organisation=f"Järjestö {len(rows) % 17} ry",
                    contact_name="Testi Henkilö",
                    email="testi@example.org",
                )
            )
        slot += 1
    Booking.objects.bulk_create(rows)
    kind = OccupancyKind.APPROVED if status == BookingStatus.APPROVED else OccupancyKind.REQUESTED
    Occupancy.objects.bulk_create(
        Occupancy(space_id=b.room_id, start=b.start, end=b.end, kind=kind, booking=b) for b in rows
    )
    return rows
