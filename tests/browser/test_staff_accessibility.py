"""axe-core on every staff page and form: no serious or critical violations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from bookings.models import Booking, ClosureReason
from bookings.recurrence import Recurrence
from bookings.services import booking_series_request_create, closure_create
from tests.browser.conftest import axe_violations
from tests.factories import at, house_hours, make_room, renter, working_day
from tests.frontend.staff_world import approved_for, request_for

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-staff-axe-123"


@dataclass
class World:
    request: Booking
    approved: Booking
    occurrence: Booking


@pytest.fixture
def world(django_user_model) -> World:
    user = django_user_model.objects.create_user("varaaja", "v@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Booking staff")[0])
    house_hours()
    east = make_room(name_en="East half", capacity=30)
    west = make_room(name_en="West half", capacity=30)
    hall = make_room(name_en="Hall", capacity=60, parts=[east, west])
    day = working_day()
    wanted = request_for(hall, day, 10, 12, title="Pyyntö", business_id="0112038-9")
    request_for(east, day, 11, 13, title="Kilpaileva")
    approved = approved_for(west, day, 14, 16, actor=user, title="Hyväksytty")
    closure_create(
        actor=user,
        start=at(day, 18),
        end=at(day, 20),
        reason=ClosureReason.CLEANING,
        rooms=[east],
    )
    series = booking_series_request_create(
        room=west,
        start=at(day, 8),
        end=at(day, 9),
        recurrence=Recurrence(count=2),
        title="Sarja",
        attendees=4,
        renter=renter(),
        accept_terms=True,
    )
    return World(wanted, approved, series.bookings[0])


def log_in(page) -> None:
    page.goto(reverse("frontend:staff-login"))
    page.get_by_label("Username").fill("varaaja")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/")


PAGES = {
    "queue": lambda w: reverse("frontend:staff-queue"),
    "queue, every state": lambda w: reverse("frontend:staff-queue") + "?status=",
    "calendar week": lambda w: (
        reverse("frontend:staff-calendar-week") + f"?date={w.request.start.date().isoformat()}"
    ),
    "calendar day": lambda w: (
        reverse("frontend:staff-calendar-day") + f"?date={w.request.start.date().isoformat()}"
    ),
    "detail of a request": lambda w: reverse("frontend:staff-booking", args=[w.request.pk]),
    "detail of a series date": lambda w: reverse("frontend:staff-booking", args=[w.occurrence.pk]),
    "approve form": lambda w: reverse("frontend:staff-approve", args=[w.request.pk]),
    "reject form": lambda w: reverse("frontend:staff-reject", args=[w.request.pk]),
    "cancel form": lambda w: reverse("frontend:staff-cancel", args=[w.approved.pk]),
    "move form": lambda w: reverse("frontend:staff-move", args=[w.approved.pk]),
    "new booking form": lambda w: reverse("frontend:staff-booking-new"),
    "closures": lambda w: reverse("frontend:staff-closures"),
    "feeds": lambda w: reverse("frontend:staff-feeds"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_staff_page_has_no_serious_accessibility_violations(page, world, name):
    log_in(page)
    page.goto(PAGES[name](world))
    assert axe_violations(page) == []


def test_login_page_has_no_serious_accessibility_violations(page):
    page.goto(reverse("frontend:staff-login"))
    assert axe_violations(page) == []


def test_forms_with_errors_have_no_serious_accessibility_violations(page, world):
    log_in(page)
    page.goto(reverse("frontend:staff-booking-new"))
    page.get_by_role("button", name="Book").click()  # the browser's own checks first
    page.evaluate("document.querySelector('form[data-renter-toggle]').noValidate = true")
    page.get_by_role("button", name="Book").click()
    assert page.locator("[aria-invalid=true]").count() > 0
    assert axe_violations(page) == []

    page.goto(reverse("frontend:staff-move", args=[world.approved.pk]))
    page.get_by_role("combobox", name="Room").select_option(label="East half")
    page.get_by_label("Start time").fill("18:00")  # into the closure of the east half
    page.get_by_label("End time").fill("19:00")
    page.get_by_role("button", name="Save the change").click()
    assert page.get_by_role("alert").get_by_text("Nothing was saved.").is_visible()
    assert axe_violations(page) == []


def test_a_shown_feed_address_has_no_serious_accessibility_violations(page, world):
    log_in(page)
    page.goto(reverse("frontend:staff-feeds"))
    page.get_by_label("Name of the feed").fill("Puhelin")
    page.get_by_role("button", name="Create the feed").click()
    assert page.get_by_text("it is shown only this once").is_visible()
    assert axe_violations(page) == []
