"""API figures: availability and booking requests through the full Django stack.

Availability answers are remembered per schedule stamp (bookings/availability.py); the
table also shows the first read after a change, when the answer is computed.

Run with `python -m tests.perf.bench_api` (SQLite by default, PostgreSQL when
DATABASE_URL=postgres://...). Each figure is compared with a trivial DRF view measured
in the same run the same way. Targets: availability <= 3x and a booking request <= 5x
the trivial view. Two ways through the stack, both on the same throwaway database:

- Django's test client in this process: every middleware and view, no HTTP;
- a gunicorn server process configured as the README advises for production (DEBUG off,
  CONN_MAX_AGE=60, EMAIL_DELIVERY=worker), called over one keep-alive HTTP connection:
  what a client of the API sees, the HTTP server included.

A booking request stores its e-mails with the booking (frontend/outbox.py); the request
is measured as production runs it, with EMAIL_DELIVERY=worker (a separate process writes
and sends them), and, for scale, with EMAIL_DELIVERY=commit, where the request's own
process writes and sends them right after the commit (to Django's in-memory outbox here;
a real mail server adds its round trips).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import time as clock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta
from urllib.parse import quote

from tests.perf import harness

harness.setup("api")

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from bookings.api.views import PublicWriteThrottle  # noqa: E402
from bookings.memo import memos_clear  # noqa: E402
from bookings.models import OpeningHours, Room  # noqa: E402
from bookings.schedule import is_holiday  # noqa: E402
from bookings.services import booking_staff_create  # noqa: E402
from tests.factories import at  # noqa: E402

ROOMS = 20
GET_RUNS = 200
POST_RUNS = 40
SERVER_GET_RUNS = 300
SERVER_POST_RUNS = 60
AVAILABILITY_MAX = 3.0
REQUEST_MAX = 5.0
FINDER_MAX = 3.0
FINDER_RUNS = 100


def open_days(first: date) -> Iterator[date]:
    day = first
    while True:
        if not is_holiday(day):
            yield day
        day += timedelta(days=1)


def house_create() -> list[Room]:
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=time(7), closes=time(22)) for day in range(7)
    )
    return [
        Room.objects.create(slug=f"bench-{n}", name_fi=f"Huone {n}", capacity=30)
        for n in range(ROOMS)
    ]


def busy_month(room: Room, first: date) -> None:
    """Two approved bookings a day for the measured month, so availability has work."""
    days = open_days(first)
    for _ in range(31):
        day = next(days)
        for hour in (8, 13):
            booking_staff_create(
                actor=None, room=room, start=at(day, hour), end=at(day, hour + 2),
                title="Bench", attendees=5,
            )  # fmt: skip


def request_bodies(rooms: list[Room], first: date) -> Iterator[str]:
    """An endless supply of requests for free slots, each on its own room and hour."""
    for day in open_days(first):
        for room in rooms[1:]:
            for hour in (8, 11, 14, 17):
                yield json.dumps(
                    {
                        "room": room.slug,
                        "start": f"{day}T{hour:02d}:00:00",
                        "end": f"{day}T{hour + 2:02d}:00:00",
                        "title": "Bench",
                        "attendees": 5,
                        "organisation": "Bench ry",
                        "contact_name": "Bench Person",
                        "email": "bench@example.org",
                        "accept_terms": True,
                    }
                )


def expect(response, status: int):
    if response.status_code != status:
        raise SystemExit(f"unexpected {response.status_code}: {response.content[:300]!r}")
    return response


def target_rows(
    trivial_get: harness.Figure,
    availability: harness.Figure,
    trivial_post: harness.Figure,
    request: harness.Figure,
) -> tuple[list[tuple], list[tuple]]:
    """The GET rows and the POST rows of a table, with the targets judged."""
    availability_ratio = availability.median_ms / trivial_get.median_ms
    request_ratio = request.median_ms / trivial_post.median_ms
    return (
        [
            ("trivial DRF view, GET (baseline)", trivial_get, "1.00", ""),
            (
                "GET availability, 1 room x 31 days",
                availability,
                f"{availability_ratio:.2f}",
                f"{harness.mark(availability_ratio <= AVAILABILITY_MAX)} <= {AVAILABILITY_MAX:g}x",
            ),
        ],
        [
            ("trivial DRF view, POST (baseline)", trivial_post, "1.00", ""),
            (
                "POST booking-requests/ (worker delivery)",
                request,
                f"{request_ratio:.2f}",
                f"{harness.mark(request_ratio <= REQUEST_MAX)} <= {REQUEST_MAX:g}x",
            ),
        ],
    )


def client_run(rooms: list[Room], first: date, bodies: Iterator[str]) -> None:
    """Through Django's test client, in this process."""
    client = Client()
    last = first + timedelta(days=30)
    availability_url = f"/api/v1/rooms/{rooms[0].slug}/availability/?start={first}&end={last}"

    def post_request() -> None:
        expect(
            client.post("/api/v1/booking-requests/", next(bodies), content_type="application/json"),
            201,
        )

    trivial_get = harness.measure(lambda: expect(client.get("/bench/trivial/"), 200), GET_RUNS)
    availability = harness.measure(lambda: expect(client.get(availability_url), 200), GET_RUNS)

    def availability_after_change() -> None:
        memos_clear()  # as after any write: the answer is computed again
        expect(client.get(availability_url), 200)

    availability_cold = harness.measure(availability_after_change, GET_RUNS)
    trivial_post = harness.measure(
        lambda: expect(client.post("/bench/trivial/", "{}", content_type="application/json"), 201),
        GET_RUNS,
    )
    with override_settings(EMAIL_DELIVERY="worker"):
        request = harness.measure(post_request, POST_RUNS)
    with override_settings(EMAIL_DELIVERY="commit"):
        request_commit = harness.measure(post_request, POST_RUNS)
    gets, posts = target_rows(trivial_get, availability, trivial_post, request)
    cold_ratio = availability_cold.median_ms / trivial_get.median_ms
    commit_ratio = request_commit.median_ms / trivial_post.median_ms
    harness.table_print(
        "API benchmark (Django test client, full middleware stack)",
        [
            *gets,
            ("  the first read after a change", availability_cold, f"{cold_ratio:.2f}",
             "(computed, then remembered)"),
            *posts,
            ("  e-mails written and sent in the request", request_commit, f"{commit_ratio:.2f}",
             "(EMAIL_DELIVERY=commit)"),
        ],
    )  # fmt: skip


# --- The room finder -----------------------------------------------------------------------


def finder_house(rooms: list[Room], day: date) -> None:
    """Half the rooms approved 13–15 on the measured day (the first one by busy_month), so
    the finder looks for their next free time; and the last five larger, so a search for
    35 people finds five."""
    for room in rooms[1 : ROOMS // 2]:
        booking_staff_create(
            actor=None, room=room, start=at(day, 13), end=at(day, 15), title="Bench", attendees=5
        )
    Room.objects.filter(pk__in=[room.pk for room in rooms[-5:]]).update(capacity=40)


def finder_run(rooms: list[Room], day: date) -> None:
    """The finder's answer for 20 rooms and one afternoon against one room's availability
    of that day, both through the test client; and the finder's queries at 5 and 20 rooms."""
    finder_house(rooms, day)
    client = Client()
    availability_url = f"/api/v1/rooms/{rooms[1].slug}/availability/?start={day}&end={day}"
    finder_url = f"/api/v1/rooms/?free_start={day}T13:00&free_end={day}T17:00"

    def finder(url: str) -> Callable[[], object]:
        def ask() -> None:
            body = expect(client.get(url), 200).json()
            if body["count"] != (ROOMS // 2 if "attendees" not in url else 5):
                raise SystemExit(f"unexpected finder answer: {body['count']} rooms")

        return ask

    def availability_computed() -> None:
        memos_clear()  # the answer computed from the database, as the finder's always is
        expect(client.get(availability_url), 200)

    served = harness.measure(lambda: expect(client.get(availability_url), 200), FINDER_RUNS)
    listed = harness.measure(lambda: expect(client.get("/api/v1/rooms/"), 200), FINDER_RUNS)
    computed = harness.measure(availability_computed, FINDER_RUNS)
    found = harness.measure(finder(finder_url), FINDER_RUNS)
    five = harness.queries_of(finder(f"{finder_url}&attendees=35"))
    ratio = found.median_ms / computed.median_ms
    served_ratio = found.median_ms / served.median_ms
    fixed = found.queries == five
    harness.table_print(
        "Room finder (Django test client): 20 rooms, 13-17, half of them busy 13-15",
        [
            ("GET availability, 1 room x 1 day (computed)", computed, "1.00", ""),
            ("  the same, remembered (baseline for scale)", served, "", ""),
            ("GET rooms/?free_start=&free_end=, 20 rooms", found, f"{ratio:.2f}",
             f"{harness.mark(ratio <= FINDER_MAX)} <= {FINDER_MAX:g}x computed"),
            ("  against the remembered answer", found, f"{served_ratio:.2f}", ""),
            ("  for scale: GET rooms/, all 20, no search", listed, "", ""),
            ("  queries with 5 rooms found", harness.Figure(0.0, five), "",
             f"{harness.mark(fixed)} same queries as 20"),
        ],
    )  # fmt: skip


# --- Through a server ---------------------------------------------------------------------


def database_url() -> str:
    """The throwaway database, as the server process's DATABASE_URL."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{os.path.abspath(settings['NAME'])}"
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}:{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HttpClient:
    """One keep-alive HTTP/1.1 connection, as an API client would hold."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def expect(self, status: int, method: str, path: str, body: str | None = None) -> None:
        got, content = self.call(method, path, body)
        if got != status:
            raise SystemExit(f"unexpected {got} from the server: {content[:300]!r}")

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = clock.monotonic() + seconds
        while True:
            try:
                self.expect(200, "GET", "/bench/trivial/")
                return
            except (ConnectionError, http.client.HTTPException):
                if clock.monotonic() > deadline:
                    raise SystemExit("the benchmark server did not start") from None
                self.connection.close()
                clock.sleep(0.2)


@contextmanager
def bench_server() -> Iterator[HttpClient]:
    """gunicorn serving the throwaway database with production settings: one process,
    one thread, so that it measures one request at a time as the test client does."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.perf.bench_server_settings",
        "CONN_MAX_AGE": "60",
        "EMAIL_DELIVERY": "worker",
    }
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            sys.executable, "-m", "gunicorn", "heideken.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--worker-class", "gthread", "--threads", "1",
            "--keep-alive", "60", "--log-level", "warning", "--access-logfile", os.devnull,
        ],
        env=environment,
    )  # fmt: skip
    try:
        client = HttpClient(port)
        client.wait_ready()
        yield client
    finally:
        server.terminate()
        server.wait(timeout=30)


def server_run(rooms: list[Room], first: date, bodies: Iterator[str]) -> None:
    last = first + timedelta(days=30)
    availability_url = f"/api/v1/rooms/{rooms[0].slug}/availability/?start={first}&end={last}"
    with bench_server() as server:

        def figure(run: Callable[[], object], runs: int) -> harness.Figure:
            return harness.Figure(median_ms=harness.median_ms(run, runs), queries=None)

        trivial_get = figure(lambda: server.expect(200, "GET", "/bench/trivial/"), SERVER_GET_RUNS)
        availability = figure(lambda: server.expect(200, "GET", availability_url), SERVER_GET_RUNS)
        trivial_post = figure(
            lambda: server.expect(201, "POST", "/bench/trivial/", "{}"), SERVER_GET_RUNS
        )
        request = figure(
            lambda: server.expect(201, "POST", "/api/v1/booking-requests/", next(bodies)),
            SERVER_POST_RUNS,
        )
    gets, posts = target_rows(trivial_get, availability, trivial_post, request)
    harness.table_print(
        "API benchmark (gunicorn with production settings, one keep-alive HTTP connection)",
        [*gets, *posts],
    )


def run() -> None:
    rooms = house_create()
    first = timezone.localdate() + timedelta(days=3)
    busy_month(rooms[0], first)
    bodies = request_bodies(rooms, first + timedelta(days=40))
    client_run(rooms, first, bodies)
    finder_run(rooms, next(open_days(first + timedelta(days=7))))
    server_run(rooms, first, bodies)


def main() -> int:
    logging.disable(logging.WARNING)
    # No throttle: the benchmark sends many requests from one address on purpose.
    PublicWriteThrottle.THROTTLE_RATES = {"public_write": None}
    with (
        harness.throwaway_database(),
        override_settings(ROOT_URLCONF="tests.perf.bench_urls", ALLOWED_HOSTS=["testserver"]),
    ):
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
