"""API figures: availability and booking requests through the full Django stack.

Availability answers are remembered per schedule stamp (bookings/availability.py); the
table also shows the first read after a change, when the answer is computed.

Run with `python -m tests.perf.bench_api` (SQLite by default, PostgreSQL when
DATABASE_URL=postgres://...). Each figure is compared with a trivial DRF view measured
in the same run through the same test client, middleware and settings. Targets:
availability <= 3x and a booking request <= 5x the trivial view.

A booking request stores its e-mails with the booking (frontend/outbox.py); the request
is measured as production runs it, with EMAIL_DELIVERY=worker (a separate process writes
and sends them), and, for scale, with EMAIL_DELIVERY=commit, where the request's own
process writes and sends them right after the commit (to Django's in-memory outbox here;
a real mail server adds its round trips).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from datetime import date, time, timedelta
from itertools import count

from tests.perf import harness

harness.setup("api")

from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.permissions import AllowAny  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from bookings.api.views import PublicWriteThrottle  # noqa: E402
from bookings.memo import memos_clear  # noqa: E402
from bookings.models import OpeningHours, Room  # noqa: E402
from bookings.schedule import is_holiday  # noqa: E402
from bookings.services import booking_staff_create  # noqa: E402
from heideken.urls import urlpatterns as site_urlpatterns  # noqa: E402
from tests.factories import at  # noqa: E402

ROOMS = 20
GET_RUNS = 200
POST_RUNS = 40
AVAILABILITY_MAX = 3.0
REQUEST_MAX = 5.0


class TrivialView(APIView):
    """The baseline: DRF's full request cycle with nothing to do."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})

    def post(self, request: Request) -> Response:
        return Response({"ok": True}, status=201)


urlpatterns = [path("bench/trivial/", TrivialView.as_view()), *site_urlpatterns]


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


def run() -> None:
    rooms = house_create()
    first = timezone.localdate() + timedelta(days=3)
    busy_month(rooms[0], first)
    client = Client()
    last = first + timedelta(days=30)
    availability_url = f"/api/v1/rooms/{rooms[0].slug}/availability/?start={first}&end={last}"
    bodies = request_bodies(rooms, first + timedelta(days=40))
    sent = count()

    def post_request() -> None:
        next(sent)
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
    availability_ratio = availability.median_ms / trivial_get.median_ms
    request_ratio = request.median_ms / trivial_post.median_ms
    harness.table_print(
        "API benchmark (Django test client, full middleware stack)",
        [
            ("trivial DRF view, GET (baseline)", trivial_get, "1.00", ""),
            (
                "GET availability, 1 room x 31 days",
                availability,
                f"{availability_ratio:.2f}",
                f"{harness.mark(availability_ratio <= AVAILABILITY_MAX)} <= {AVAILABILITY_MAX:g}x",
            ),
            (
                "  the first read after a change",
                availability_cold,
                f"{availability_cold.median_ms / trivial_get.median_ms:.2f}",
                "(computed, then remembered)",
            ),
            ("trivial DRF view, POST (baseline)", trivial_post, "1.00", ""),
            (
                "POST booking-requests/ (worker delivery)",
                request,
                f"{request_ratio:.2f}",
                f"{harness.mark(request_ratio <= REQUEST_MAX)} <= {REQUEST_MAX:g}x",
            ),
            (
                "  e-mails written and sent in the request",
                request_commit,
                f"{request_commit.median_ms / trivial_post.median_ms:.2f}",
                "(EMAIL_DELIVERY=commit)",
            ),
        ],
    )
    print(f"({next(sent)} booking requests sent during the run)")


def main() -> int:
    logging.disable(logging.WARNING)
    # No throttle: the benchmark sends many requests from one address on purpose.
    PublicWriteThrottle.THROTTLE_RATES = {"public_write": None}
    with (
        harness.throwaway_database(),
        override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]),
    ):
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
