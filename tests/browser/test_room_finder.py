"""Finding a room and a time in Chromium, on a desktop and on a 390×844 phone: the front
page's finder, a room page's start-time buttons and day-by-day week, and the alternatives
a clash offers. axe-core finds nothing serious or critical on the way."""

from __future__ import annotations

import pytest

from bookings.models import Booking
from bookings.services import booking_staff_create
from tests.browser.conftest import axe_violations, fits_the_screen
from tests.browser.test_renter_journey import fill_renter, pick_time
from tests.factories import at, house_hours, make_room, working_day
from tests.frontend.conftest import price_room

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rooms():
    house_hours()
    small = make_room(slug="kokoushuone", capacity=12, name_en="Meeting room", has_projector=True)
    hall = make_room(slug="sali", capacity=40, name_en="Hall", has_projector=True)
    make_room(slug="keittio", capacity=30, name_en="Kitchen room", has_kitchen=True)
    price_room(small)
    price_room(hall, hourly="60.00")
    return small, hall


def test_the_finder_lists_free_rooms_and_carries_the_time_into_the_form(screen, rooms, staff_user):
    page = screen
    small, _hall = rooms
    day = working_day()
    booking_staff_create(
        actor=staff_user, room=small, start=at(day, 12), end=at(day, 14), title="X", attendees=3
    )
    page.goto("/en/")
    assert axe_violations(page) == []
    page.fill("#id_date", day.isoformat())
    page.fill("#id_from", "13:00")
    page.fill("#id_to", "16:00")
    page.fill("#id_attendees", "8")
    page.get_by_label("projector").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("#results-heading")
    free = page.locator("ul[aria-labelledby=results-heading] > li")
    assert free.count() == 1 and "Hall" in free.inner_text()
    assert "180.00 €" in free.inner_text()
    busy = page.locator("ul[aria-labelledby=busy-heading] > li").inner_text()
    assert "Meeting room" in busy and "14:30–17:30" in busy
    assert "Kitchen room" not in page.content()
    fits_the_screen(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Request Hall for this time").click()
    assert page.input_value("#id_date") == day.isoformat()
    assert (page.input_value("#id_start_time"), page.input_value("#id_end_time")) == (
        "13:00",
        "16:00",
    )
    assert page.input_value("#id_attendees") == "8"


def test_start_time_buttons_and_every_day_of_the_week(screen, rooms, staff_user):
    page = screen
    small, _hall = rooms
    day = working_day()
    booking_staff_create(
        actor=staff_user, room=small, start=at(day, 10), end=at(day, 12), title="X", attendees=3
    )
    page.goto(f"/en/rooms/{small.slug}/?week={day.isoformat()}")
    page.select_option("#id_day", day.isoformat())
    page.select_option("#id_duration", "120")
    page.get_by_role("button", name="Show free start times").click()
    buttons = page.locator(".start-buttons a")
    texts = buttons.all_inner_texts()
    assert texts[:3] == ["07:00–09:00", "07:30–09:30", "12:30–14:30"]
    assert axe_violations(page) == []
    fits_the_screen(page)
    if page.screen_name == "phone":
        assert not page.locator("table.week").is_visible()
        links = page.locator(".day-links a")
        assert links.count() == 7
        last = links.nth(6)
        last.click()
        section = page.locator(".week-day").nth(6)
        assert section.is_visible() and section.locator("h3").is_visible()
    else:
        assert page.locator("table.week").is_visible()
        assert not page.locator(".week-days").is_visible()
    page.get_by_role("link", name="12:30–14:30").click()
    assert (page.input_value("#id_start_time"), page.input_value("#id_end_time")) == (
        "12:30",
        "14:30",
    )


def test_a_clash_offers_other_times_filled_in_place_and_other_rooms(screen, rooms, staff_user):
    page = screen
    small, hall = rooms
    day = working_day()
    booking_staff_create(
        actor=staff_user, room=small, start=at(day, 10), end=at(day, 12), title="X", attendees=3
    )
    page.goto(f"/en/rooms/{small.slug}/request/")
    pick_time(page, day, "11:00", "12:00")
    fill_renter(page)
    page.locator("form#request-form button[type=submit]:not([name])").click()
    page.wait_for_selector("#alternative-times-heading")
    assert axe_violations(page) == []
    fits_the_screen(page)
    other_rooms = page.locator("ul[aria-labelledby=alternative-rooms-heading]").inner_text()
    assert "Hall" in other_rooms
    page.locator("a[data-fill-start='12:30']").click()
    assert (page.input_value("#id_start_time"), page.input_value("#id_end_time")) == (
        "12:30",
        "13:30",
    )
    assert page.input_value("#id_organisation") == "Turun Perhetyö ry"  # nothing retyped
    page.locator("form#request-form button[type=submit]:not([name])").click()
    page.wait_for_url("**/sent/")
    assert Booking.objects.filter(room=small, status="requested").count() == 1
    assert not Booking.objects.filter(room=hall).exists()
