"""The renter's form, the page after sending and the status page in Chromium, on a desktop
and on a 390×844 phone (issue 14, parts 3, 5, 6, 7): every error in one pass and cleared
as fixed, only what applies shown, the running summary, the confirmation, each state of
the status page, cancelling with a confirmation step, changing a pending request.
axe-core finds nothing serious or critical on any of them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bookings.models import Booking, BookingStatus, HouseInfo
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_reject,
    booking_request_create,
    booking_staff_create,
    bookings_expire,
)
from tests.browser.conftest import axe_violations, fits_the_screen
from tests.browser.test_renter_journey import fill_renter
from tests.factories import at, house_hours, make_room, renter, working_day
from tests.frontend.conftest import price_room

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room():
    house_hours()
    room = make_room(slug="kokoushuone", capacity=12, name_en="Meeting room")
    price_room(room)
    HouseInfo.objects.update_or_create(
        pk=1,
        defaults={
            "address": "Sirkkalankatu 27, 20700 Turku",
            "entry_en": "Ring the bell at the yard door.",
            "contact_en": "Booking staff, 040 123 4567",
        },
    )
    return room


def no_violations(page, state: str) -> None:
    assert axe_violations(page) == [], f"{state} on {page.screen_name}"


def request_of(room, day, hour: int = 10):
    return booking_request_create(
        room=room,
        start=at(day, hour),
        end=at(day, hour + 2),
        title="Vanhempainilta",
        attendees=8,
        renter=renter(language="en"),
        accept_terms=True,
    )


def summary_fields(page) -> set[str]:
    return set(
        page.locator("#error-summary a").evaluate_all("els => els.map(a => a.dataset.field)")
    )


def test_one_pass_errors_clear_as_they_are_fixed(screen, room, staff_user):
    page = screen
    day = working_day(14)
    booking_staff_create(
        room=room, start=at(day, 10), end=at(day, 12), title="Oma", attendees=2, actor=staff_user
    )
    page.goto(f"/en/rooms/{room.slug}/request/?date={day.isoformat()}&start=10:00&end=12:00")
    assert page.locator("#id_interval_weeks").is_hidden()  # "only once" hides the series
    page.check('input[name="repeat"][value="weekly"]')
    assert page.locator("#id_interval_weeks").is_visible()
    assert page.locator('input[name="weekdays"]').count() == 7
    page.check('input[name="repeat"][value=""]')
    page.fill("#id_title", "Vanhempainilta")
    page.fill("#id_attendees", "40")
    page.fill("#id_business_id", "1234567-8")
    page.locator("form#request-form button[type=submit]:not([name])").click()

    page.wait_for_selector("#error-summary")
    found = summary_fields(page)
    assert {"id_attendees", "id_business_id", "id_email", "id_accept_terms"} <= found
    assert "id_start_time" in found  # the clash, in the same pass
    assert page.locator("#clash-info").is_visible()
    no_violations(page, "form with every error")
    fits_the_screen(page)

    page.fill("#id_email", "maija@example.org")
    assert "id_email" not in summary_fields(page)
    assert page.locator("#id_email_error").count() == 0
    assert page.get_attribute("#id_email", "aria-invalid") is None
    page.check('input[name="renter_kind"][value="person"]')
    assert page.locator("#id_business_id").is_hidden()
    assert page.locator("#id_e_invoice_address").is_hidden()
    assert Booking.objects.count() == 1


def test_the_running_summary_sits_beside_the_fields_or_above_the_send_button(screen, room):
    page = screen
    day = working_day(14)
    page.goto(f"/en/rooms/{room.slug}/request/?date={day.isoformat()}&start=10:00&end=12:00")
    page.locator("#estimate", has_text="80").wait_for()
    summary = page.locator("#request-summary").bounding_box()
    send = page.locator("form#request-form button[type=submit]:not([name])").bounding_box()
    title = page.locator("#id_title").bounding_box()
    if page.screen_name == "desktop":
        assert summary["x"] > title["x"] + title["width"]  # a column of its own
    else:
        assert summary["y"] < send["y"] and summary["y"] > title["y"]
    assert "Meeting room" in page.locator("#request-summary").inner_text()
    assert "10:00–12:00" in page.locator("#summary-time").inner_text()
    no_violations(page, "form with its summary")
    fits_the_screen(page)


def test_the_page_after_sending_restates_the_request(screen, room):
    page = screen
    day = working_day(14)
    page.goto(f"/en/rooms/{room.slug}/request/?date={day.isoformat()}&start=13:00&end=15:00")
    fill_renter(page)
    page.locator("form#request-form button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"/request/[^/]+/sent/$"))
    text = page.locator("main").inner_text()
    assert "Meeting room" in text and "13:00–15:00" in text and "Vanhempainilta" in text
    assert "What happens next" in text and "maija@example.org" in text
    assert "Booking staff decide by" in text
    no_violations(page, "sent")
    fits_the_screen(page)


STATES = {
    "requested": "Your booking request is waiting for a decision",
    "approved": "Your booking is approved",
    "rejected": "Your booking request was not approved",
    "cancelled": "Your booking is cancelled",
    "expired": "Your booking request expired",
    "past": "Your booking is over",
}


def test_each_state_of_the_status_page(screen, room, staff_user, clock):
    page = screen
    day = working_day(20)
    made = {state: request_of(room, day + timedelta(days=7 * n), 10)
            for n, state in enumerate(STATES)}  # fmt: skip
    booking_approve(booking=made["approved"].booking, actor=staff_user)
    booking_reject(booking=made["rejected"].booking, actor=staff_user, message="Remontti.")
    booking_cancel(booking=made["cancelled"].booking, actor=staff_user, reason="Vesivahinko")
    booking_approve(booking=made["past"].booking, actor=staff_user)
    pages = {}
    for state, result in made.items():
        page.goto(f"/en/request/{result.status_token}/")
        pages[state] = page.locator("h1").inner_text()
        if state in ("requested", "approved"):
            assert "Ring the bell at the yard door." in page.locator("main").inner_text()
            assert page.locator("text=Cancellation terms").count() == 1
        no_violations(page, f"status {state}")
        fits_the_screen(page)
    assert pages["requested"] == STATES["requested"]
    assert pages["approved"] == STATES["approved"]
    # Later: the expired request's and the past booking's times have come and gone.
    clock.move_to(made["past"].booking.end + timedelta(hours=1))
    bookings_expire()
    for state in ("expired", "past"):
        page.goto(f"/en/request/{made[state].status_token}/")
        pages[state] = page.locator("h1").inner_text()
        no_violations(page, f"status {state}")
    assert pages == STATES


def test_cancelling_asks_first_and_tells_the_fee(screen, room, staff_user, clock):
    page = screen
    day = working_day(20)
    result = request_of(room, day)
    booking_approve(booking=result.booking, actor=staff_user)
    clock.move_to(result.booking.start - timedelta(days=10))
    page.goto(f"/en/request/{result.status_token}/")
    assert "Cancelling now costs" in page.locator(".fee-now").inner_text()
    cancel = page.get_by_role("button", name="Cancel the booking…")
    assert "secondary" in cancel.get_attribute("class")  # never the page's primary action
    cancel.click()

    page.locator("form.confirm-actions").wait_for()
    assert "50 % of the room price" in page.locator("main").inner_text()
    no_violations(page, "cancel confirmation")
    fits_the_screen(page)
    page.get_by_role("link", name="No, keep it").click()
    assert Booking.objects.get().status == BookingStatus.APPROVED

    page.get_by_role("button", name="Cancel the booking…").click()
    page.get_by_role("button", name="Yes, cancel the booking").click()
    page.locator("h1", has_text="Your booking is cancelled").wait_for()
    booking = Booking.objects.get()
    assert (booking.status, booking.cancellation_fee_percent) == ("cancelled", 50)
    no_violations(page, "status cancelled with a fee")


def test_the_renter_changes_a_pending_request(screen, room):
    page = screen
    day = working_day(14)
    result = request_of(room, day)
    page.goto(f"/en/request/{result.status_token}/")
    page.get_by_role("link", name="Change the time, attendees or extras").click()
    assert page.input_value("#id_start_time") == "10:00"
    no_violations(page, "change form")
    fits_the_screen(page)
    page.fill("#id_attendees", "99")
    page.locator("main form button[type=submit]").click()
    assert "The room takes at most 12 people." in page.locator("#error-summary").inner_text()
    no_violations(page, "change form with an error")

    page.fill("#id_attendees", "11")
    page.fill("#id_start_time", "14:00")
    page.fill("#id_end_time", "16:00")
    page.locator("main form button[type=submit]").click()
    page.locator("h1", has_text="waiting for a decision").wait_for()
    assert "14:00–16:00" in page.locator("main").inner_text()
    booking = Booking.objects.get()
    assert (booking.start, booking.attendees) == (at(day, 14), 11)


def test_contact_details_are_remembered_only_when_asked(page, room):
    day = working_day(14)
    form = f"/en/rooms/{room.slug}/request/?date={day.isoformat()}&start=10:00&end=12:00"
    page.goto(form)
    fill_renter(page, email="first@example.org")
    page.locator("form#request-form button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"/sent/$"))
    page.goto(form)
    assert page.input_value("#id_email") == ""  # not ticked: nothing kept

    fill_renter(page, email="kept@example.org")
    page.check("#remember-me")
    page.fill("#id_start_time", "13:00")
    page.fill("#id_end_time", "15:00")
    page.locator("form#request-form button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"/sent/$"))
    page.goto(form)
    assert page.input_value("#id_email") == "kept@example.org"
    assert page.input_value("#id_organisation") == "Turun Perhetyö ry"
    assert page.is_checked("#remember-me")
