"""What every benchmark shares: a throwaway database, medians, query counts and the report.

A benchmark module calls `setup("name")` before importing anything from Django, then
runs its measurements inside `throwaway_database()`. Benchmarks print figures as ratios
to a baseline measured in the same run; they never fail on a missed target.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

Run = Callable[[], object]


def setup(name: str) -> None:
    """Point the test-database machinery at a bench-only name and start Django.

    Settings read TEST_DATABASE_NAME for both engines; PostgreSQL names take no dash, and
    carry the configured database's name, so that benchmarks of several checkouts sharing
    one PostgreSQL server never drop one another's databases."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        database = urlsplit(url).path.strip("/") or "postgres"
        os.environ["TEST_DATABASE_NAME"] = f"bench_{name}_{database}"
    else:
        os.environ["TEST_DATABASE_NAME"] = f"bench-{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh, migrated database for the run, destroyed afterwards; e-mails stay in memory."""
    from django.conf import settings
    from django.db import connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


@dataclass(frozen=True)
class Figure:
    median_ms: float
    queries: int | None  # None: counted in another process


def median_ms(run: Run, runs: int, rounds: int = 3) -> float:
    """The lowest of a few rounds' medians: other processes on a shared machine can only
    slow a round down, never speed it up."""
    run()  # warm caches and connections
    medians = []
    for _ in range(rounds):
        samples = []
        for _ in range(runs):
            began = time.perf_counter_ns()
            run()
            samples.append(time.perf_counter_ns() - began)
        medians.append(statistics.median(samples) / 1e6)
    return min(medians)


def queries_of(run: Run) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def measure(run: Run, runs: int, rounds: int = 3) -> Figure:
    return Figure(median_ms=median_ms(run, runs, rounds), queries=queries_of(run))


def mark(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def machine_lines() -> list[str]:
    import django
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        version = f"SQLite {sqlite3.sqlite_version}"
    # Other processes share the CPUs: a load above the CPU count makes figures noisy.
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"engine: {connection.vendor} ({version}), database {connection.settings_dict['NAME']}",
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {django.__version__}; "
        f"load average (1, 5, 15 min) {load}",
    ]


def table_print(title: str, rows: list[tuple[str, Figure, str, str]]) -> None:
    """Rows of (measurement, figure, ratio, target verdict)."""
    print()
    print(title)
    for line in machine_lines():
        print(line)
    header = f"{'measurement':<44} {'median ms':>10} {'queries':>8} {'ratio':>7}  target"
    print(header)
    print("-" * (len(header) + 24))
    for label, figure, ratio, verdict in rows:
        queries = "-" if figure.queries is None else figure.queries
        print(f"{label:<44} {figure.median_ms:>10.3f} {queries:>8} {ratio:>7}  {verdict}")
