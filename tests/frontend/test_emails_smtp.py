"""The SMTP path for real: Django's SMTP backend against a local aiosmtpd server."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from bookings.models import Booking
from bookings.services import booking_approve
from frontend.models import OutgoingEmail
from tests.frontend.conftest import form_data
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


def request_and_approve(client, room, day, staff_user, capture) -> str:
    with capture(execute=True):
        response = client.post(f"/en/rooms/{room.slug}/request/", form_data(day))
    token = re.search(r"/request/([^/]+)/sent/", response["Location"]).group(1)
    with capture(execute=True):
        booking_approve(booking=Booking.objects.get(), actor=staff_user)
    return token


def test_smtp_sends_a_multipart_email_with_the_ics(
    client,
    priced_room,
    day,
    staff_user,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    token = request_and_approve(
        client, priced_room, day, staff_user, django_capture_on_commit_callbacks
    )
    approved = next(m for m in smtp_server.messages if "approved" in m["Subject"])
    assert approved.is_multipart()
    assert approved.get_body(("plain",)) is not None
    assert approved.get_body(("html",)) is not None
    (attachment,) = list(approved.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "heideken-booking.ics"
    download = client.get(f"/en/request/{token}/booking.ics").content
    assert attachment.get_payload(decode=True) == download
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 0


def test_a_refusing_server_leaves_a_stored_failure_that_the_command_delivers(
    client,
    priced_room,
    day,
    staff_user,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    smtp_server.refusing = True
    request_and_approve(client, priced_room, day, staff_user, django_capture_on_commit_callbacks)
    waiting = OutgoingEmail.objects.filter(sent_at__isnull=True)
    assert set(waiting.values_list("kind", flat=True)) == {
        "received",
        "staff_new_request",
        "approved",
    }
    assert all("554" in item.last_error for item in waiting)
    assert smtp_server.messages == []

    smtp_server.refusing = False
    call_command("send_pending_emails")
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert len(subjects) == 3 and any("approved" in s for s in subjects)


def test_a_closed_port_leaves_a_stored_failure(
    client, priced_room, day, django_capture_on_commit_callbacks
):
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=free_port(),
            EMAIL_TIMEOUT=5,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(f"/en/rooms/{priced_room.slug}/request/", form_data(day))
    failed = OutgoingEmail.objects.get(kind="received")
    assert failed.sent_at is None and failed.attempts == 1 and failed.last_error


@pytest.mark.django_db(transaction=True)  # the worker reconnects between rounds
def test_the_worker_neither_connects_for_nothing_nor_stops_when_the_server_is_down(
    client, priced_room, day
):
    closed = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        EMAIL_TIMEOUT=5,
        EMAIL_DELIVERY="worker",
    )
    with closed:
        call_command("send_pending_emails")  # nothing to send: no connection tried
        client.post(f"/en/rooms/{priced_room.slug}/request/", form_data(day))
        call_command("send_pending_emails", every=0.01, rounds=2)
    failed = OutgoingEmail.objects.get(kind="received")
    assert failed.sent_at is None and failed.attempts == 2
    assert "Connection refused" in failed.last_error or "Errno" in failed.last_error
