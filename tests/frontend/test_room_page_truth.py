"""The room page tells the truth (SPEC §2.12): nothing past or inside the notice is free,
states differ in words, a phone gets every day, and free start times lead to the form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.services import booking_staff_create
from frontend.views.public_grid import week_start
from tests.factories import at, working_day

pytestmark = pytest.mark.django_db


def room_page(client, room, **params):
    return client.get(f"/en/rooms/{room.slug}/", params).content.decode()


def test_this_weeks_past_and_notice_times_are_not_shown_as_free(client, priced_room):
    today = timezone.localdate()
    page = room_page(client, priced_room, week=today.isoformat())
    soon = timezone.now() + timedelta(hours=48)
    for day, clock in re.findall(r"request/\?date=([\d-]+)&amp;start=([\d:]+)", page):
        assert f"{day}T{clock}" >= timezone.localtime(soon).strftime("%Y-%m-%dT%H:%M")
    if week_start(today) == week_start(today + timedelta(days=2)):
        assert "Not requestable" in page


def test_a_week_of_the_past_offers_nothing(client, priced_room):
    page = room_page(client, priced_room, week=(timezone.localdate() - timedelta(7)).isoformat())
    assert "request/?date=" not in page
    assert ">Free<" not in page
    assert "Not requestable" in page


def test_states_differ_in_words_in_the_grid_and_day_by_day(client, priced_room, staff_user):
    day = working_day()
    booking_staff_create(
        actor=staff_user,
        room=priced_room,
        start=at(day, 10),
        end=at(day, 12),
        title="X",
        attendees=2,
    )
    page = room_page(client, priced_room, week=day.isoformat())
    days = page.split('class="week-days"')[1]
    assert days.count('class="week-day"') == 7
    section = days.split(f'id="day-{day.isoformat()}"')[1].split("</section>")[0]
    assert re.search(r"09:30–12:30</span> Reserved", section)
    assert re.search(r"07:00–09:30</span> <a [^>]*>Free</a>", section)


def test_free_start_times_for_a_duration_carry_room_and_time_into_the_form(
    client, priced_room, staff_user
):
    day = working_day()
    booking_staff_create(
        actor=staff_user,
        room=priced_room,
        start=at(day, 10),
        end=at(day, 12),
        title="X",
        attendees=2,
    )
    page = room_page(client, priced_room, week=day.isoformat(), day=day.isoformat(), duration=120)
    buttons = page.split('class="start-buttons"')[1].split("</ul>")[0]
    starts = re.findall(r">(\d\d:\d\d)–(\d\d:\d\d)</a>", buttons)
    assert starts[:3] == [("07:00", "09:00"), ("07:30", "09:30"), ("12:30", "14:30")]
    query = f"?date={day.isoformat()}&amp;start=12:30&amp;end=14:30"
    link = f"/en/rooms/{priced_room.slug}/request/{query}"
    assert link in buttons
    form = client.get(
        f"/en/rooms/{priced_room.slug}/request/",
        {"date": day.isoformat(), "start": "12:30", "end": "14:30"},
    ).content.decode()
    assert 'value="12:30"' in form and 'value="14:30"' in form


def test_a_bad_start_time_choice_shows_no_times_and_no_error_page(client, priced_room):
    response = client.get(f"/en/rooms/{priced_room.slug}/", {"day": "someday", "duration": "7"})
    assert response.status_code == 200
    assert 'class="start-buttons"' not in response.content.decode()
