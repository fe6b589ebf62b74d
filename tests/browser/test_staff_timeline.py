"""The timeline calendar and the triage queue in a browser (Debian's Chromium): an empty
time starts a booking, a long booking is one bar, closed hours are shaded, decisions are
taken from the queue's rows, and the new pages pass axe-core."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from bookings.models import Booking, BookingStatus, OpeningHours
from bookings.recurrence import Recurrence
from bookings.services import booking_series_request_create
from tests.browser.conftest import axe_violations
from tests.factories import at, house_hours, make_room, renter, working_day
from tests.frontend.staff_world import approved_for, request_for

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-staff-timeline-123"


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("aikajana", "a@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Booking staff")[0])
    return user


@pytest.fixture
def sali(db):
    house_hours()
    return make_room(slug="sali", name_fi="Sali", name_en="Hall", capacity=30)


def log_in(page, user, then: str) -> None:
    page.goto(then)
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(then.split("?")[0])))


def day_url(day) -> str:
    return reverse("frontend:staff-calendar-day") + f"?date={day.isoformat()}"


def test_choosing_an_empty_time_starts_a_booking_with_room_and_time(page, staff, sali):
    day = working_day()
    log_in(page, staff, day_url(day))
    page.get_by_role("link", name=f"Book Hall, {day:%d.%m.%Y} 13:00–14:00").click()
    page.wait_for_url(re.compile("/staff/bookings/new/"))
    assert page.get_by_role("combobox", name="Room").input_value() == str(sali.pk)
    assert page.get_by_label(re.compile(r"^Date\b")).input_value() == day.isoformat()
    assert page.get_by_label("Start time").input_value() == "13:00"
    assert page.get_by_label("End time").input_value() == "14:00"
    page.get_by_label("Event title").fill("Aikajanalta")
    page.get_by_label("Attendees").fill("4")
    page.get_by_label("The house's own booking (no renter)").check()
    page.get_by_role("button", name="Book").click()
    assert page.get_by_text("The booking was made.").is_visible()
    booking = Booking.objects.get(title="Aikajanalta")
    assert (booking.room, booking.start, booking.end) == (sali, at(day, 13), at(day, 14))


def test_an_empty_time_is_reached_and_opened_by_keyboard(page, staff, sali):
    day = working_day()
    log_in(page, staff, day_url(day))
    link = page.get_by_role("link", name=f"Book Hall, {day:%d.%m.%Y} 10:00–11:00")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"start_time=10(%3A|:)00"))
    assert page.get_by_label("Start time").input_value() == "10:00"


def test_a_three_hour_booking_is_one_bar_as_wide_as_three_hours(page, staff, sali):
    day = working_day()
    approved_for(sali, day, 9, 12, actor=staff, title="Pitkä kokous")
    log_in(page, staff, day_url(day))
    bars = page.locator(".bar").filter(has_text="Pitkä kokous")
    assert bars.count() == 1
    bar = bars.first.bounding_box()
    nine = page.locator(".axis-hour").filter(has_text=re.compile("^09$")).bounding_box()
    twelve = page.locator(".axis-hour").filter(has_text=re.compile("^12$")).bounding_box()
    assert abs(bar["x"] - nine["x"]) < 3
    assert abs(bar["x"] + bar["width"] - twelve["x"]) < 3
    assert bars.first.get_by_text("Approved").is_visible()


def test_closed_hours_are_shaded_before_opening_and_after_closing(page, staff, db):
    OpeningHours.objects.bulk_create(
        OpeningHours(room=None, weekday=n, opens=time(9), closes=time(17)) for n in range(7)
    )
    make_room(slug="pieni", name_en="Small room", capacity=8)
    day = working_day()
    log_in(page, staff, day_url(day))
    row = page.get_by_role("row").filter(has_text="Small room")
    shades = row.locator(".shade-hours")
    assert shades.count() == 2
    nine = page.locator(".axis-hour").filter(has_text=re.compile("^09$")).bounding_box()
    seventeen = page.locator(".axis-hour").filter(has_text=re.compile("^17$")).bounding_box()
    morning, evening = shades.nth(0).bounding_box(), shades.nth(1).bounding_box()
    assert abs(morning["x"] + morning["width"] - nine["x"]) < 3
    assert abs(evening["x"] - seventeen["x"]) < 3
    background = shades.first.evaluate("node => getComputedStyle(node).backgroundImage")
    assert "gradient" in background
    assert not row.get_by_role("link", name=re.compile(r"Book Small room, .* 08:00")).count()


def test_approve_and_reject_from_queue_rows(page, staff, sali):
    day = working_day()
    keep = request_for(sali, day, 9, 10, title="Hyväksyttävä")
    drop = request_for(sali, day, 14, 15, title="Hylättävä")
    log_in(page, staff, reverse("frontend:staff-queue"))
    page.get_by_role("button", name=re.compile(r"^Approve\W+Hyväksyttävä")).click()
    assert page.get_by_text("The booking was approved.").is_visible()
    assert page.url.endswith(reverse("frontend:staff-queue"))

    row = page.get_by_role("row").filter(has_text="Hylättävä")
    row.get_by_text("Reject…").click()
    row.get_by_label("Message to the renter").fill("Sali on remontissa.")
    row.get_by_role("button", name="Reject", exact=True).click()
    assert page.get_by_text("The request was rejected.").is_visible()
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert (keep.status, drop.status) == (BookingStatus.APPROVED, BookingStatus.REJECTED)
    assert drop.decision_message == "Sali on remontissa."


def test_approve_a_whole_series_from_its_row(page, staff, sali):
    day = working_day(repeats=3)
    made = booking_series_request_create(
        room=sali,
        start=at(day, 17),
        end=at(day, 18),
        recurrence=Recurrence(count=3),
        title="Viikkoryhmä",
        attendees=6,
        renter=renter(),
        accept_terms=True,
    )
    log_in(page, staff, reverse("frontend:staff-queue"))
    row = page.get_by_role("row").filter(has_text="Viikkoryhmä")
    assert row.locator(".series-words").get_by_text(f"every {day:%A}, 3 times").is_visible()
    row.get_by_text("3 dates").click()
    assert row.get_by_role("link", name=re.compile(f"{day:%d.%m.%Y}")).is_visible()
    row.get_by_role("button", name=re.compile(r"^Approve all\W+Viikkoryhmä")).click()
    assert page.get_by_text("Approved 3 dates of the series.").is_visible()
    statuses = set(Booking.objects.filter(series=made.series).values_list("status", flat=True))
    assert statuses == {BookingStatus.APPROVED}


def test_new_pages_have_no_serious_accessibility_violations(page, staff, sali):
    day = working_day(repeats=2)
    approved_for(sali, day, 10, 12, actor=staff, title="Tiellä")
    booking_series_request_create(
        room=make_room(name_en="Side room", capacity=10),
        start=at(day, 17),
        end=at(day, 18),
        recurrence=Recurrence(count=2),
        title="Sarja",
        attendees=4,
        renter=renter(),
        accept_terms=True,
    )
    request_for(sali, day, 14, 15, title="Pyyntö")
    log_in(page, staff, reverse("frontend:staff-queue"))
    for details in page.locator("details").all():
        details.locator("summary").click()  # the series' dates and the reject forms open
    assert axe_violations(page) == []

    for url in (day_url(day), reverse("frontend:staff-calendar-week") + f"?date={day}"):
        page.goto(url)
        assert axe_violations(page) == []

    page.goto(reverse("frontend:staff-booking-new"))
    page.get_by_label("Repeat weekly").check()
    assert axe_violations(page) == []

    # An emergency closure over the approved booking: the confirmation page.
    page.goto(reverse("frontend:staff-closures"))
    page.get_by_role("checkbox", name="Hall").check()
    page.get_by_label("First day").fill(day.isoformat())
    page.get_by_label("Start time").fill("08:00")
    page.get_by_label("Last day").fill(day.isoformat())
    page.get_by_label("End time").fill("13:00")
    page.get_by_role("button", name="Close", exact=True).click()
    assert page.get_by_role("heading", name="Cancel the bookings in the way?").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Close and cancel 1 booking").click()
    assert page.get_by_text("1 booking was cancelled and its renter was e-mailed").is_visible()
