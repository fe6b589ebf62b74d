"""Cancellation terms (SPEC §2.13): the house default and a room's override, the status
page's terms and fee now, the confirmation step, staff told, and the fee invoiced."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from bookings.models import Booking, BookingStatus, HouseInfo
from bookings.services import booking_approve
from invoicing.models import BookingPrice
from invoicing.selectors import bookings_to_invoice
from invoicing.services import invoice_create_draft, seller_settings_update
from tests.factories import working_day
from tests.frontend.conftest import form_data
from tests.invoicing.conftest import SELLER

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(client, priced_room, staff_user, booking_staff, django_capture_on_commit_callbacks):
    """An approved two-hour booking 30 days ahead, and its status link."""
    day = working_day(30)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/en/rooms/{priced_room.slug}/request/", form_data(day))
    token = re.search(r"/request/([^/]+)/sent/", sent["Location"]).group(1)
    booking = Booking.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        booking_approve(booking=booking, actor=staff_user)
    mail.outbox.clear()
    return Booking.objects.get(), token


def room_gross(booking: Booking) -> Decimal:
    (line,) = BookingPrice.objects.get(booking=booking).lines
    return Decimal(line["gross"])


def cancel(client, token: str, capture) -> str:
    with capture(execute=True):
        page = client.post(f"/en/request/{token}/", {"confirm": "yes"}, follow=True)
    return page.content.decode()


def test_cancelling_in_time_is_free_and_staff_are_told(
    client, approved, clock, django_capture_on_commit_callbacks
):
    booking, token = approved
    clock.move_to(booking.start - timedelta(days=15))
    page = client.get(f"/en/request/{token}/").content.decode()
    assert "Cancelling now is free." in page and "Free until" in page

    cancel(client, token, django_capture_on_commit_callbacks)

    booking.refresh_from_db()
    assert (booking.status, booking.cancellation_fee_percent) == ("cancelled", 0)
    (staff_message,) = [m for m in mail.outbox if "varaukset@heideken.example" in m.to]
    assert "Vuokraaja perui varauksen" in staff_message.subject
    assert "ei peruutusmaksua" in staff_message.body
    assert not bookings_to_invoice(
        customer=booking.customer, first_day=booking.start.date(), last_day=booking.end.date()
    ).exists()


def test_a_late_cancellation_costs_half_the_room_price_and_is_invoiced(
    client, approved, clock, django_capture_on_commit_callbacks
):
    booking, token = approved
    seller_settings_update(actor=None, **SELLER)
    clock.move_to(booking.start - timedelta(days=10))
    half = (room_gross(booking) / 2).quantize(Decimal("0.01"))
    page = client.get(f"/en/request/{token}/").content.decode()
    assert f"Cancelling now costs {half} € (50 % of the room price)." in page

    asked = client.post(f"/en/request/{token}/").content.decode()
    assert "Cancel the booking?" in asked and f"{half} €" in asked
    assert Booking.objects.get().status == BookingStatus.APPROVED  # only asked so far

    after = cancel(client, token, django_capture_on_commit_callbacks)

    assert "Your booking is cancelled" in after and "50 % of the room price" in after
    booking.refresh_from_db()
    assert booking.cancellation_fee_percent == 50
    staff_message = next(m for m in mail.outbox if "varaukset@heideken.example" in m.to)
    assert "50 % tilan hinnasta, laskutetaan" in staff_message.body
    chosen = list(
        bookings_to_invoice(
            customer=booking.customer, first_day=booking.start.date(), last_day=booking.end.date()
        )
    )
    draft = invoice_create_draft(bookings=chosen, actor=None)
    (line,) = draft.lines.all()
    snapshot_line = BookingPrice.objects.get(booking=booking).lines[0]
    assert line.description.startswith("Cancellation fee 50 % of Meeting room")
    assert line.vat_code == snapshot_line["vat_code"]
    assert line.net == (Decimal(snapshot_line["net"]) / 2).quantize(Decimal("0.01"))


def test_within_two_days_the_whole_room_price_and_a_rooms_own_terms_win(
    client, approved, clock, django_capture_on_commit_callbacks
):
    booking, token = approved
    clock.move_to(booking.start - timedelta(days=1))
    assert "(100 % of the room price)" in client.get(f"/en/request/{token}/").content.decode()

    room = booking.room
    room.last_minute_percent = 80
    room.save()
    assert "(80 % of the room price)" in client.get(f"/en/request/{token}/").content.decode()
    cancel(client, token, django_capture_on_commit_callbacks)
    booking.refresh_from_db()
    assert booking.cancellation_fee_percent == 80


def test_withdrawing_a_request_is_free_and_tells_staff_nothing(
    client, priced_room, booking_staff, django_capture_on_commit_callbacks
):
    day = working_day(3)
    sent = client.post(f"/en/rooms/{priced_room.slug}/request/", form_data(day))
    token = re.search(r"/request/([^/]+)/sent/", sent["Location"]).group(1)
    mail.outbox.clear()
    cancel(client, token, django_capture_on_commit_callbacks)
    booking = Booking.objects.get()
    assert (booking.status, booking.cancellation_fee_percent) == ("cancelled", 0)
    assert not [m for m in mail.outbox if "varaukset@heideken.example" in m.to]


def test_the_api_shows_the_terms_now(client, approved, clock):
    booking, token = approved
    clock.move_to(booking.start - timedelta(days=10))
    (row,) = client.get(f"/api/v1/booking-requests/{token}/").json()
    free_until = booking.start - timedelta(days=14)
    assert row["cancellation"]["free_until"].startswith(free_until.astimezone().date().isoformat())
    assert row["cancellation"]["fee_percent"] == 50
    assert Decimal(row["cancellation"]["fee"]) == (room_gross(booking) / 2).quantize(
        Decimal("0.01")
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", "Peruutusehdot"),
        ("sv", "Avbokningsvillkor"),
        ("en", "Cancellation terms"),
    ],
)
def test_status_page_shows_the_house_texts_in_the_renters_language(
    client, approved, language, words
):
    _booking, token = approved
    HouseInfo.objects.update_or_create(
        pk=1,
        defaults={
            "address": "Sirkkalankatu 27, Turku",
            "entry_fi": "Ovikoodi tulee tekstiviestillä.",
            "entry_sv": "Dörrkoden kommer som sms.",
            "entry_en": "The door code comes by text message.",
        },
    )
    prefix = "" if language == "fi" else f"/{language}"
    page = client.get(f"{prefix}/request/{token}/").content.decode()
    entry = {
        "fi": "Ovikoodi tulee tekstiviestillä.",
        "sv": "Dörrkoden kommer som sms.",
        "en": "The door code comes by text message.",
    }[language]
    assert "Sirkkalankatu 27, Turku" in page and entry in page and words in page


def test_house_and_room_terms_are_edited_in_the_admin(admin_client, priced_room):
    house = admin_client.get("/admin/bookings/houserules/1/change/").content.decode()
    assert 'name="free_cancel_days"' in house and 'value="14"' in house
    room = admin_client.get(f"/admin/bookings/room/{priced_room.pk}/change/").content.decode()
    assert 'name="late_cancel_percent"' in room
    info = admin_client.get("/admin/bookings/houseinfo/add/")
    assert info.status_code == 200 and 'name="entry_sv"' in info.content.decode()


def test_the_queue_lists_the_renters_cancellation_with_its_fee(
    client, approved, clock, staff_user, django_capture_on_commit_callbacks
):
    booking, token = approved
    clock.move_to(booking.start - timedelta(days=10))
    cancel(client, token, django_capture_on_commit_callbacks)
    client.force_login(staff_user)
    queue = client.get("/en/staff/").content.decode()
    assert "Cancelled by renters in the last two weeks" in queue
    assert "fee 50 % of the room price, to invoice" in queue and booking.title in queue
