"""Staff approving competing requests at the same instant (SPEC §2.4).

Real threads, each with its own database connection, against the configured database
(the suite runs on SQLite and on PostgreSQL). Exactly one request per clash may win.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction

from bookings.errors import BookingConflict
from bookings.models import Booking, BookingStatus, ClosureReason, Occupancy
from bookings.services import booking_approve, booking_request_create, closure_create
from tests import threads
from tests.factories import at, make_room, renter, working_day

WAIT_SECONDS = 30

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def run_at_once(jobs: list) -> list[str]:
    """Racing booking writers: each wins or is told of the conflict."""
    return threads.run_at_once(jobs, refusal=BookingConflict, done="won", refused="conflict")


def competing_requests(room, day, groups: int, per_group: int) -> list[list[Booking]]:
    """Groups of requests that overlap within a group and not across groups."""
    result = []
    for group in range(groups):
        base = at(day, 8) + timedelta(hours=3 * group)
        result.append(
            [
                booking_request_create(
                    room=room,
                    start=base + timedelta(minutes=30 * (member % 2)),
                    end=base + timedelta(hours=2),
                    title=f"group {group} #{member}",
                    attendees=5,
                    renter=renter(),
                    accept_terms=True,
                ).booking
                for member in range(per_group)
            ]
        )
    return result


def test_sixteen_staff_approving_overlapping_requests_leave_exactly_one_winner(hours):
    room = make_room(capacity=10)
    (requests,) = competing_requests(room, working_day(), groups=1, per_group=THREADS)

    outcomes = run_at_once(
        [
            lambda booking=booking: booking_approve(booking=booking, actor=None)
            for booking in requests
        ]
    )

    assert Counter(outcomes) == {"won": 1, "conflict": THREADS - 1}, outcomes
    approved = Booking.objects.filter(status=BookingStatus.APPROVED)
    assert approved.count() == 1
    assert Booking.objects.filter(status=BookingStatus.REQUESTED).count() == THREADS - 1
    assert set(Occupancy.objects.filter(kind="approved").values_list("booking_id", flat=True)) == {
        approved.get().pk
    }


def test_one_winner_per_clash_when_threads_race_on_several_clashes(hours):
    room = make_room(capacity=10)
    groups = competing_requests(room, working_day(), groups=4, per_group=THREADS // 4)
    everyone = [booking for group in groups for booking in group]

    outcomes = run_at_once(
        [
            lambda booking=booking: booking_approve(booking=booking, actor=None)
            for booking in everyone
        ]
    )

    assert Counter(outcomes) == {"won": 4, "conflict": THREADS - 4}, outcomes
    for group in groups:
        statuses = Counter(
            Booking.objects.filter(pk__in=[b.pk for b in group]).values_list("status", flat=True)
        )
        assert statuses == {"approved": 1, "requested": len(group) - 1}


def test_a_combined_room_and_its_part_race_and_only_one_wins(hall):
    whole, east, _west = hall
    day = working_day()
    jobs = []
    for index in range(THREADS):
        room = whole if index % 2 else east
        booking = booking_request_create(
            room=room,
            start=at(day, 10),
            end=at(day, 12),
            title=f"#{index}",
            attendees=5,
            renter=renter(),
            accept_terms=True,
        ).booking
        jobs.append(lambda booking=booking: booking_approve(booking=booking, actor=None))

    outcomes = run_at_once(jobs)

    assert Counter(outcomes) == {"won": 1, "conflict": THREADS - 1}, outcomes


def test_closure_and_approvals_racing_on_one_room_leave_one_winner(hours):
    room = make_room(capacity=10)
    (requests,) = competing_requests(room, working_day(), groups=1, per_group=THREADS - 1)
    jobs = [
        lambda booking=booking: booking_approve(booking=booking, actor=None) for booking in requests
    ]
    first = requests[0]
    jobs.append(
        lambda: closure_create(
            actor=None,
            start=first.start,
            end=first.end,
            reason=ClosureReason.CLEANING,
            rooms=[room],
        )
    )

    outcomes = run_at_once(jobs)

    assert Counter(outcomes) == {"won": 1, "conflict": THREADS - 1}, outcomes


def request_on(room, day, start: int, end: int) -> Booking:
    return booking_request_create(
        room=room,
        start=at(day, start),
        end=at(day, end),
        title=f"{start}-{end}",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    ).booking


def wait_until_a_connection_waits_on_a_lock() -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the approval never waited for the other transaction")


@pytest.mark.postgresql
def test_an_approval_racing_a_row_written_behind_the_services_is_refused_not_an_error(hours):
    """The exclusion constraint refuses the approval's row after the check passed: the
    refusal is a conflict, and the request stays as it was."""
    room = make_room(capacity=10)
    day = working_day()
    contender, other = request_on(room, day, 10, 12), request_on(room, day, 14, 15)
    written, release = threading.Event(), threading.Event()

    def behind_the_services() -> None:
        try:
            with transaction.atomic():
                Occupancy.objects.create(
                    space=room, start=at(day, 11), end=at(day, 13), kind="approved", booking=other
                )
                written.set()
                release.wait(WAIT_SECONDS)
        finally:
            connection.close()

    writer = threading.Thread(target=behind_the_services)
    writer.start()
    assert written.wait(WAIT_SECONDS)
    outcomes = []
    approver = threading.Thread(
        target=lambda: outcomes.extend(
            run_at_once([lambda: booking_approve(booking=contender, actor=None)])
        )
    )
    approver.start()
    try:
        wait_until_a_connection_waits_on_a_lock()
    finally:
        release.set()
        writer.join(WAIT_SECONDS)
        approver.join(WAIT_SECONDS)

    assert outcomes == ["conflict"]
    contender.refresh_from_db()
    assert contender.status == BookingStatus.REQUESTED
    assert set(Occupancy.objects.filter(booking=contender).values_list("kind", flat=True)) == {
        "requested"
    }
