"""The staff calendar as a timeline: a week of rooms × days, a day of rooms, each room's
day a track of 5-minute columns from the window's first hour."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import BookingStatus, ClosureReason
from bookings.services import booking_cancel, closure_create
from frontend.timeline_css import stylesheet
from tests.factories import at, house_hours, make_room, working_day
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
    assert re.search(r"Request</span>\s*<span class=\"entry-time\">12:00–13:00", row)
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


def day_page(client, day) -> str:
    response = client.get(reverse("frontend:staff-calendar-day"), {"date": day.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


def span_of(classes: str, first_hour: int = 7) -> tuple[str, str]:
    """The local times a timeline item covers, read back from its grid classes."""
    start = int(re.search(r"\bgs-(\d+)", classes)[1])
    span = int(re.search(r"\bge-(\d+)", classes)[1])
    begin = first_hour * 60 + (start - 1) * 5
    end = begin + span * 5
    return f"{begin // 60:02d}:{begin % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"


def items(row: str, kind: str) -> list[tuple[str, str]]:
    """(classes, inner HTML) of the row's items of one CSS class: bar, buffer, shade, slot."""
    found = re.findall(r'<a class="([^"]*)"[^>]*>(.*?)</a>', row, re.S)
    found += re.findall(r'<span class="([^"]*)"[^>]*>(.*?)</span>', row, re.S)
    return [(classes, inner) for classes, inner in found if kind in classes.split()]


def test_day_view_draws_a_booking_as_one_bar_over_its_hours(staff_client, staff_user, room):
    day = working_day()
    approved_for(room, day, 9, 11, actor=staff_user, title="Aamukokous")
    row = row_of(day_page(staff_client, day), room.name)
    bars = [(classes, inner) for classes, inner in items(row, "bar") if "Aamukokous" in inner]
    assert len(bars) == 1
    assert span_of(bars[0][0]) == ("09:00", "11:00")
    assert "entry-approved" in bars[0][0]


def test_buffers_are_drawn_beside_their_bar(staff_client, staff_user, hours):
    room = make_room(capacity=10, setup_buffer_minutes=30, cleanup_buffer_minutes=15)
    day = working_day()
    approved_for(room, day, 10, 12, actor=staff_user, title="Puskurit")
    row = row_of(day_page(staff_client, day), room.name)
    assert [span_of(classes) for classes, _inner in items(row, "buffer")] == [
        ("09:30", "10:00"),
        ("12:00", "12:15"),
    ]
    assert "30 min setup before and 15 min cleanup after" in row


def test_closed_hours_are_shaded(staff_client, db):
    house_hours(opens=time(9), closes=time(17))
    room = make_room(capacity=10)
    day = working_day()
    row = row_of(day_page(staff_client, day), room.name)
    shaded = [span_of(classes) for classes, _inner in items(row, "shade-hours")]
    assert shaded == [("07:00", "09:00"), ("17:00", "22:00")]


def test_a_closure_is_shaded_over_all_its_rows(staff_client, staff_user, hall):
    whole, east, west = hall
    day = working_day()
    closure_create(
        actor=staff_user,
        start=at(day, 12),
        end=at(day, 14),
        reason=ClosureReason.CLEANING,
        rooms=[whole],
    )
    html = day_page(staff_client, day)
    for name in (whole.name, east.name, west.name):
        closures = items(row_of(html, name), "closure")
        assert [span_of(classes) for classes, _inner in closures] == [("12:00", "14:00")]


def test_overlapping_requests_take_lanes_of_their_own(staff_client, room):
    day = working_day()
    request_for(room, day, 9, 11, title="Ensimmäinen")
    request_for(room, day, 10, 12, title="Toinen")
    row = row_of(day_page(staff_client, day), room.name)
    lanes = sorted(
        re.search(r"\blane-(\d+)", classes)[1]
        for classes, inner in items(row, "bar")
        if "entry-requested" in classes
    )
    assert lanes == ["1", "2"]
    assert 'class="track cols-180 lanes-2"' in row


def test_empty_times_link_to_a_new_booking_with_room_and_time(staff_client, staff_user, room):
    day = working_day()
    approved_for(room, day, 9, 11, actor=staff_user, title="Aamu")
    request_for(room, day, 13, 14, title="Pyyntö")  # a request does not take the time
    row = row_of(day_page(staff_client, day), room.name)
    slots = [span_of(classes) for classes, _inner in items(row, "slot")]
    assert ("07:00", "08:00") in slots and ("13:00", "14:00") in slots
    assert not any(start in ("09:00", "10:00") for start, _end in slots)
    assert f"Book {room.name}, {day:%d.%m.%Y} 13:00–14:00" in row
    link = re.search(r'href="([^"]*start_time=13:00[^"]*)"', row)[1].replace("&amp;", "&")
    page = staff_client.get(link).content.decode()
    assert re.search(rf'<option value="{room.pk}" selected>', page)
    assert f'value="{day.isoformat()}"' in page
    assert re.search(r'name="start_time" value="13:00"', page)
    assert re.search(r'name="end_time" value="14:00"', page)


def test_a_reader_who_cannot_book_sees_no_empty_time_links(client, accounting_user, room):
    client.force_login(accounting_user)
    row = row_of(day_page(client, working_day()), room.name)
    assert not items(row, "slot")


def test_a_new_booking_page_ignores_a_query_that_does_not_read(staff_client, room):
    response = staff_client.get(
        reverse("frontend:staff-booking-new"),
        {"room": "x", "day": "2026-13-40", "start_time": "25:00"},
    )
    assert response.status_code == 200


def test_the_timeline_stylesheet_is_the_generated_one():
    written = (settings.BASE_DIR / "frontend/static/frontend/timeline.css").read_text()
    assert written == stylesheet(), "run `make timeline-css`"


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
    assert html.count('class="bar entry entry-') >= 500
    assert many == few
    assert whole.name in html


def test_renter_text_in_the_calendar_is_escaped(staff_client, room):
    day = working_day()
    request_for(room, day, 9, 10, title="<script>alert(1)</script>", organisation="A & B ry")
    html = week(staff_client, day)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B ry" in html
