"""Performance figures of the calendar feeds (issue "Calendar feeds").

Run with `python -m tests.perf.bench_feeds` (SQLite by default, PostgreSQL when
DATABASE_URL=postgres://...). It prints figures, it does not assert: the exit code is 0
even when a target is missed, and a miss is printed as MISS.

For a public room feed holding 2,000 events it measures, through Django's test client
and the whole middleware stack:

- serving the feed (200) against serialising the same events with bare icalendar calls
  in the same run, from rows already in memory (target: at most 1.5 times);
- answering a poll whose copy is current (304) against a trivial view that returns a
  few bytes without touching the database (target: at most 2 times), with the
  production setting FEED_RECHECK_SECONDS (the view reuses its last stamp for a few
  seconds); and, for scale, a 304 that rechecks the database on every poll next to the
  health check, one `SELECT 1`;
- the SQL queries of both answers, for 200 and for 2,000 events (target: the same).

Each figure is a median time, the lowest of a few rounds' medians, so that other
processes on a shared machine disturb it less. Everything happens in a throwaway
database made by Django's test-database machinery and destroyed at the end.
"""

from __future__ import annotations

import statistics
import sys
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tests.perf import harness

harness.setup("feeds")

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from icalendar import Calendar, Event, vDuration  # noqa: E402

from bookings import feed_views  # noqa: E402
from bookings.calendar import PUBLIC_REFRESH, helsinki_timezone  # noqa: E402
from bookings.models import Booking, BookingStatus, Occupancy, OccupancyKind, Room  # noqa: E402
from bookings.schedule import HELSINKI  # noqa: E402
from heideken import settings as production_settings  # noqa: E402
from heideken.urls import urlpatterns as site_urlpatterns  # noqa: E402

EVENTS = 2_000
FEW_EVENTS = 200
PER_DAY = 6  # 90-minute bookings every 2 hours from 08:00: with 15-minute buffers
BUFFER_MINUTES = 15  # each holds [07:45 + 2 h * n, 09:45 + 2 h * n): they never overlap
ROUNDS = 3
RENDER_RUNS = 5  # per round
POLL_RUNS = 400  # per round
SERVE_MAX_RATIO = 1.5
NOT_MODIFIED_MAX_RATIO = 2.0


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


# This module is the URL configuration while it measures: the site's, plus the baseline.
urlpatterns = [path("bench/trivial", trivial), *site_urlpatterns]


# --- Data ---------------------------------------------------------------------------------


def room_with_events(slug: str, count: int, today: date) -> Room:
    """A public room with `count` approved bookings from 29 days back, and their
    occupancy rows as `occupancy_hold_booking` writes them."""
    room = Room.objects.create(slug=slug, name_fi=f"Tila {slug}", capacity=40)
    rows = []
    for number in range(count):
        day = today - timedelta(days=29) + timedelta(days=number // PER_DAY)
        start = datetime.combine(day, time(8), tzinfo=HELSINKI) + timedelta(
            hours=2 * (number % PER_DAY)
        )
        rows.append(
            Booking(
                room=room,
                start=start,
                end=start + timedelta(minutes=90),
                setup_buffer_minutes=BUFFER_MINUTES,
                cleanup_buffer_minutes=BUFFER_MINUTES,
                status=BookingStatus.APPROVED,
                title="Kokous",
                attendees=12,
                organisation="Bench ry",
                contact_name="Bench",
                email="bench@example.org",
                created_at=start - timedelta(days=60),
                updated_at=start - timedelta(days=45),
                sequence=number % 3,
            )
        )
    with transaction.atomic():
        Booking.objects.bulk_create(rows, batch_size=1000)
        Occupancy.objects.bulk_create(
            (
                Occupancy(
                    space=room,
                    start=booking.blocked_start,
                    end=booking.blocked_end,
                    kind=OccupancyKind.APPROVED,
                    booking=booking,
                )
                for booking in rows
            ),
            batch_size=1000,
        )
    return room


# --- The baseline: the same events with bare icalendar calls -----------------------------


@dataclass(frozen=True)
class Row:
    pk: int
    start: datetime
    end: datetime
    updated_at: datetime
    sequence: int


def bare_icalendar(rows: list[Row]) -> bytes:
    """What a hand-written view would do with rows it already has."""
    calendar = Calendar()
    calendar.add("prodid", "-//Bench//Bench//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.calendar_name = "Tila – Perhetalo Heideken"
    calendar.add("refresh-interval", vDuration(PUBLIC_REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(PUBLIC_REFRESH))
    calendar.add_component(helsinki_timezone())
    for row in rows:
        event = Event()
        event.add("uid", f"booking-{row.pk}@127.0.0.1")
        event.add("dtstamp", row.updated_at.astimezone(UTC))
        event.add("dtstart", row.start.astimezone(HELSINKI))
        event.add("dtend", row.end.astimezone(HELSINKI))
        event.add("sequence", row.sequence)
        event.add("summary", "Varattu")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


# --- Measuring ------------------------------------------------------------------------------


def median_ms(run: harness.Run, runs: int) -> float:
    """One round's median, without warm-up: `best_of_rounds` interleaves the rounds."""
    samples = []
    for _ in range(runs):
        began = clock.perf_counter_ns()
        run()
        samples.append(clock.perf_counter_ns() - began)
    return statistics.median(samples) / 1e6


def best_of_rounds(runs: dict[str, tuple[harness.Run, int]]) -> dict[str, float]:
    """Each measurement's lowest median over the rounds; the runs interleave, so a busy
    moment on the machine hits all of them alike."""
    best: dict[str, float] = {}
    for _ in range(ROUNDS):
        for name, (run, count) in runs.items():
            best[name] = min(best.get(name, float("inf")), median_ms(run, count))
    return best


def expect(status: int, response: HttpResponse) -> HttpResponse:
    if response.status_code != status:
        raise SystemExit(f"expected {status}, got {response.status_code}")
    return response


def measure(client: Client, room: Room, few: Room) -> dict[str, harness.Figure]:
    url = f"/ical/rooms/{room.slug}.ics"
    first = expect(200, client.get(url))
    etag = first["ETag"]
    rows = [
        Row(*values)
        for values in Booking.objects.filter(room=room)
        .order_by("start", "pk")
        .values_list("pk", "start", "end", "updated_at", "sequence")
    ]
    bare_size = len(bare_icalendar(rows))

    def serve() -> None:
        expect(200, client.get(url))

    def poll() -> None:
        expect(304, client.get(url, headers={"If-None-Match": etag}))

    def poll_rechecked() -> None:
        # As the first poll after the recheck interval: the view asks the database.
        feed_views._recent_room_feeds.clear()
        expect(304, client.get(url, headers={"If-None-Match": etag}))

    def baseline() -> None:
        expect(200, client.get("/bench/trivial"))

    def health() -> None:
        expect(200, client.get("/healthz"))

    def few_serve() -> None:
        expect(200, client.get(f"/ical/rooms/{few.slug}.ics"))

    for run in (serve, poll, baseline, health, lambda: bare_icalendar(rows)):  # warm up
        run()
    best = best_of_rounds(
        {
            "bare": (lambda: bare_icalendar(rows), RENDER_RUNS),
            "serve": (serve, RENDER_RUNS),
            "trivial": (baseline, POLL_RUNS),
            "health": (health, POLL_RUNS),
            "poll": (poll, POLL_RUNS),
            "poll_rechecked": (poll_rechecked, POLL_RUNS),
        }
    )
    print(f"feed {len(first.content):,} bytes, bare icalendar {bare_size:,} bytes")
    return {
        "bare": harness.Figure(best["bare"], 0),
        "serve": harness.Figure(best["serve"], harness.queries_of(serve)),
        "serve_few": harness.Figure(
            median_ms(few_serve, RENDER_RUNS), harness.queries_of(few_serve)
        ),
        "trivial": harness.Figure(best["trivial"], harness.queries_of(baseline)),
        "health": harness.Figure(best["health"], harness.queries_of(health)),
        "poll": harness.Figure(best["poll"], harness.queries_of(poll)),
        "poll_rechecked": harness.Figure(
            best["poll_rechecked"], harness.queries_of(poll_rechecked)
        ),
    }


# --- Report ---------------------------------------------------------------------------------


def report_print(figures: dict[str, harness.Figure]) -> None:
    serve_ratio = figures["serve"].median_ms / figures["bare"].median_ms
    poll_ratio = figures["poll"].median_ms / figures["trivial"].median_ms
    rechecked_ratio = figures["poll_rechecked"].median_ms / figures["trivial"].median_ms
    health_ratio = figures["poll_rechecked"].median_ms / figures["health"].median_ms
    same_queries = figures["serve"].queries == figures["serve_few"].queries
    rows = [
        ("bare icalendar, 2,000 events", "bare", "", ""),
        ("room feed 200, 2,000 events", "serve", f"{serve_ratio:.2f}", ""),
        ("room feed 200, 200 events", "serve_few", "", ""),
        ("trivial view", "trivial", "", ""),
        ("health check (SELECT 1)", "health", "", ""),
        ("room feed 304, 2,000 events", "poll", f"{poll_ratio:.2f}", ""),
        ("  304 rechecking every poll", "poll_rechecked", f"{rechecked_ratio:.2f}", ""),
    ]
    targets = {
        "serve": f"{harness.mark(serve_ratio <= SERVE_MAX_RATIO)} x<={SERVE_MAX_RATIO:g} bare",
        "poll": (
            f"{harness.mark(poll_ratio <= NOT_MODIFIED_MAX_RATIO)} x<={NOT_MODIFIED_MAX_RATIO:g} "
            f"trivial (stamp reused for {settings.FEED_RECHECK_SECONDS} s)"
        ),
        "poll_rechecked": f"for scale: {health_ratio:.2f} x health check",
        "serve_few": f"{harness.mark(same_queries)} queries as for 2,000",
        "health": "for scale: the cheapest view that asks the database",
    }
    print()
    print("Calendar feed benchmark")
    for line in harness.machine_lines():
        print(line)
    print(
        f"{EVENTS:,} approved bookings in one public room's window; {ROUNDS} rounds of "
        f"{RENDER_RUNS} renders and {POLL_RUNS} polls; ms = the lowest of the rounds' medians"
    )
    print()
    header = f"{'measurement':<30} {'ms':>10} {'queries':>8} {'ratio':>6}  target"
    print(header)
    print("-" * (len(header) + 30))
    for label, key, ratio, _ in rows:
        figure = figures[key]
        print(
            f"{label:<30} {figure.median_ms:>10.3f} {figure.queries:>8} {ratio:>6}  "
            f"{targets.get(key, '')}"
        )


# --- Main -------------------------------------------------------------------------------------


def run() -> None:
    today = timezone.localdate()
    room = room_with_events("bench-sali", EVENTS, today)
    few = room_with_events("bench-pieni", FEW_EVENTS, today + timedelta(days=1))
    # The production recheck interval (the test settings turn it off).
    with override_settings(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["testserver"],
        FEED_RECHECK_SECONDS=production_settings.FEED_RECHECK_SECONDS,
    ):
        report_print(measure(Client(), room, few))


def main() -> int:
    with harness.throwaway_database():
        run()
    return 0  # a report, not a test: misses are printed, not failed


if __name__ == "__main__":
    sys.exit(main())
