"""The staff workspace in a browser, as booking staff use it (Debian's Chromium)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from bookings.models import Booking, BookingStatus, Closure, ClosureReason
from bookings.recurrence import Recurrence
from bookings.services import booking_series_request_create, closure_create
from tests.factories import at, house_hours, make_room, renter, working_day
from tests.frontend.staff_world import approved_for, request_for

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-staff-browser-123"


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("varaaja", "v@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Booking staff")[0])
    return user


@pytest.fixture
def sali(db):
    house_hours()
    return make_room(slug="sali", name_fi="Sali", name_en="Hall", capacity=30)


def log_in(page, user, then: str) -> None:
    """Log in through the form, as a person would, landing on `then`."""
    page.goto(then)
    assert "/staff/login/" in page.url
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(then) + "$"))


def status_of(booking: Booking) -> str:
    booking.refresh_from_db()
    return booking.status


def test_staff_find_a_new_request_with_its_clash_badge(page, staff, sali):
    day = working_day()
    request_for(sali, day, 17, 18, title="Iltakoulutus", organisation="Uusi ry")
    closure_create(
        actor=staff,
        start=at(day, 17),
        end=at(day, 19),
        reason=ClosureReason.CLEANING,
        rooms=[sali],
    )
    log_in(page, staff, reverse("frontend:staff-queue"))
    row = page.get_by_role("row").filter(has_text="Iltakoulutus")
    assert row.get_by_text("Clashes with a booking or closure").is_visible()
    assert row.get_by_text("Uusi ry").is_visible()
    page.get_by_label("Organisation or contact").fill("uusi")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("status").filter(has_text="1 row").is_visible()


def test_approve_one_of_two_competing_requests_and_reject_the_other(page, staff, sali):
    day = working_day()
    chosen = request_for(sali, day, 10, 12, title="Valittu", organisation="Eka ry")
    rival = request_for(sali, day, 11, 13, title="Kilpailija", organisation="Toka ry")
    log_in(page, staff, reverse("frontend:staff-queue"))
    row = page.get_by_role("row").filter(has_text="Kilpailija")
    assert row.get_by_text("Competes with 1 request").is_visible()

    page.get_by_role("link", name="Valittu", exact=True).click()
    page.get_by_role("link", name="Approve…").click()
    assert page.get_by_role("heading", name=re.compile("makes 1 competing request")).is_visible()
    assert page.get_by_label(re.compile("Kilpailija")).is_checked()
    page.get_by_label("Message to the renters of the rejected requests").fill(
        "Sali on jo varattu tuolle ajalle."
    )
    page.get_by_role("button", name="Approve", exact=True).click()

    assert page.get_by_text("The booking was approved.").is_visible()
    assert page.get_by_text(f"Rejected: #{rival.pk} Kilpailija.").is_visible()
    assert status_of(chosen) == BookingStatus.APPROVED
    assert status_of(rival) == BookingStatus.REJECTED
    assert rival.decision_message == "Sali on jo varattu tuolle ajalle."


def test_reject_a_request_with_a_message(page, staff, sali):
    booking = request_for(sali, working_day(), 10, 12, title="Hylättävä")
    log_in(page, staff, reverse("frontend:staff-booking", args=[booking.pk]))
    page.get_by_role("link", name="Reject…").click()
    page.get_by_label("Message to the renter").fill("Sali on remontissa.")
    page.get_by_role("button", name="Reject").click()
    assert page.get_by_text("The request was rejected.").is_visible()
    assert status_of(booking) == BookingStatus.REJECTED


def test_moving_a_booking_onto_another_is_refused_with_the_clash(page, staff, sali):
    day = working_day()
    booking = approved_for(sali, day, 9, 10, actor=staff, title="Aamupala")
    other = approved_for(sali, day, 13, 15, actor=staff, title="Iltapäivä")
    log_in(page, staff, reverse("frontend:staff-booking", args=[booking.pk]))
    page.get_by_role("link", name="Change time or room…").click()
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("15:00")
    page.get_by_role("button", name="Save the change").click()

    alert = page.get_by_role("alert")
    assert alert.get_by_text("Nothing was saved.").is_visible()
    assert f"“Iltapäivä” (#{other.pk})" in alert.inner_text()
    booking.refresh_from_db()
    assert booking.start == at(day, 9)


def test_approve_a_series_skipping_its_clashing_date(page, staff, sali):
    day = working_day()
    series = booking_series_request_create(
        room=sali,
        start=at(day, 17),
        end=at(day, 18),
        recurrence=Recurrence(count=3),
        title="Viikkoryhmä",
        attendees=6,
        renter=renter(),
        accept_terms=True,
    )
    first, second, third = series.bookings
    second_day = second.start.astimezone(at(day, 0).tzinfo).date()
    approved_for(sali, second_day, 16, 18, actor=staff, title="Este")
    log_in(page, staff, reverse("frontend:staff-booking", args=[first.pk]))
    table = page.get_by_role("table", name="Every date of this recurring booking")
    assert (
        table.get_by_role("row")
        .filter(has_text=f"{second_day:%d.%m.%Y}")
        .get_by_text("Clashes with a booking or closure")
        .is_visible()
    )
    page.get_by_label(re.compile("Skip the clashing dates")).check()
    page.get_by_role("button", name="Approve the series").click()

    assert page.get_by_text("Approved 2 dates of the series.").is_visible()
    assert page.get_by_text(re.compile(f"Skipped and rejected.*{second_day:%d.%m.%Y}")).is_visible()
    assert [status_of(b) for b in (first, second, third)] == [
        BookingStatus.APPROVED,
        BookingStatus.REJECTED,
        BookingStatus.APPROVED,
    ]


def test_create_a_closure_for_a_room(page, staff, sali):
    day = working_day()
    log_in(page, staff, reverse("frontend:staff-closures"))
    page.get_by_role("checkbox", name="Hall").check()
    page.get_by_label("First day").fill(day.isoformat())
    page.get_by_label("Start time").fill("08:00")
    page.get_by_label("Last day").fill(day.isoformat())
    page.get_by_label("End time").fill("12:00")
    page.get_by_role("combobox", name="Reason").select_option(ClosureReason.RENOVATION)
    page.get_by_label("Note").fill("Lattiahionta")
    page.get_by_role("button", name="Close", exact=True).click()

    assert page.get_by_text("The closure was made.").is_visible()
    row = page.get_by_role("row").filter(has_text="Lattiahionta")
    assert row.get_by_text("Hall").is_visible()
    closure = Closure.objects.get()
    assert (closure.start, closure.end) == (at(day, 8), at(day, 12))

    page.goto(reverse("frontend:staff-calendar-week") + f"?date={day.isoformat()}")
    calendar_row = page.get_by_role("row").filter(has_text="Hall")
    assert calendar_row.get_by_text("Closed").first.is_visible()
