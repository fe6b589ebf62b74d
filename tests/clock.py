"""The moment the suite runs at: every test starts at the same pinned instant, whatever the
machine's clock says, so no test depends on the day or hour it is run.

`HEIDEKEN_TEST_NOW` moves the pin: an ISO 8601 moment with its offset
(`2027-12-20T22:30:00+00:00`), or `machine` for the machine's clock as the session starts.
CI runs the suite once more at an awkward moment that way; the helpers in tests/factories.py
pick their days from the pinned "now", and know holidays, notice and the horizon.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

# An ordinary Tuesday morning in Helsinki (09:00, summer time), far from any holiday.
ORDINARY_MOMENT = datetime(2027, 9, 7, 6, 0, tzinfo=UTC)

# Read once, when the suite is collected: "machine" means the clock at the session's start.
SESSION_STARTED = datetime.now(UTC)


def pinned_moment() -> datetime:
    """The instant each test starts at, from `HEIDEKEN_TEST_NOW` or the ordinary moment."""
    value = os.environ.get("HEIDEKEN_TEST_NOW", "").strip()
    if not value:
        return ORDINARY_MOMENT
    if value == "machine":
        return SESSION_STARTED
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("HEIDEKEN_TEST_NOW needs an offset, e.g. 2027-12-20T22:30:00+00:00")
    return moment
