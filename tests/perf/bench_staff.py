"""Performance figures of the staff workspace (issue "Staff workspace").

Run with `python -m tests.perf.bench_staff` (SQLite by default, PostgreSQL when
DATABASE_URL=postgres://...). It prints figures, it does not assert: the exit code is 0
even when a target is missed, and a miss is printed as MISS.

Through Django's test client and the whole middleware stack, signed in as booking staff,
it renders the week calendar for 20 rooms (two of them combined rooms made of two
others) with 500 bookings that week, and the same page for an empty week in the same
run: the full week's time and queries as a ratio to the empty week's (target: time at
most 3 times, queries the same). It also measures the request queue with 200 requests.

Each figure is a median time, the lowest of a few rounds' medians, so that other
processes on a shared machine disturb it less. Everything happens in a throwaway
database made by Django's test-database machinery and destroyed at the end.
"""

from __future__ import annotations

import statistics
import sys
import time as clock
from datetime import date, timedelta

from tests.perf import harness

harness.setup("staff")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from bookings.models import BookingStatus, Room  # noqa: E402
from tests.factories import house_hours, make_room  # noqa: E402
from tests.frontend.staff_world import bulk_bookings  # noqa: E402

ROOMS = 20
BOOKINGS = 500
REQUESTS = 200
# Half the busy week's bookings are requests on the same slots as the approved ones:
# requests may overlap (SPEC §2.4), and the calendar draws both.
MIX = "half approved, half requests on the same slots"
ROUNDS = 5
RUNS = 10
MAX_RATIO = 3.0


def median_ms(run: harness.Run, runs: int) -> float:
    """One round's median, without warm-up: `best_of_rounds` interleaves the rounds."""
    samples = []
    for _ in range(runs):
        began = clock.perf_counter_ns()
        run()
        samples.append(clock.perf_counter_ns() - began)
    return statistics.median(samples) / 1e6


def best_of_rounds(runs: dict[str, harness.Run]) -> dict[str, float]:
    """Each page's lowest median over the rounds; the runs interleave, so a busy moment
    on the machine hits all of them alike."""
    best: dict[str, float] = {}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            best[name] = min(best.get(name, float("inf")), median_ms(run, RUNS))
    return best


def expect_ok(response: HttpResponse) -> HttpResponse:
    if response.status_code != 200:
        raise SystemExit(f"expected 200, got {response.status_code}")
    return response


# --- Data -------------------------------------------------------------------------------


def next_monday(weeks_ahead: int) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def build() -> tuple[Client, date, date]:
    house_hours()
    plain = [make_room(capacity=20) for _ in range(ROOMS - 2)]
    make_room(capacity=40, parts=plain[0:2])  # two combined rooms among the 20
    make_room(capacity=40, parts=plain[2:4])
    busy_week, empty_week = next_monday(3), next_monday(6)
    bulk_bookings(plain, busy_week, BOOKINGS // 2)
    bulk_bookings(plain, busy_week, BOOKINGS - BOOKINGS // 2, status=BookingStatus.REQUESTED)
    bulk_bookings(plain, next_monday(9), REQUESTS, status=BookingStatus.REQUESTED)
    user = User.objects.create_user("bench-staff", "bench@example.org", "unused")
    user.groups.add(Group.objects.get_or_create(name="Booking staff")[0])
    client = Client()
    client.force_login(user)
    assert Room.objects.count() == ROOMS
    return client, busy_week, empty_week


# --- Measuring ----------------------------------------------------------------------------


def measure(client: Client, busy_week: date, empty_week: date) -> dict[str, harness.Figure]:
    week_url = reverse("frontend:staff-calendar-week")

    def busy() -> None:
        expect_ok(client.get(week_url, {"date": busy_week.isoformat()}))

    def empty() -> None:
        expect_ok(client.get(week_url, {"date": empty_week.isoformat()}))

    def queue() -> None:
        expect_ok(client.get(reverse("frontend:staff-queue")))

    page = expect_ok(client.get(week_url, {"date": busy_week.isoformat()})).content.decode()
    shown = page.count('class="bar entry entry-')
    print(f"busy week page: {len(page):,} characters, {shown:,} entries drawn (parts included)")
    for run in (busy, empty, queue):
        run()  # warm up
    best = best_of_rounds({"busy": busy, "empty": empty, "queue": queue})
    return {
        "busy": harness.Figure(best["busy"], harness.queries_of(busy)),
        "empty": harness.Figure(best["empty"], harness.queries_of(empty)),
        "queue": harness.Figure(best["queue"], harness.queries_of(queue)),
    }


# --- Report ---------------------------------------------------------------------------------


def report_print(figures: dict[str, harness.Figure]) -> None:
    busy, empty = figures["busy"], figures["empty"]
    time_ratio = busy.median_ms / empty.median_ms
    query_ratio = busy.queries / empty.queries
    print()
    print("Staff workspace benchmark")
    for line in harness.machine_lines():
        print(line)
    print(
        f"{ROOMS} rooms, {BOOKINGS} bookings in the busy week "
        f"({MIX}); {ROUNDS} rounds of {RUNS} renders; "
        "ms = the lowest of the rounds' medians"
    )
    print()
    header = f"{'measurement':<36} {'ms':>10} {'queries':>8} {'ratio':>6}  target"
    print(header)
    print("-" * (len(header) + 30))
    print(f"{'week calendar, empty week':<36} {empty.median_ms:>10.3f} {empty.queries:>8}")
    print(
        f"{'week calendar, 500 bookings':<36} {busy.median_ms:>10.3f} {busy.queries:>8} "
        f"{time_ratio:>6.2f}  {harness.mark(time_ratio <= MAX_RATIO)} "
        f"time x<={MAX_RATIO:g} empty week"
    )
    print(
        f"{'  queries, 500 bookings vs empty':<36} {'':>10} {'':>8} {query_ratio:>6.2f}  "
        f"{harness.mark(busy.queries == empty.queries)} the same queries"
    )
    queue = figures["queue"]
    print(
        f"{'request queue, 200 requests (page 1)':<36} {queue.median_ms:>10.3f} {queue.queries:>8}"
    )


# --- Main -------------------------------------------------------------------------------------


def run() -> None:
    client, busy_week, empty_week = build()
    # English pages under /en/, as staff would see them with the English prefix.
    with translation.override("en"), override_settings(ALLOWED_HOSTS=["testserver"]):
        report_print(measure(client, busy_week, empty_week))


def main() -> int:
    with harness.throwaway_database():
        run()
    return 0  # a report, not a test: misses are printed, not failed


if __name__ == "__main__":
    sys.exit(main())
