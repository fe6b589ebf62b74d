"""A small process-local memo whose entries expire.

For answers that are a pure function of a database *stamp* (a cheap query that moves
with every change): the stamp is part of the key, so a change makes a new key and old
entries are simply never asked for again. Entries still expire, to bound how long a
change stays unseen when two PostgreSQL transactions commit out of the order in which
they wrote their audit entries, or when a row is changed behind the services' back
(a queryset `update()` in a shell).
"""

from __future__ import annotations

from collections.abc import Hashable
from threading import Lock
from time import monotonic
from typing import Generic, TypeVar

Value = TypeVar("Value")

_every_memo: list[Memo] = []


def memos_clear() -> None:
    """Forget every memo of the process (the test suite does, as each test gets a fresh
    database whose ids may repeat an earlier test's)."""
    for memo in _every_memo:
        memo.clear()


class Memo(Generic[Value]):
    """Up to `size` entries, each kept for `seconds`; cleared whole when full (the keys of
    a busy house are few: rooms × windows in use)."""

    def __init__(self, *, seconds: float, size: int) -> None:
        self.seconds = seconds
        self.size = size
        self._entries: dict[Hashable, tuple[float, Value]] = {}
        self._lock = Lock()
        _every_memo.append(self)

    def get(self, key: Hashable) -> Value | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= monotonic():
            return None
        return entry[1]

    def put(self, key: Hashable, value: Value, *, seconds: float | None = None) -> Value:
        """Remember `value` for `seconds` (the memo's own lifetime unless given)."""
        lifetime = self.seconds if seconds is None else seconds
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[key] = (monotonic() + lifetime, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
