from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from bookings.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    Customer,
    MemberOrganisation,
    Occupancy,
    OccupancyKind,
    Room,
)
from bookings.schedule import HELSINKI, is_holiday
from bookings.services import booking_request_create, status_token_hash
from bookings.validators import normalise_business_id
from tests.factories import at, renter, working_day

pytestmark = pytest.mark.django_db


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def booking_snapshot() -> list[tuple]:
    return list(
        Booking.objects.order_by("pk").values_list("pk", "status", "sequence", "updated_at")
    )


# --- seed_demo -------------------------------------------------------------------------


def test_seeding_twice_creates_no_duplicates_and_changes_no_booking():
    first = run("seed_demo")
    assert "/request/" in first, "the first run prints a renter's status link"
    counts, bookings = model_counts(), booking_snapshot()

    output = run("seed_demo")

    assert model_counts() == counts
    assert booking_snapshot() == bookings
    assert "/request/" not in output, "no new request, so no new status link"
    assert counts["bookings.Room"] >= 6
    assert counts["bookings.Booking"] >= 20


def test_seed_demo_prints_the_status_link_of_a_demo_request():
    output = run("seed_demo")

    match = re.search(rf"{re.escape(settings.SITE_URL)}/request/([\w-]+)/", output)
    assert match, output
    booking = Booking.objects.get(status_token_hash=status_token_hash(match.group(1)))
    assert booking.status == BookingStatus.REQUESTED


def test_demo_has_bookings_in_every_state():
    run("seed_demo")

    statuses = set(Booking.objects.values_list("status", flat=True))

    assert statuses == set(BookingStatus.values)
    past = Booking.objects.filter(end__lt=timezone.now())
    future = Booking.objects.filter(start__gt=timezone.now())
    assert past.filter(status=BookingStatus.APPROVED).exists()
    assert future.filter(status=BookingStatus.APPROVED).exists()
    assert future.filter(status=BookingStatus.REQUESTED).exists()
    assert not past.filter(status=BookingStatus.REQUESTED).exists(), "past requests expire"


def test_demo_hall_combines_two_halves_and_is_booked_as_such():
    run("seed_demo")

    hall = Room.objects.get(slug="juhlasali")

    assert {part.name_fi for part in hall.parts.all()} == {"Juhlasali itä", "Juhlasali länsi"}
    assert hall.bookings.filter(status=BookingStatus.APPROVED).exists()
    assert Room.objects.filter(is_public=False).exists()
    assert all(room.name_sv and room.name_en and room.description_en for room in Room.objects.all())


def test_demo_has_an_approved_and_a_requested_weekly_series():
    run("seed_demo")

    states = set()
    for series in BookingSeries.objects.all():
        occurrences = list(series.bookings.order_by("start"))
        assert len(occurrences) > 3
        assert "FREQ=WEEKLY" in series.rrule
        # Weekly on the house's clock: the same weekday and wall-clock time, across a
        # daylight-saving change too (then the UTC gap is a week plus or minus an hour).
        local_starts = [booking.start.astimezone(HELSINKI) for booking in occurrences]
        assert len({(start.weekday(), start.time()) for start in local_starts}) == 1
        gaps = {
            later.date() - earlier.date() for earlier, later in itertools.pairwise(local_starts)
        }
        assert all(gap.days % 7 == 0 for gap in gaps), "weekly: whole weeks apart"
        states |= {booking.status for booking in occurrences}

    assert {BookingStatus.APPROVED, BookingStatus.REQUESTED} <= states


def test_demo_has_a_whole_house_closure_and_a_room_closure():
    run("seed_demo")

    closures = Closure.objects.all()

    assert closures.filter(whole_house=True).exists()
    assert closures.filter(whole_house=False, rooms__isnull=False).exists()
    whole_house = closures.get(whole_house=True)
    rooms_without_parts = Room.objects.filter(parts__isnull=True).count()
    assert whole_house.occupancies.count() == rooms_without_parts


def physical_spaces(room: Room) -> set[int]:
    """Leaf rooms under a room, read from Room.parts directly (not the conflict engine)."""
    parts = list(room.parts.all())
    if not parts:
        return {room.pk}
    return set().union(*(physical_spaces(part) for part in parts))


def expected_blocking_rows() -> set[tuple[int, datetime, datetime]]:
    rows = set()
    for booking in Booking.objects.filter(status=BookingStatus.APPROVED):
        start = booking.start - timedelta(minutes=booking.setup_buffer_minutes)
        end = booking.end + timedelta(minutes=booking.cleanup_buffer_minutes)
        rows |= {(space, start, end) for space in physical_spaces(booking.room)}
    for closure in Closure.objects.filter(removed_at__isnull=True):
        rooms = Room.objects.all() if closure.whole_house else closure.rooms.all()
        for room in rooms:
            rows |= {(space, closure.start, closure.end) for space in physical_spaces(room)}
    return rows


def test_demo_blocking_entries_hold_every_physical_space_and_never_overlap():
    run("seed_demo")

    blocking = Occupancy.objects.filter(kind__in=[OccupancyKind.APPROVED, OccupancyKind.CLOSED])
    rows = sorted(blocking.values_list("space_id", "start", "end"))

    assert set(rows) == expected_blocking_rows()
    assert len(rows) == len(set(rows)), "one row per entry and space"
    for (space, _start, end), (next_space, next_start, _end) in itertools.pairwise(rows):
        if space == next_space:
            assert end <= next_start, f"two blocking entries overlap on room {space}"


def test_demo_data_is_fictional_and_valid():
    run("seed_demo")

    emails = list(Customer.objects.values_list("email", flat=True))
    emails += list(Booking.objects.exclude(email="").values_list("email", flat=True))
    assert emails
    assert all(email.endswith(("@example.org", "@example.com")) for email in emails)
    members = list(MemberOrganisation.objects.all())
    assert len(members) >= 10
    for member in members:
        assert "(demo)" in member.name
        assert normalise_business_id(member.business_id) == member.business_id


# --- demo_login ------------------------------------------------------------------------


def printed_password(output: str, username: str) -> str:
    match = re.search(rf"^\s*{re.escape(username)} / (\S+)", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_demo_login_prints_working_logins_for_both_roles():
    output = run("demo_login")

    assert f"{settings.SITE_URL}/staff/" in output
    assert f"{settings.SITE_URL}/admin/" in output
    staff = authenticate(username="demo-staff", password=printed_password(output, "demo-staff"))
    accounting = authenticate(
        username="demo-accounting", password=printed_password(output, "demo-accounting")
    )
    assert staff is not None and staff.is_staff and not staff.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == ["Booking staff"]
    assert accounting is not None and accounting.is_staff
    assert list(accounting.groups.values_list("name", flat=True)) == ["Accounting"]


def test_demo_login_gives_a_new_password_every_run(client):
    first = printed_password(run("demo_login"), "demo-staff")
    second = printed_password(run("demo_login"), "demo-staff")

    assert first != second
    assert len(second) >= 12
    assert authenticate(username="demo-staff", password=first) is None
    assert client.login(username="demo-staff", password=second)


def test_seed_demo_staff_user_cannot_log_in_until_demo_login_runs():
    run("seed_demo")

    assert authenticate(username="demo-staff", password="") is None
    user = apps.get_model(settings.AUTH_USER_MODEL).objects.get(username="demo-staff")
    assert not user.has_usable_password()


# --- expire_requests ---------------------------------------------------------------------


def test_expire_requests_expires_a_past_request_and_keeps_a_future_one(room):
    past_day = timezone.localdate() - timedelta(days=3)
    while is_holiday(past_day):  # holidays close the house
        past_day -= timedelta(days=1)
    past_start = at(past_day, 10)
    past = booking_request_create(
        room=room, start=past_start, end=at(past_day, 12), title="Kerho", attendees=5,
        renter=renter(), accept_terms=True, now=past_start - timedelta(days=7),
    ).booking  # fmt: skip
    future_day = working_day()
    future = booking_request_create(
        room=room, start=at(future_day, 10), end=at(future_day, 12), title="Kerho",
        attendees=5, renter=renter(), accept_terms=True,
    ).booking  # fmt: skip

    output = run("expire_requests")

    assert re.search(r"\b1\b", output), output
    past.refresh_from_db()
    future.refresh_from_db()
    assert past.status == BookingStatus.EXPIRED
    assert future.status == BookingStatus.REQUESTED
    assert not Occupancy.objects.filter(booking=past).exists(), "an expired request holds no time"
    assert re.search(r"\b0\b", run("expire_requests"))
