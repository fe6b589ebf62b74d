"""Racing writers for the concurrency tests: real threads, each with its own database
connection, released together."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(
    jobs: list[Callable[[], object]],
    *,
    refusal: type[Exception],
    done: str,
    refused: str,
) -> list[str]:
    """Run each job in its own thread and connection, released together by a barrier;
    each outcome is `done`, `refused` (the job raised `refusal`) or the error it raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            jobs[index]()
            outcomes[index] = done
        except refusal:
            outcomes[index] = refused
        except Exception as error:
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
