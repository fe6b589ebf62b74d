"""Staff approving competing requests at once through a real server (SPEC §2.4).

Sixteen approvers send their approvals together to gunicorn with 4 workers of 4 threads
on PostgreSQL, where the exclusion constraint holds the guarantee across processes. Every
answer must be a 200 or a 409 naming the winner, never a server error, and each physical
space must end each round held by exactly one approved booking.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from bookings.models import Booking, BookingStatus, Occupancy, Room
from bookings.services import booking_request_create
from tests.clock import pinned_moment
from tests.factories import at, make_room, renter, working_days

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WORKERS = 4
THREADS = 4
APPROVERS = WORKERS * THREADS
ROUNDS = 12
PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    port: int
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}:{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def wait_ready(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return
        except (ConnectionError, http.client.HTTPException, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.2)


@contextmanager
def gunicorn(log: Path) -> Iterator[Server]:
    """gunicorn on a free loopback port against the test database, production settings
    (DEBUG off, persistent connections, e-mails left to the worker) on the tests' clock."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.pinned_server_settings",
        "HEIDEKEN_SERVER_NOW": pinned_moment().isoformat(),
        "DEBUG": "false",
        "CONN_MAX_AGE": "60",
        "EMAIL_DELIVERY": "worker",
    }
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
            [
                sys.executable, "-m", "gunicorn", "heideken.wsgi",
                "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                "--worker-class", "gthread", "--threads", str(THREADS),
                "--log-level", "warning",
            ],
            cwd=PROJECT, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_ready(port)
        yield Server(port=port, log=log)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def server(django_db_setup) -> Iterator[Server]:
    # One server for the module: starting four workers costs seconds on a busy machine.
    with tempfile.TemporaryDirectory() as folder, gunicorn(Path(folder) / "server.log") as s:
        yield s


@pytest.fixture
def staff_token(staff_user) -> str:
    return Token.objects.create(user=staff_user).key


@pytest.fixture(autouse=True)
def _emails_left_to_the_worker(settings):
    # The requests each round needs only store their e-mails, as in production: writing
    # and sending them in this process would take most of the test's time.
    settings.EMAIL_DELIVERY = "worker"


def approve_at_once(server: Server, token: str, bookings: list[Booking]) -> dict[int, Any]:
    """Each booking approved by its own client, all released together; booking id →
    (status, body)."""
    barrier = threading.Barrier(len(bookings))

    def approve(booking: Booking) -> tuple[int, tuple[int, dict]]:
        client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        barrier.wait()
        client.request(
            "POST",
            f"/api/v1/bookings/{booking.pk}/approve/",
            body="{}",
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept-Language": "en",
            },
        )
        response = client.getresponse()
        content = response.read()
        client.close()
        try:
            body = json.loads(content)
        except ValueError:
            body = {"raw": content[:300].decode(errors="replace")}
        return booking.pk, (response.status, body)

    with ThreadPoolExecutor(len(bookings)) as pool:
        return dict(pool.map(approve, bookings))


def requests_on(rooms: list[Room], day: date, *, stagger: bool) -> list[Booking]:
    """APPROVERS requests on the rooms in turn, all overlapping one another."""
    start = at(day, 10)
    return [
        booking_request_create(
            room=rooms[index % len(rooms)],
            start=start + timedelta(minutes=30 * (index % 2) if stagger else 0),
            end=start + timedelta(hours=2),
            title=f"Race #{index}",
            attendees=5,
            renter=renter(),
            accept_terms=True,
        ).booking
        for index in range(APPROVERS)
    ]


def assert_only_200_and_409(answers: dict[int, Any], server: Server) -> set[int]:
    """The winners' ids; every loser was told of the conflict with a winner."""
    statuses = Counter(status for status, _body in answers.values())
    assert set(statuses) <= {200, 409}, (statuses, answers, server.log_tail())
    winners = {pk for pk, (status, _body) in answers.items() if status == 200}
    for pk, (status, body) in answers.items():
        if status == 409:
            named = {clash["booking_id"] for clash in body["clashes"]}
            assert body["code"] == "conflict", (pk, body)
            assert named and named <= winners, (pk, body, winners)
    return winners


def held_spaces(bookings: list[Booking]) -> Counter[int]:
    """How many approved bookings among these hold each physical space."""
    return Counter(
        Occupancy.objects.filter(
            booking__in=bookings, booking__status=BookingStatus.APPROVED
        ).values_list("space_id", flat=True)
    )


def test_sixteen_approvers_on_one_slot_through_the_server_leave_one_winner(
    server, staff_token, hours
):
    room = make_room(capacity=10)

    for day in working_days(ROUNDS):
        contenders = requests_on([room], day, stagger=True)

        winners = assert_only_200_and_409(approve_at_once(server, staff_token, contenders), server)

        assert len(winners) == 1
        assert held_spaces(contenders) == {room.pk: 1}
        approved = Booking.objects.filter(pk__in=[b.pk for b in contenders], status="approved")
        assert set(approved.values_list("pk", flat=True)) == winners


def test_a_combined_room_against_its_parts_through_the_server_leaves_one_winner_per_space(
    server, staff_token, hall
):
    whole, east, west = hall

    for day in working_days(ROUNDS):
        contenders = requests_on([whole, east, whole, west], day, stagger=False)

        winners = assert_only_200_and_409(approve_at_once(server, staff_token, contenders), server)

        # Either the whole hall won, or one booking of each half did.
        assert held_spaces(contenders) == {east.pk: 1, west.pk: 1}
        approved = Booking.objects.filter(pk__in=[b.pk for b in contenders], status="approved")
        assert set(approved.values_list("pk", flat=True)) == winners
