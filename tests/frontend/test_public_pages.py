"""The renter's pages: rooms, a room's week, the request form, the status page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings

from bookings.models import Booking, BookingStatus, Customer
from bookings.services import booking_approve, booking_request_create
from tests.factories import at, make_room, renter
from tests.frontend.conftest import form_data

pytestmark = pytest.mark.django_db


def form_url(room, language: str = "") -> str:
    prefix = f"/{language}" if language else ""
    return f"{prefix}/rooms/{room.slug}/request/"


def send(client, room, day, language: str = "", **changes):
    return client.post(form_url(room, language), form_data(day, **changes))


def token_of(response) -> str:
    return re.search(r"/request/([^/]+)/sent/", response["Location"]).group(1)


def test_room_list_shows_capacity_equipment_price_and_accessibility(client, priced_room):
    page = client.get("/en/").content.decode()
    assert "Meeting room" in page
    assert "12 people" in page
    assert "projector" in page
    assert "Step-free entrance" in page
    assert "40.00 € an hour" in page
    assert "VAT Act s. 27" in page and "0 %" not in page


def test_room_list_hides_rooms_the_public_cannot_request(client, priced_room):
    make_room(slug="varasto", name_fi="Varasto", is_public=False)
    assert "Varasto" not in client.get("/").content.decode()


def test_room_page_shows_the_week_with_states_in_words(client, priced_room, day):
    booking_request_create(
        room=priced_room,
        start=at(day, 10),
        end=at(day, 12),
        title="Toinen",
        attendees=3,
        renter=renter(),
        accept_terms=True,
    )
    page = client.get(f"/en/rooms/{priced_room.slug}/?week={day.isoformat()}").content.decode()
    assert "Requested" in page
    assert "Free" in page
    assert f"?date={day.isoformat()}&amp;start=14:00" in page
    assert "Next week" in page and "Previous week" in page


def test_unknown_room_is_not_found(client, db):
    assert client.get("/rooms/nothing/").status_code == 404


def test_sending_the_form_stores_the_request_and_shows_the_confirmation(client, priced_room, day):
    response = send(client, priced_room, day, language="sv")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED
    assert booking.language == "sv"
    assert booking.start == at(day, 10)
    page = client.get(response["Location"]).content.decode()
    assert "maija@example.org" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Fill in: Event title."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("attendees", "13", "The room takes at most 12 people."),
        ("attendees", "0", "Ensure this value is greater than or equal to 1."),
        ("business_id", "1234567-2", "Enter a valid Finnish business ID"),
        ("accept_terms", None, "Accept the terms and the privacy notice to continue."),
        ("start_time", "10:10", "The start must be on the 30-minute grid."),
        ("end_time", "09:00", "The end must be after the start."),
        ("title", "x" * 201, "Ensure this value has at most 200 characters"),
        ("message", "x" * 2001, "Ensure this value has at most 2000 characters"),
        ("phone", "1" * 41, "Ensure this value has at most 40 characters"),
    ],
)
def test_each_refusal_is_shown_next_to_its_field_and_nothing_is_written(
    client, priced_room, day, field, value, message
):
    response = send(client, priced_room, day, language="en", **{field: value})
    assert response.status_code == 400
    page = response.content.decode()
    error_block = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert error_block and message in error_block.group(1)
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"', page) or re.search(
        rf'aria-invalid="true"[^>]*id="id_{field}"', page
    )
    assert f'aria-describedby="id_{field}_error' in page
    assert 'id="error-summary"' in page
    assert "Turun Perhetyö ry" in page  # what was typed is kept
    assert not Booking.objects.exists()
    assert not Customer.objects.exists()


def test_refusals_are_in_the_renters_language(client, priced_room, day):
    page = send(client, priced_room, day, language="sv", attendees="13").content.decode()
    assert "Lokalen rymmer högst 12 personer." in page or "12" in page
    assert 'lang="sv"' in page


def test_a_valid_business_id_is_kept_in_its_printed_form(client, priced_room, day):
    send(client, priced_room, day, business_id="23319727")
    assert Booking.objects.get().business_id == "2331972-7"


def test_taken_time_shows_the_clash_and_the_next_free_slot(client, priced_room, day, staff_user):
    other = booking_request_create(
        room=priced_room,
        start=at(day, 10),
        end=at(day, 12),
        title="Toinen",
        attendees=3,
        renter=renter(email="toinen@example.org"),
        accept_terms=True,
    ).booking
    booking_approve(booking=other, actor=staff_user)
    response = send(client, priced_room, day, language="en", start_time="11:00", end_time="12:00")
    page = response.content.decode()
    assert response.status_code == 400
    assert "The time clashes with" in page
    # 09:45–12:15 is held with buffers; ours needs 15 min before too: 12:30 is next.
    assert "The next free time of the same length that day is 12:30–13:30." in page
    assert "toinen@example.org" not in page and "Toinen" not in page
    assert Booking.objects.count() == 1


def test_recurring_request_lists_which_dates_clash(client, priced_room, day, staff_user):
    blocker = booking_request_create(
        room=priced_room,
        start=at(day + timedelta(days=7), 10),
        end=at(day + timedelta(days=7), 12),
        title="Toinen",
        attendees=3,
        renter=renter(email="toinen@example.org"),
        accept_terms=True,
    ).booking
    booking_approve(booking=blocker, actor=staff_user)
    response = send(client, priced_room, day, language="en", repeat="weekly", count="3")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Some dates of the series are not available." in page
    assert page.count("Not available") == 1
    assert Booking.objects.count() == 1


def test_recurring_request_without_clashes_creates_every_date(client, priced_room, day):
    response = send(client, priced_room, day, repeat="weekly", interval_weeks="2", count="3")
    assert response.status_code == 302
    starts = list(Booking.objects.values_list("start", flat=True))
    assert starts == [at(day + timedelta(days=14 * n), 10) for n in range(3)]


def test_filled_honeypot_writes_nothing_and_sends_nothing(client, priced_room, day):
    response = send(client, priced_room, day, website="http://spam.example")
    assert response.status_code == 200
    assert not Booking.objects.exists()
    assert mail.outbox == []


@override_settings(RENTER_FORM_RATE_LIMIT=(2, 3600))
def test_rate_limit_refuses_the_third_post_from_one_address(client, priced_room, day):
    assert send(client, priced_room, day, title="").status_code == 400
    assert send(client, priced_room, day, title="").status_code == 400
    response = send(client, priced_room, day)
    assert response.status_code == 429
    assert not Booking.objects.exists()


def test_status_page_shows_only_that_request_and_cancels_it(client, priced_room, day):
    mine = send(client, priced_room, day, language="en")
    send(client, priced_room, day, email="other@example.org", contact_name="Olli Other")
    token = token_of(mine)
    page = client.get(f"/en/request/{token}/")
    assert page["Referrer-Policy"] == "same-origin"
    assert "noindex" in page["X-Robots-Tag"]
    text = page.content.decode()
    assert "Requested" in text and "Olli Other" not in text
    asked = client.post(f"/en/request/{token}/").content.decode()
    assert (
        "Withdraw the request?" in asked
        and "Withdrawing a request not yet approved is free" in asked
    )
    assert Booking.objects.get(email="maija@example.org").status == "requested"
    response = client.post(f"/en/request/{token}/", {"confirm": "yes"}, follow=True)
    assert "Cancelled" in response.content.decode()
    statuses = dict(Booking.objects.values_list("email", "status"))
    assert statuses == {"maija@example.org": "cancelled", "other@example.org": "requested"}
    again = client.get(f"/en/request/{token}/").content.decode()
    assert "Withdraw the request" not in again and "Your booking is cancelled" in again


def test_status_page_offers_the_calendar_file_once_approved(client, priced_room, day, staff_user):
    token = token_of(send(client, priced_room, day, language="en"))
    assert "booking.ics" not in client.get(f"/en/request/{token}/").content.decode()
    booking_approve(booking=Booking.objects.get(), actor=staff_user)
    page = client.get(f"/en/request/{token}/").content.decode()
    assert f"/en/request/{token}/booking.ics" in page
    assert "Cancel the booking…" in page and "Your booking is approved" in page


def test_unknown_status_token_is_not_found(client, db):
    assert client.get("/request/not-a-token/").status_code == 404
    assert client.post("/request/not-a-token/").status_code == 404


def test_estimate_prices_the_chosen_time(client, priced_room, day):
    response = client.get(
        f"/en/rooms/{priced_room.slug}/estimate/",
        {"date": day.isoformat(), "start_time": "10:00", "end_time": "12:30"},
    )
    assert response.status_code == 200
    assert response.json()["gross"] == "100.00"
    assert "100.00" in response.json()["text"]


def test_an_odd_extra_quantity_is_ignored_not_a_server_error(client, priced_room, day):
    query = {"date": day.isoformat(), "start_time": "10:00", "end_time": "12:30"}
    plain = client.get(f"/en/rooms/{priced_room.slug}/estimate/", query)
    odd = client.get(f"/en/rooms/{priced_room.slug}/estimate/", {**query, "extra_coffee": "²"})
    assert odd.status_code == 200 and odd.json() == plain.json()


def test_terms_and_privacy_pages_exist_in_each_language(client, db):
    assert "Varaus" in client.get("/terms/").content.decode()
    assert "Avbokning" in client.get("/sv/terms/").content.decode()
    assert "Your rights" in client.get("/en/privacy/").content.decode()


def test_without_javascript_the_renter_can_check_time_and_price_before_sending(
    client, priced_room, day, staff_user
):
    other = booking_request_create(
        room=priced_room,
        start=at(day, 10),
        end=at(day, 12),
        title="Toinen",
        attendees=3,
        renter=renter(email="toinen@example.org"),
        accept_terms=True,
    ).booking
    booking_approve(booking=other, actor=staff_user)
    free = send(
        client, priced_room, day, language="en", start_time="14:00", end_time="16:00", preview="1"
    )
    page = free.content.decode()
    assert free.status_code == 200
    assert "This time is free." in page
    assert "Estimate: 80.00 €" in page
    assert 'value="Turun Perhetyö ry"' in page
    assert "error-summary" not in page
    taken = send(client, priced_room, day, language="en", start_time="11:00", preview="1")
    assert "This time is taken." in taken.content.decode()
    assert Booking.objects.count() == 1


def test_room_page_offers_webcal_and_https_subscribe_links(client, hours, settings):
    from tests.factories import make_room

    make_room(slug="kokoushuone")
    page = client.get("/en/rooms/kokoushuone/").content.decode()
    feed = f"{settings.SITE_URL}/en/ical/rooms/kokoushuone.ics"
    assert f'href="{feed}"' in page
    assert f'href="webcal://{feed.split("://", 1)[1]}"' in page
