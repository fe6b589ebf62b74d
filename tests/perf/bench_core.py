"""Performance figures of the booking core: availability and approve against history.

Run with `python -m tests.perf.bench_core` (SQLite by default, PostgreSQL when
DATABASE_URL=postgres://...); add `--explain` to print the query plans of the measured
reads. It prints figures, it does not assert: the exit code is 0 even when a target is
missed, and a miss is printed as MISS.

What it measures, for 1,000 and then 100,000 bookings over 20 rooms (two of them
combined rooms made of two others):

- baseline: a single-row ORM fetch, `Room.objects.get(pk=...)`;
- `room_availability` for one room over 31 days, a plain room and a combined room;
- `booking_approve` of a fresh request in a free slot (the conflict check still runs),
  as production runs it (README: EMAIL_DELIVERY=worker), with the hooks other apps
  register in `bookings.hooks`: the invoicing price snapshot, and the frontend's e-mails
  stored with the approval for the worker to write and send;
  for scale, with EMAIL_DELIVERY=commit, where the approving process itself writes the
  e-mails (templates, the .ics file) and sends them (to Django's in-memory backend)
  right after the commit; without the hooks, the booking core alone; and, for
  information, an approve refused because another approved booking clashes.

`--profile` adds a cProfile of approves with the hooks: what each step of an approve
costs, and how much of it is spent waiting for the database's answers.

Each figure is a median time (the lowest of a few rounds' medians, so that other
processes on a shared machine disturb it less), with its number of SQL queries and its
ratio to the baseline measured the same way in the same run. The near future holds the
same bookings at both sizes; only the history grows, so the 100k/1k ratio shows whether
old rows slow the booking core.

It never touches the developer's database: everything happens in a throwaway database
made by Django's test-database machinery and destroyed at the end.
"""

from __future__ import annotations

import cProfile
import itertools
import logging
import os
import pstats
import statistics
import sys
import time as clock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tests.perf import harness

harness.setup("core")

from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

import bookings.hooks  # noqa: E402
from bookings.conflicts import overlapping  # noqa: E402
from bookings.errors import BookingConflict  # noqa: E402
from bookings.models import (  # noqa: E402
    Booking,
    BookingStatus,
    Occupancy,
    OccupancyKind,
    OpeningHours,
    Room,
)
from bookings.schedule import HELSINKI, is_holiday  # noqa: E402
from bookings.selectors import Availability, day_bounds, room_availability  # noqa: E402
from bookings.services import RenterDetails, booking_approve, booking_request_create  # noqa: E402
from bookings.spaces import room_graph, spaces_of  # noqa: E402

SIZES = (1_000, 100_000)
BATCH = 5_000
BUFFER_MINUTES = 15  # the house default setup and cleanup buffers (migration 0002)
SLOTS_PER_DAY = 6  # bulk bookings start 07:30 + 2 h * slot; each holds at most 2 h
FUTURE_DAYS = 45  # the near future that is the same at both sizes
WINDOW_OFFSET = 3  # first measured day: past the 48-hour notice for requests
WINDOW_DAYS = 31
ROUNDS = 5  # the runs below are shared among the rounds
APPROVE_RUNS = 50
APPROVE_WARMUP = 1  # per round
BASELINE_RUNS = 5_000
AVAILABILITY_RUNS = 500

AVAILABILITY_MAX_QUERIES = 6
AVAILABILITY_MAX_RATIO = 10.0
APPROVE_MAX_RATIO = 20.0
GROWTH_MAX_RATIO = 1.5
GROWTH_TARGETED = (
    "availability plain room",
    "availability combined room",
    "approve (free slot)",
    "approve, app hooks off",
)


# --- Data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class House:
    rooms: list[Room]
    plain: Room  # a standalone room: one physical space
    combined: Room  # rooms[0] + rooms[1]
    # Rooms that share spaces: (part, part, combined). Per slot either the combined room
    # or its parts are booked, so bulk rows never overlap on a space.
    groups: list[tuple[Room, Room, Room]]
    singles: list[Room]


def house_create() -> House:
    rooms = [
        Room.objects.create(slug=f"bench-{number:02}", name_fi=f"Tila {number}", capacity=30)
        for number in range(1, 21)
    ]
    rooms[18].parts.set([rooms[0], rooms[1]])
    rooms[19].parts.set([rooms[2], rooms[3]])
    OpeningHours.objects.bulk_create(
        OpeningHours(room=None, weekday=day, opens=time(7), closes=time(22)) for day in range(7)
    )
    return House(
        rooms=rooms,
        plain=rooms[4],
        combined=rooms[18],
        groups=[(rooms[0], rooms[1], rooms[18]), (rooms[2], rooms[3], rooms[19])],
        singles=rooms[4:18],
    )


def slot_rooms(house: House, day: date, slot: int) -> Iterator[Room]:
    """The rooms booked in one slot of one day: every single room, and per group the
    combined room one time in four, its two parts otherwise."""
    yield from house.singles
    for index, (part_a, part_b, combined) in enumerate(house.groups):
        if (day.toordinal() + slot + index) % 4 == 0:
            yield combined
        else:
            yield part_a
            yield part_b


def slot_times(day: date, slot: int) -> tuple[datetime, datetime]:
    """60 or 90 minutes from 07:30 + 2 h * slot: with 15-minute buffers each booking
    holds at most [07:15 + 2 h * slot, 09:15 + 2 h * slot), so slots never overlap, and
    19:15-22:00 stays free for the measured requests."""
    start = datetime.combine(day, time(7, 30), tzinfo=HELSINKI) + timedelta(hours=2 * slot)
    minutes = 90 if (day.toordinal() + slot) % 2 else 60
    return start, start + timedelta(minutes=minutes)


def history_status(number: int) -> str:
    """85 % approved; past requests were expired by `bookings_expire` and hold nothing."""
    others = {
        0: BookingStatus.CANCELLED,
        1: BookingStatus.CANCELLED,
        2: BookingStatus.REJECTED,
        3: BookingStatus.EXPIRED,
    }
    return others.get(number % 20, BookingStatus.APPROVED)


def future_status(number: int) -> str:
    """70 % approved, 10 % requested (holding `requested` occupancy), the rest freed."""
    others = {
        0: BookingStatus.REQUESTED,
        1: BookingStatus.CANCELLED,
        2: BookingStatus.REJECTED,
    }
    return others.get(number % 10, BookingStatus.APPROVED)


def booking_row(room: Room, start: datetime, end: datetime, status: str) -> Booking:
    return Booking(
        room=room,
        start=start,
        end=end,
        setup_buffer_minutes=BUFFER_MINUTES,
        cleanup_buffer_minutes=BUFFER_MINUTES,
        status=status,
        title="Kokous",
        attendees=12,
        organisation="Bench ry",
        contact_name="Bench",
        email="bench@example.org",
        created_at=start - timedelta(days=14),
        updated_at=start - timedelta(days=7),
    )


def history_rows(house: House, today: date) -> Iterator[Booking]:
    """Bookings going back from yesterday, slot by slot, without end: ~105 a day."""
    number = itertools.count()
    for back in itertools.count(1):
        day = today - timedelta(days=back)
        for slot in range(SLOTS_PER_DAY):
            start, end = slot_times(day, slot)
            for room in slot_rooms(house, day, slot):
                yield booking_row(room, start, end, history_status(next(number)))


def future_rows(house: House, today: date) -> list[Booking]:
    """One slot every other day in the near future: the measured window's data."""
    rows: list[Booking] = []
    for ahead in range(1, FUTURE_DAYS + 1, 2):
        day = today + timedelta(days=ahead)
        slot = ahead % SLOTS_PER_DAY
        start, end = slot_times(day, slot)
        for room in slot_rooms(house, day, slot):
            rows.append(booking_row(room, start, end, future_status(len(rows))))
    return rows


def occupancy_rows(bookings: list[Booking], graph: dict[int, tuple[int, ...]]) -> list[Occupancy]:
    """The rows `occupancy_hold_booking` writes: one per physical space, buffers included,
    for approved and requested bookings only."""
    kinds = {
        BookingStatus.APPROVED: OccupancyKind.APPROVED,
        BookingStatus.REQUESTED: OccupancyKind.REQUESTED,
    }
    return [
        Occupancy(
            space_id=space,
            start=booking.blocked_start,
            end=booking.blocked_end,
            kind=kinds[booking.status],
            booking=booking,
        )
        for booking in bookings
        if booking.status in kinds
        for space in sorted(spaces_of(booking.room_id, graph))
    ]


def bookings_load(rows: Iterator[Booking] | list[Booking], count: int) -> int:
    """Bulk-insert `count` bookings and their occupancy, in batches, in one transaction."""
    graph = room_graph()
    source = iter(rows)
    loaded = 0
    with transaction.atomic():
        while loaded < count:
            batch = list(itertools.islice(source, min(BATCH, count - loaded)))
            if not batch:
                break
            Booking.objects.bulk_create(batch, batch_size=BATCH)
            Occupancy.objects.bulk_create(occupancy_rows(batch, graph), batch_size=BATCH)
            loaded += len(batch)
    return loaded


def statistics_refresh() -> None:
    """Leave PostgreSQL as autovacuum soon would after a bulk load: vacuumed (hint bits
    and visibility map set) and analysed. Done now, the plans are deterministic and no
    autovacuum worker starts on the new rows in the middle of the measurements. SQLite is
    left as Django leaves it (no ANALYZE), as on a developer's or a small site's database."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Booking, Occupancy):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- Measuring --------------------------------------------------------------------------

Run = harness.Run


@dataclass(frozen=True)
class Figure:
    median_ms: float
    queries: int
    # Slowest round's median over the fastest's: near 1 on a quiet machine; far above it,
    # other processes were competing for the CPUs and the figure is less certain.
    spread: float = 1.0


def timed(run: Run) -> int:
    began = clock.perf_counter_ns()
    run()
    return clock.perf_counter_ns() - began


def samples_ns(runs: list[Run], warmup: Run | None = None) -> list[int]:
    for _ in range(5 if warmup else 0):  # connection, caches, first query compilation
        warmup()
    return [timed(run) for run in runs]


def median_ms(samples: list[int]) -> float:
    return statistics.median(samples) / 1e6


def window(today: date) -> tuple[date, date]:
    first = today + timedelta(days=WINDOW_OFFSET)
    return first, first + timedelta(days=WINDOW_DAYS - 1)


def request_days(today: date, count: int) -> list[date]:
    """Working days from the window's start on, for requests that pass the public rules."""
    days = []
    day = today + timedelta(days=WINDOW_OFFSET)
    while len(days) < count:
        if not is_holiday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


RENTER = RenterDetails(
    organisation="Bench ry", contact_name="Bench", email="bench@example.org", language="fi"
)


def request(room: Room, day: date, hour: int, minute: int) -> Booking:
    start = datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)
    result = booking_request_create(
        room=room,
        start=start,
        end=start + timedelta(hours=1),
        title="Mittaus",
        attendees=10,
        renter=RENTER,
        accept_terms=True,
    )
    return result.booking


def approve(booking: Booking) -> Run:
    return lambda: booking_approve(booking=booking, actor=None)


def approve_refused(booking: Booking) -> Run:
    def run() -> None:
        try:
            booking_approve(booking=booking, actor=None)
        except BookingConflict:
            return
        raise RuntimeError(f"booking {booking.pk} was approved despite a clash")

    return run


def requests_create(room: Room, days: list[date]) -> list[tuple[Booking, Booking]]:
    """A pair of overlapping requests in the free evening of each day."""
    return [(request(room, day, 20, 0), request(room, day, 20, 30)) for day in days]


def requests_delete(pairs: list[tuple[Booking, Booking]]) -> None:
    # Gone again, occupancy and audit rows with them: every round, and the next size,
    # starts from the same near future.
    Booking.objects.filter(pk__in=[booking.pk for pair in pairs for booking in pair]).delete()


@dataclass(frozen=True)
class Round:
    """Median ms of each measurement in one round."""

    baseline: float
    plain: float
    combined: float
    approve: float
    mailed: float
    core: float
    refused: float


def delivery(mode: str) -> override_settings:
    """Who writes and sends the e-mails an approval stores (README: EMAIL_DELIVERY)."""
    return override_settings(EMAIL_DELIVERY=mode)


def approve_round(room: Room, days: list[date]) -> tuple[float, float]:
    """Approving the first request of a day is the free approve (its conflict check runs
    and finds nothing); approving the second then clashes with it and is refused."""
    pairs = requests_create(room, days)
    warmup, measured = pairs[:APPROVE_WARMUP], pairs[APPROVE_WARMUP:]
    with delivery("worker"):
        for first, second in warmup:
            approve(first)()
            approve_refused(second)()
        # Every first request is approved before any second one: each refusal needs its
        # day's first request approved.
        free = median_ms(samples_ns([approve(first) for first, _ in measured]))
        refused = median_ms(samples_ns([approve_refused(second) for _, second in measured]))
    requests_delete(pairs)
    return free, refused


def approve_mailed_round(room: Room, days: list[date]) -> float:
    """The free approve with its e-mails written and sent by the approving process."""
    pairs = requests_create(room, days)
    with delivery("commit"):
        for first, _ in pairs[:APPROVE_WARMUP]:
            approve(first)()
        free = median_ms(samples_ns([approve(first) for first, _ in pairs[APPROVE_WARMUP:]]))
    requests_delete(pairs)
    return free


# The lists in which other apps register hooks that booking services call; looked up by
# name, so the bench keeps running while the set of hook points changes.
HOOK_LISTS = ("approval_hooks", "event_hooks")


def registered_hooks() -> dict[str, list[Callable[..., None]]]:
    return {name: getattr(bookings.hooks, name, []) for name in HOOK_LISTS}


@contextmanager
def app_hooks_off() -> Iterator[None]:
    """Without the hooks other apps register (price snapshot, e-mails): what is left is
    the booking core's own approve: state change, conflict check, occupancy and audit."""
    saved = {name: list(hooks) for name, hooks in registered_hooks().items()}
    for hooks in registered_hooks().values():
        hooks.clear()
    try:
        yield
    finally:
        for name, hooks in registered_hooks().items():
            hooks[:] = saved[name]


def approve_core_round(room: Room, days: list[date]) -> float:
    pairs = requests_create(room, days)
    with app_hooks_off():
        for first, _ in pairs[:APPROVE_WARMUP]:
            approve(first)()
        free = median_ms(samples_ns([approve(first) for first, _ in pairs[APPROVE_WARMUP:]]))
    requests_delete(pairs)
    return free


def availability_median(room: Room, first: date, last: date) -> float:
    def run() -> Availability:
        return room_availability(room=room, first_day=first, last_day=last)

    return median_ms(samples_ns([run] * (AVAILABILITY_RUNS // ROUNDS), warmup=run))


def round_measure(house: House, today: date, fetch: Run) -> Round:
    """One round; the baseline is timed before and after the rest, half its runs each."""
    first, last = window(today)
    half = [fetch] * (BASELINE_RUNS // ROUNDS // 2)
    before = samples_ns(half, warmup=fetch)
    availability = {
        room.pk: availability_median(room, first, last) for room in (house.plain, house.combined)
    }
    days = request_days(today, APPROVE_WARMUP + APPROVE_RUNS // ROUNDS)
    free, refused = approve_round(house.plain, days)
    mailed = approve_mailed_round(house.plain, days)
    core = approve_core_round(house.plain, days)
    after = samples_ns(half, warmup=fetch)
    return Round(
        baseline=median_ms(before + after),
        plain=availability[house.plain.pk],
        combined=availability[house.combined.pk],
        approve=free,
        mailed=mailed,
        core=core,
        refused=refused,
    )


@dataclass(frozen=True)
class Queries:
    baseline: int
    plain: int
    combined: int
    approve: int
    mailed: int
    core: int
    refused: int


def queries_measure(house: House, today: date, fetch: Run) -> Queries:
    first, last = window(today)
    pairs = requests_create(house.plain, request_days(today, 3))
    [(one, other), (mailed, _), (core, _)] = pairs
    with app_hooks_off():
        core_queries = harness.queries_of(approve(core))
    with delivery("commit"):
        mailed_queries = harness.queries_of(approve(mailed))
    with delivery("worker"):
        approve_queries = harness.queries_of(approve(one))
        refused_queries = harness.queries_of(approve_refused(other))
    queries = Queries(
        baseline=harness.queries_of(fetch),
        plain=harness.queries_of(
            lambda: room_availability(room=house.plain, first_day=first, last_day=last)
        ),
        combined=harness.queries_of(
            lambda: room_availability(room=house.combined, first_day=first, last_day=last)
        ),
        approve=approve_queries,
        mailed=mailed_queries,
        core=core_queries,
        refused=refused_queries,
    )
    requests_delete(pairs)
    return queries


@dataclass(frozen=True)
class SizeResult:
    size: int
    bookings: int
    future: int
    oldest: date
    occupancy: int
    baseline: Figure
    plain: Figure
    combined: Figure
    approve: Figure
    mailed: Figure
    core: Figure
    refused: Figure
    # Entries each availability answer holds: equal at both sizes, or the comparison
    # would not be like for like; a combined room sees its parts' entries too.
    busy_plain: int
    busy_combined: int

    def ratio(self, figure: Figure) -> float:
        return figure.median_ms / self.baseline.median_ms


def size_measure(house: House, today: date, size: int) -> SizeResult:
    """Each figure is the best of the rounds' medians: other processes on the machine
    slow some rounds down, and the lowest median is the one they disturbed least."""

    def fetch() -> Room:
        return Room.objects.get(pk=house.plain.pk)

    rounds = [round_measure(house, today, fetch) for _ in range(ROUNDS)]
    queries = queries_measure(house, today, fetch)
    first, last = window(today)
    busy = {
        room.pk: len(room_availability(room=room, first_day=first, last_day=last).busy)
        for room in (house.plain, house.combined)
    }

    def best(name: str) -> Figure:
        medians = [getattr(one, name) for one in rounds]
        return Figure(min(medians), getattr(queries, name), max(medians) / min(medians))

    return SizeResult(
        size=size,
        bookings=Booking.objects.count(),
        future=Booking.objects.filter(start__gt=timezone.now()).count(),
        oldest=timezone.localdate(Booking.objects.earliest("start").start),
        occupancy=Occupancy.objects.count(),
        baseline=best("baseline"),
        plain=best("plain"),
        combined=best("combined"),
        approve=best("approve"),
        mailed=best("mailed"),
        core=best("core"),
        refused=best("refused"),
        busy_plain=busy[house.plain.pk],
        busy_combined=busy[house.combined.pk],
    )


def explain_availability(room: Room, today: date) -> str:
    """The plan of the availability selector's occupancy read, for the investigation."""
    start, end = day_bounds(*window(today))
    spaces = spaces_of(room.pk, room_graph())
    rows = Occupancy.objects.filter(overlapping(spaces, start, end)).order_by("start", "pk")
    return rows.values_list("start", "end", "kind", "booking_id", "closure_id").explain()


# --- Profile ----------------------------------------------------------------------------

PROFILE_RUNS = 40

# The steps of an approve, as (label, module, function): cumulative times, so a step
# includes the database statements it runs.
APPROVE_STEPS = (
    ("  before the commit (booking_approve)", "bookings/services/decisions.py",
     "booking_approve"),
    ("    status compare-and-set", "bookings/services/decisions.py", "_transition"),
    ("    space lock, conflict check, occupancy", "bookings/conflicts.py",
     "occupancy_approve_booking"),
    ("    audit entry", "bookings/services/audit.py", "audit_record"),
    ("    booking read again for the hooks", "bookings/services/decisions.py", "_refresh"),
    ("    price snapshot (approval hook)", "bookings/hooks.py", "approval_hooks_run"),
    ("    e-mails stored (event hook)", "bookings/hooks.py", "event_hooks_run"),
)  # fmt: skip
AFTER_COMMIT = ("  e-mails written and sent after it", "frontend/outbox.py", "deliver_after_commit")
DATABASE = ("database statements, commit included", "django/db/backends/utils.py", "_execute")


def step_ms(stats: pstats.Stats, module: str, function: str, runs: int) -> float:
    """Cumulative ms per run of the functions of that name in that module."""
    total = 0.0
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if name == function and filename.endswith(module):
            total += row[3]
    return total * 1000 / runs


def approve_profiled(booking: Booking) -> None:
    booking_approve(booking=booking, actor=None)


def approve_profile(house: House, today: date, mode: str) -> list[tuple[str, float]]:
    """cProfile of free approves with the apps' hooks: ms per approve of each step."""
    pairs = requests_create(house.plain, request_days(today, PROFILE_RUNS + 1))
    with delivery(mode):
        approve(pairs[0][0])()
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [approve_profiled(first) for first, _ in pairs[1:]])
    requests_delete(pairs)
    stats = pstats.Stats(profiler)
    whole = step_ms(stats, "tests/perf/bench_core.py", "approve_profiled", PROFILE_RUNS)
    steps = [(label, step_ms(stats, module, name, PROFILE_RUNS)) for label, module, name in
             (*APPROVE_STEPS, AFTER_COMMIT, DATABASE)]  # fmt: skip
    before, after = steps[0][1], steps[-2][1]
    # booking_approve's own frame ends before its atomic block commits.
    commit = ("  the commit itself", whole - before - after)
    return [("approve with the apps' hooks, whole call", whole), *steps[:-2], commit,
            *steps[-2:]]  # fmt: skip


def profile_print(profiles: dict[str, list[tuple[str, float]]]) -> None:
    print()
    print(
        f"profile of {PROFILE_RUNS} free approves with the apps' hooks at 1k (cProfile: it "
        "slows Python code more than the database, so read shares, not absolute ms)"
    )
    modes = list(profiles)
    print(f"  {'step':<44} " + " ".join(f"{'ms ' + mode:>12}" for mode in modes))
    for index, (label, _) in enumerate(profiles[modes[0]]):
        values = " ".join(f"{profiles[mode][index][1]:>12.3f}" for mode in modes)
        print(f"  {label:<44} {values}")


# --- Report -----------------------------------------------------------------------------


def size_label(size: int) -> str:
    return f"{size // 1000}k"


def row_targets(name: str, figure: Figure, ratio: float) -> str:
    if name.startswith("availability"):
        queries_ok = figure.queries <= AVAILABILITY_MAX_QUERIES
        ratio_ok = ratio <= AVAILABILITY_MAX_RATIO
        return (
            f"{harness.mark(queries_ok)} q<={AVAILABILITY_MAX_QUERIES}  "
            f"{harness.mark(ratio_ok)} x<={AVAILABILITY_MAX_RATIO:g}"
        )
    if name.startswith("approve (free") or name.startswith("approve, app hooks"):
        return f"{harness.mark(ratio <= APPROVE_MAX_RATIO)} x<={APPROVE_MAX_RATIO:g}"
    return ""


def rows_of(result: SizeResult) -> list[tuple[str, Figure]]:
    return [
        ("baseline Room.objects.get", result.baseline),
        ("availability plain room", result.plain),
        ("availability combined room", result.combined),
        ("approve (free slot)", result.approve),
        ("  e-mails written and sent in it", result.mailed),
        ("approve, app hooks off", result.core),
        ("approve refused (clash)", result.refused),
    ]


def table_print(results: list[SizeResult]) -> None:
    header = (
        f"{'measurement':<28} {'size':>5} {'ms':>8} {'spread':>7} {'queries':>8} "
        f"{'x base':>7}  target"
    )
    print(header)
    print("-" * (len(header) + 24))
    for index, (name, _) in enumerate(rows_of(results[0])):
        for result in results:
            figure = rows_of(result)[index][1]
            ratio = result.ratio(figure)
            print(
                f"{name:<28} {size_label(result.size):>5} {figure.median_ms:>8.3f} "
                f"{figure.spread:>7.2f} {figure.queries:>8} {ratio:>7.1f}  "
                f"{row_targets(name, figure, ratio)}"
            )


def growth_print(small: SizeResult, large: SizeResult) -> None:
    label = f"{size_label(large.size)}/{size_label(small.size)}"
    print()
    print(f"growth {label}, target <= {GROWTH_MAX_RATIO:g} (judged on the x-base figures)")
    print(f"  {'measurement':<28} {'x base':>7} {'ms':>7}")
    for (name, low), (_, high) in list(zip(rows_of(small), rows_of(large), strict=True))[1:]:
        growth = large.ratio(high) / small.ratio(low)
        target = harness.mark(growth <= GROWTH_MAX_RATIO) if name in GROWTH_TARGETED else ""
        print(f"  {name:<28} {growth:>7.2f} {high.median_ms / low.median_ms:>7.2f}  {target}")


def report_print(results: list[SizeResult], load_seconds: list[float]) -> None:
    print()
    print("Booking core benchmark")
    for line in harness.machine_lines():
        print(line)
    for result, seconds in zip(results, load_seconds, strict=True):
        print(
            f"data {size_label(result.size)}: {result.bookings:,} bookings "
            f"({result.future:,} ahead, the rest back to {result.oldest}), "
            f"{result.occupancy:,} occupancy rows, 20 rooms (2 combined), "
            f"loaded in {seconds:.1f} s; busy entries in the window: plain room "
            f"{result.busy_plain}, combined room {result.busy_combined}"
        )
    for name, hooks in registered_hooks().items():
        names = ", ".join(f"{hook.__module__}.{hook.__qualname__}" for hook in hooks)
        print(f"bookings.hooks.{name}: {names or 'none'}")
    print(
        "approve: EMAIL_DELIVERY=worker, as in production (the e-mails are stored with the "
        "approval and left to the worker); the row below it with EMAIL_DELIVERY=commit"
    )
    first, last = window(timezone.localdate())
    print(
        f"window: {first} .. {last} ({WINDOW_DAYS} days); {BASELINE_RUNS} baseline, "
        f"{AVAILABILITY_RUNS} availability (each room), {APPROVE_RUNS} approve runs in "
        f"{ROUNDS} rounds; ms = the lowest of the rounds' medians, spread = highest / lowest"
    )
    print()
    table_print(results)
    growth_print(results[0], results[-1])
    busy_warning()


def busy_warning() -> None:
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load > cpus:
        print(
            f"\nNOTE: the machine was busy (load {load:.2f} on {cpus} CPUs): other processes "
            "competed for the CPUs, so a MISS may be theirs; see the spread column, and "
            "rerun on a quiet machine before acting on it."
        )


# --- Main -------------------------------------------------------------------------------


def run(explain: bool, profile: bool) -> list[SizeResult]:
    today = timezone.localdate()
    house = house_create()
    future = future_rows(house, today)
    history = history_rows(house, today)
    results, load_seconds, loaded = [], [], 0
    profiles: dict[str, list[tuple[str, float]]] = {}
    for size in SIZES:
        began = clock.perf_counter()
        if loaded == 0:
            loaded += bookings_load(future, len(future))
        loaded += bookings_load(history, size - loaded)
        statistics_refresh()
        load_seconds.append(clock.perf_counter() - began)
        results.append(size_measure(house, today, size))
        if profile and size == SIZES[0]:
            profiles = {mode: approve_profile(house, today, mode) for mode in ("worker", "commit")}
        if explain:
            print(f"\nplan of the availability read at {size_label(size)} (combined room):")
            print(explain_availability(house.combined, today))
    report_print(results, load_seconds)
    if profile:
        profile_print(profiles)
    return results


def main() -> int:
    explain = "--explain" in sys.argv[1:]
    profile = "--profile" in sys.argv[1:]
    # The bench data has no price lists, so the invoicing approval hook logs a warning per
    # approve; silenced, the table stays readable and no log output is timed.
    logging.disable(logging.WARNING)
    # The throwaway database also sends e-mails the hooks write to Django's in-memory
    # outbox: never to a mail server, nor printed by the console backend into the report.
    with harness.throwaway_database():
        run(explain, profile)
    return 0  # a report, not a test: misses are printed, not failed


if __name__ == "__main__":
    sys.exit(main())
