"""The staff calendar: a week of rooms × days, a day of rooms × hours."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import BookingStatus, ClosureReason
from bookings.services import booking_cancel, closure_create
from tests.factories import at, make_room, working_day
from tests.frontend.staff_world import approved_for, bulk_bookings, request_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def row_of(html: str, room_name: str) -> str:
    """The calendar's row of one room, as HTML."""
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\".*?</tr>", html, re.S)
    for row in rows:
        if re.search(rf">\s*{re.escape(room_name)}\s*<", row):
            return row
    raise AssertionError(f"no row for {room_name}")


def week(client, day) -> str:
    response = client.get(reverse("frontend:staff-calendar-week"), {"date": day.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


def test_week_tells_approved_requested_and_closed_apart_by_text(staff_client, staff_user, room):
    day = working_day()
    approved_for(room, day, 9, 10, actor=staff_user, title="Hyväksytty tilaisuus")
    request_for(room, day, 12, 13, title="Pyydetty tilaisuus")
    closure_create(
        actor=staff_user,
        start=at(day, 18),
        end=at(day, 20),
        reason=ClosureReason.CLEANING,
        rooms=[room],
    )
    row = row_of(week(staff_client, day), room.name)
    assert re.search(r"Approved</span>\s*<span class=\"entry-time\">09:00–10:00", row)
    assert re.search(r"Requested</span>\s*<span class=\"entry-time\">12:00–13:00", row)
    assert re.search(r"Closed</span>\s*<span class=\"entry-time\">18:00–20:00", row)
    assert "Hyväksytty tilaisuus" in row and "Cleaning" in row


def test_week_leaves_out_cancelled_bookings(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 9, 10, actor=staff_user, title="Peruttu")
    booking_cancel(booking=booking, actor=staff_user, reason="Ei tarvita")
    assert "Peruttu" not in week(staff_client, day)


def test_a_combined_room_is_shown_with_its_parts_holding_its_booking(
    staff_client, staff_user, hall
):
    whole, east, west = hall
    day = working_day()
    approved_for(whole, day, 9, 11, actor=staff_user, title="Juhla")
    html = week(staff_client, day)
    assert html.index(whole.name) < html.index(east.name) < html.index(west.name)
    assert f"combined: {east.name} + {west.name}" in html
    east_row = row_of(html, east.name)
    assert "Juhla" in east_row and f"booked as {whole.name}" in east_row
    assert "Juhla" in row_of(html, west.name)


def test_a_booking_links_to_its_detail(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 9, 10, actor=staff_user)
    assert reverse("frontend:staff-booking", args=[booking.pk]) in week(staff_client, day)


def test_week_moves_by_previous_next_and_jumps_to_a_date(staff_client, room):
    day = working_day()
    monday = day - timedelta(days=day.weekday())
    html = week(staff_client, day)
    assert f'?date={(monday - timedelta(days=7)).isoformat()}" rel="prev"' in html
    assert f'?date={(monday + timedelta(days=7)).isoformat()}" rel="next"' in html
    assert f"{monday:%d.%m.}–{monday + timedelta(days=6):%d.%m.%Y}" in html


def test_day_view_puts_an_entry_in_its_hours(staff_client, staff_user, room):
    day = working_day()
    approved_for(room, day, 9, 11, actor=staff_user, title="Aamukokous")
    html = staff_client.get(
        reverse("frontend:staff-calendar-day"), {"date": day.isoformat()}
    ).content.decode()
    cells = re.findall(r"<td>(.*?)</td>", row_of(html, room.name), re.S)
    hours = list(range(7, 22))
    with_entry = [hours[i] for i, cell in enumerate(cells) if "Aamukokous" in cell]
    assert with_entry == [9, 10]
    assert "continues" in cells[hours.index(10)]


def calendar_queries(client, day) -> int:
    with CaptureQueriesContext(connection) as captured:
        week(client, day)
    return len(captured.captured_queries)


def test_week_costs_the_same_queries_for_50_and_500_bookings(staff_client, hours):
    rooms = [make_room(capacity=10) for _ in range(20)]
    whole = make_room(capacity=20, parts=rooms[:2])
    monday = working_day() - timedelta(days=working_day().weekday()) + timedelta(days=7)
    bulk_bookings(rooms, monday, 50)
    few = calendar_queries(staff_client, monday)
    bulk_bookings(rooms, monday, 450, status=BookingStatus.REQUESTED)
    html = week(staff_client, monday)
    many = calendar_queries(staff_client, monday)
    assert html.count('class="entry entry-') >= 500
    assert many == few
    assert whole.name in html


def test_renter_text_in_the_calendar_is_escaped(staff_client, room):
    day = working_day()
    request_for(room, day, 9, 10, title="<script>alert(1)</script>", organisation="A & B ry")
    html = week(staff_client, day)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B ry" in html
