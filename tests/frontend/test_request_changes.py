"""The renter changes a pending request from the status link (issue 14, part 6): checked
again by the booking services, staff told; a decided request or a clash changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from bookings.models import AuditEntry, Booking, BookingStatus
from bookings.services import booking_approve, booking_staff_create
from tests.factories import at, working_day
from tests.frontend.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(client, priced_room, booking_staff, django_capture_on_commit_callbacks):
    day = working_day(14)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/en/rooms/{priced_room.slug}/request/", form_data(day))
    mail.outbox.clear()
    return day, re.search(r"/request/([^/]+)/sent/", sent["Location"]).group(1)


def change(client, token, day, capture, **fields):
    data = {
        "date": day.isoformat(),
        "start_time": "13:00",
        "end_time": "15:00",
        "attendees": "8",
        **fields,
    }
    with capture(execute=True):
        return client.post(f"/en/request/{token}/change/", data)


def test_the_renter_moves_a_pending_request_and_staff_are_told(
    client, pending, django_capture_on_commit_callbacks
):
    day, token = pending
    page = client.get(f"/en/request/{token}/").content.decode()
    assert f"/en/request/{token}/change/" in page
    form = client.get(f"/en/request/{token}/change/").content.decode()
    assert 'value="10:00"' in form and 'value="10"' in form  # today's values to start from

    response = change(client, token, day, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.start, booking.end, booking.attendees) == (at(day, 13), at(day, 15), 8)
    assert booking.status == BookingStatus.REQUESTED
    assert AuditEntry.objects.filter(booking=booking, action="moved").exists()
    (staff,) = [m for m in mail.outbox if "varaukset@heideken.example" in m.to]
    assert "Vuokraaja muutti pyyntöään" in staff.subject
    after = client.get(f"/en/request/{token}/").content.decode()
    assert "13:00–15:00" in after


def test_a_change_is_checked_like_a_new_request(
    client, pending, priced_room, staff_user, django_capture_on_commit_callbacks
):
    day, token = pending
    booking_staff_create(
        room=priced_room, start=at(day, 13), end=at(day, 15), title="Oma", attendees=2,
        actor=staff_user,
    )  # fmt: skip
    clash = change(client, token, day, django_capture_on_commit_callbacks)
    too_many = change(
        client, token, day, django_capture_on_commit_callbacks, start_time="16:00",
        end_time="18:00", attendees="500",
    )  # fmt: skip
    assert clash.status_code == 400 and "clashes" in clash.content.decode().lower()
    assert too_many.status_code == 400 and "12" in too_many.content.decode()
    booking = Booking.objects.get(title="Vanhempainilta")
    assert (booking.start, booking.attendees) == (at(day, 10), 10)
    assert not [m for m in mail.outbox if "varaukset@heideken.example" in m.to]


def test_a_decided_request_cannot_be_changed(
    client, pending, staff_user, django_capture_on_commit_callbacks
):
    day, token = pending
    booking_approve(booking=Booking.objects.get(), actor=staff_user)
    assert f"/request/{token}/change/" not in client.get(f"/en/request/{token}/").content.decode()
    response = change(client, token, day, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Booking.objects.get().start == at(day, 10)
