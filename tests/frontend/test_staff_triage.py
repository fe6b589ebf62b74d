"""The queue for triage: a series as one row with its dates inside, how long a request
has waited, its price estimate, who asks, and decisions taken from the row."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from bookings.models import Booking, BookingStatus
from bookings.recurrence import Recurrence
from bookings.services import booking_series_request_create
from tests.factories import at, renter, working_day
from tests.frontend.conftest import price_room
from tests.frontend.staff_world import approved_for, request_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def queue_html(client, language: str = "en") -> str:
    with translation.override(language):
        url = reverse("frontend:staff-queue")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, booking: Booking) -> str:
    start = html.index(f'data-booking="{booking.pk}"')
    return html[start : html.index("</tr>", start)]


def weekly(room, day, count=8, **who):
    return booking_series_request_create(
        room=room,
        start=at(day, 17),
        end=at(day, 19),
        recurrence=Recurrence(count=count),
        title=who.pop("title", "Kuoro"),
        attendees=5,
        renter=renter(**who),
        accept_terms=True,
    )


def test_a_series_is_one_row_with_its_dates_inside(staff_client, room):
    day = working_day(repeats=8)
    made = weekly(room, day)
    html = queue_html(staff_client)
    assert html.count("data-series=") == 1
    row = row_of(html, made.bookings[0])
    assert f"every {day:%A}, 8 times" in row
    assert "<summary>8 dates</summary>" in row
    for booking in made.bookings:
        assert reverse("frontend:staff-booking", args=[booking.pk]) in row
    assert "1 row" in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "joka {day}, 8 kertaa"), ("sv", "varje {day}, 8 gånger")],
)
def test_the_series_is_told_in_the_page_language(staff_client, room, language, words):
    day = working_day(repeats=8)
    made = weekly(room, day)
    with translation.override(language):
        from django.utils.dates import WEEKDAYS

        name = str(WEEKDAYS[day.weekday()])
    html = queue_html(staff_client, language)
    row = row_of(html, made.bookings[0])
    assert words.format(day=name) in row
    assert "FREQ=" not in html


def test_a_clashing_date_shows_inside_the_series_and_stops_the_row_decision(
    staff_client, staff_user, room
):
    day = working_day(repeats=3)
    made = weekly(room, day, count=3)
    approved_for(room, day + timedelta(weeks=1), 17, 18, actor=staff_user, title="Esteenä")
    row = row_of(queue_html(staff_client), made.bookings[0])
    dates = row[row.index("<details") : row.index("</details>")]
    assert dates.count("Clashes with a booking or closure") == 1
    assert reverse("frontend:staff-series-approve", args=[made.series.pk]) not in row
    assert "Decide on its page" in row


def test_waiting_since_is_told_in_words(staff_client, room, clock):
    booking = request_for(room, working_day(), 9, 10)
    clock.move_to(timezone.now() + timedelta(days=3, hours=2, minutes=1))
    # Django's words keep a number and its unit together with no-break spaces.
    english = row_of(queue_html(staff_client), booking).replace("\xa0", " ")
    finnish = row_of(queue_html(staff_client, "fi"), booking).replace("\xa0", " ")
    assert "3 days, 2 hours" in english
    assert "3 päivää, 2 tuntia" in finnish


def test_the_row_shows_the_price_estimate_and_whether_a_member_asks(staff_client, room):
    price_room(room, hourly="40.00")
    booking = request_for(room, working_day(), 9, 11)
    row = row_of(queue_html(staff_client), booking)
    assert "80.00 €" in row
    assert "External" in row


def test_approve_from_the_row_returns_to_the_queue(
    staff_client, room, django_capture_on_commit_callbacks
):
    booking = request_for(room, working_day(), 9, 10, title="Rivistä")
    row = row_of(queue_html(staff_client), booking)
    action = re.search(r'<form method="post" action="([^"]*/approve/)"', row)[1]
    sequence = re.search(r'name="sequence" value="(\d+)"', row)[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(action, {"sequence": sequence, "back": "queue"})
    assert response["Location"] == reverse("frontend:staff-queue")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED


def test_a_stale_row_decision_changes_nothing(staff_client, room):
    booking = request_for(room, working_day(), 9, 10)
    response = staff_client.post(
        reverse("frontend:staff-approve", args=[booking.pk]),
        {"sequence": booking.sequence + 1, "back": "queue"},
    )
    assert response["Location"] == reverse("frontend:staff-queue")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_reject_a_whole_series_from_its_row_with_one_email(
    staff_client, room, django_capture_on_commit_callbacks
):
    day = working_day(repeats=4)
    made = weekly(room, day, count=4, email="kuoro@example.org")
    mail.outbox.clear()
    first = made.bookings[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("frontend:staff-series-reject", args=[made.series.pk]),
            {
                "seen": first.pk,
                "sequence": first.sequence,
                "message": "Sali on varattu.",
                "back": "queue",
            },
        )
    assert response["Location"] == reverse("frontend:staff-queue")
    statuses = set(Booking.objects.filter(series=made.series).values_list("status", flat=True))
    assert statuses == {BookingStatus.REJECTED}
    assert [message.to for message in mail.outbox] == [["kuoro@example.org"]]


def test_rejecting_a_series_needs_a_message(staff_client, room):
    day = working_day(repeats=2)
    made = weekly(room, day, count=2)
    staff_client.post(
        reverse("frontend:staff-series-reject", args=[made.series.pk]),
        {"seen": made.bookings[0].pk, "sequence": 0, "message": "", "back": "queue"},
    )
    statuses = set(Booking.objects.filter(series=made.series).values_list("status", flat=True))
    assert statuses == {BookingStatus.REQUESTED}


def test_accounting_sees_the_queue_without_decisions(client, accounting_user, room):
    booking = request_for(room, working_day(), 9, 10)
    client.force_login(accounting_user)
    row = row_of(queue_html(client), booking)
    assert "<form" not in row
