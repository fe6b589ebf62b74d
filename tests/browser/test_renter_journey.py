"""A renter's journey in a real browser: find a room, pick a free time, see the estimate,
send the request, get the e-mail, open the status link, cancel. axe-core checks every
page and state on the way (no serious or critical violations)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from bookings.models import Booking
from bookings.services import booking_approve, booking_request_create
from tests.browser.conftest import axe_violations
from tests.factories import at, house_hours, make_room, renter, working_day
from tests.frontend.conftest import price_room

pytestmark = pytest.mark.django_db(transaction=True)

PREFIX = {"fi": "", "sv": "/sv", "en": "/en"}
NAMES = {"fi": "Kokoushuone", "sv": "Mötesrum", "en": "Meeting room"}


@pytest.fixture
def room():
    house_hours()
    room = make_room(
        slug="kokoushuone",
        capacity=12,
        name_fi=NAMES["fi"],
        name_sv=NAMES["sv"],
        name_en=NAMES["en"],
        has_projector=True,
        accessibility_fi="Esteetön sisäänkäynti",
    )
    price_room(room)
    return room


def no_violations(page, state: str) -> None:
    assert axe_violations(page) == [], state


def fill_renter(page, *, email: str = "maija@example.org") -> None:
    page.fill("#id_title", "Vanhempainilta")
    page.fill("#id_attendees", "10")
    page.fill("#id_organisation", "Turun Perhetyö ry")
    page.fill("#id_contact_name", "Maija Meikäläinen")
    page.fill("#id_email", email)
    page.fill("#id_phone", "+358 40 123 4567")
    page.fill("#id_billing_address", "Esimerkkikatu 1, 20100 Turku")
    page.check("#id_accept_terms")


def pick_time(page, day, start: str, end: str) -> None:
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", start)
    page.fill("#id_end_time", end)
    page.locator("#id_end_time").dispatch_event("change")


def status_link(address: str) -> str:
    message = next(m for m in mail.outbox if m.to == [address])
    return re.search(r"http://[^\s]+/request/[^/\s]+/", message.body).group(0)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_renter_requests_a_free_time_and_cancels(page, live_server, room, language):
    day = working_day(14)
    page.goto(f"{PREFIX[language]}/")
    assert page.locator("html").get_attribute("lang") == language
    no_violations(page, "room list")

    page.get_by_role("link", name=NAMES[language], exact=True).click()
    page.goto(f"{page.url}?week={day.isoformat()}")
    no_violations(page, "room page")
    page.locator(f'a[href*="date={day.isoformat()}&start=10:00"]').click()
    assert page.input_value("#id_date") == day.isoformat()
    assert page.input_value("#id_start_time") == "10:00"

    pick_time(page, day, "10:00", "12:00")
    # Waits through Playwright's selectors: a polled page function would need eval,
    # which the site's Content-Security-Policy refuses.
    page.locator("#estimate", has_text="80").wait_for()
    # Availability and the estimate are two requests that finish in either order.
    page.wait_for_selector('#live-availability[data-state="free"]', timeout=10_000)
    assert page.locator("#live-availability").get_attribute("data-state") == "free"
    fill_renter(page)
    no_violations(page, "form")
    page.locator("form#request-form button[type=submit]:not([name])").click()

    page.wait_for_url(re.compile(r"/request/[^/]+/sent/$"))
    no_violations(page, "confirmation")
    assert Booking.objects.get().language == language

    link = status_link("maija@example.org")
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert "Vanhempainilta" in page.content()
    no_violations(page, "status requested")

    page.locator("main form button[type=submit]").click()
    page.locator("form.confirm-actions").wait_for()  # asked first, nothing cancelled yet
    assert Booking.objects.get().status == "requested"
    no_violations(page, "cancel confirmation")
    page.locator("form.confirm-actions button[type=submit]").click()
    page.wait_for_load_state()
    assert Booking.objects.get().status == "cancelled"
    assert page.locator("main form").count() == 0
    no_violations(page, "status cancelled")
    kinds = [m.subject for m in mail.outbox if m.to == ["maija@example.org"]]
    assert len(kinds) == 2  # received, then cancelled


def test_renter_who_picks_a_taken_time_sees_the_clash_and_a_suggestion(page, room, staff_user):
    day = working_day(14)
    other = booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Toinen tilaisuus",
        attendees=3,
        renter=renter(email="toinen@example.org", contact_name="Olli Toinen"),
        accept_terms=True,
    ).booking
    booking_approve(booking=other, actor=staff_user)
    page.goto(f"/en/rooms/{room.slug}/request/")
    pick_time(page, day, "11:00", "12:00")
    page.locator("#live-availability[data-state=taken]").wait_for()
    fill_renter(page)
    page.locator("form#request-form button[type=submit]:not([name])").click()
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    text = page.locator("#clash-info").inner_text()
    assert "09:45–12:15" in text
    assert "12:30–13:30" in text
    assert page.input_value("#id_organisation") == "Turun Perhetyö ry"
    assert "Olli Toinen" not in page.content() and "toinen@example.org" not in page.content()
    no_violations(page, "form with errors")
    assert Booking.objects.count() == 1


def test_renter_without_javascript_sends_and_cancels(page_without_js, live_server, room):
    page = page_without_js
    day = working_day(14)
    page.goto(f"/en/rooms/{room.slug}/request/")
    pick_time(page, day, "13:00", "15:00")
    fill_renter(page, email="nojs@example.org")
    page.locator("button[name=preview]").click()
    assert "80" in page.locator("#estimate").inner_text()
    assert page.locator("#live-availability").get_attribute("data-state") == "free"
    assert page.input_value("#id_organisation") == "Turun Perhetyö ry"
    page.fill("#id_attendees", "99")
    page.locator("form#request-form button[type=submit]:not([name])").click()
    assert "The room takes at most 12 people." in page.locator("#id_attendees_error").inner_text()
    assert page.input_value("#id_title") == "Vanhempainilta"
    page.fill("#id_attendees", "10")
    page.check("#id_accept_terms")
    page.locator("form#request-form button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"/request/[^/]+/sent/$"))
    page.goto(status_link("nojs@example.org").replace("http://127.0.0.1:8000", live_server.url))
    page.locator("main form button[type=submit]").click()
    page.locator("form.confirm-actions button[type=submit]").click()
    assert Booking.objects.get().status == "cancelled"


def test_status_page_of_an_approved_booking_and_the_terms_pass_axe(
    page, live_server, room, staff_user
):
    day = working_day(14)
    result = booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Koulutus",
        attendees=5,
        renter=renter(language="en"),
        accept_terms=True,
    )
    booking_approve(booking=result.booking, actor=staff_user)
    page.goto(f"/en/request/{result.status_token}/")
    assert page.locator('a[href$="booking.ics"]').count() == 1
    no_violations(page, "status approved")
    for path in ("/terms/", "/sv/privacy/", "/en/terms/"):
        page.goto(path)
        no_violations(page, path)
