"""The public write throttle holds across processes: several gunicorn workers with the
production settings count one address together, in the database cache migrate made."""

from __future__ import annotations

import pytest

from tests.servers import gunicorn


@pytest.mark.django_db(transaction=True)
def test_four_workers_let_through_only_the_rate_however_the_header_is_forged():
    with gunicorn(workers=4, API_PUBLIC_WRITE_RATE="6/hour") as server:
        codes = [
            server.call(
                "POST",
                "/api/v1/booking-requests/",
                "{}",
                {"X-Forwarded-For": f"198.51.100.{n}"},
            )[0]
            for n in range(24)
        ]
    # Invalid bodies still count: the throttle runs before the input is read.
    assert codes.count(400) == 6
    assert codes.count(429) == 18
