"""E-mails to renters and staff (SPEC §2.9): language, text and HTML, the .ics, on commit,
stored failures and their retry, reminders once."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from bookings.models import Booking
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_reject,
    booking_series_approve,
)
from frontend.models import OutgoingEmail
from tests.frontend.conftest import form_data

pytestmark = pytest.mark.django_db


def send_form(client, room, day, capture, language="en", **changes) -> str:
    with capture(execute=True):
        prefix = "" if language == "fi" else f"/{language}"
        response = client.post(f"{prefix}/rooms/{room.slug}/request/", form_data(day, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return re.search(r"/request/([^/]+)/sent/", response["Location"]).group(1)


def to_renter(address="maija@example.org"):
    return [message for message in mail.outbox if message.to == [address]]


def html_of(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_received_email_is_in_the_renters_language_with_the_status_link(
    client, priced_room, day, booking_staff, django_capture_on_commit_callbacks, language
):
    token = send_form(client, priced_room, day, django_capture_on_commit_callbacks, language)
    (message,) = to_renter()
    prefix = "" if language == "fi" else f"/{language}"
    link = f"http://127.0.0.1:8000{prefix}/request/{token}/"
    assert link in message.body and link in html_of(message)
    assert f'<html lang="{language}">' in html_of(message)
    room_name = {"fi": "Kokoushuone", "sv": "Mötesrum", "en": "Meeting room"}[language]
    assert room_name in message.body


def test_staff_get_one_email_per_new_request(
    client, priced_room, day, booking_staff, django_capture_on_commit_callbacks
):
    send_form(
        client, priced_room, day, django_capture_on_commit_callbacks, repeat="weekly", count="3"
    )
    staff = [m for m in mail.outbox if m.to == ["varaukset@heideken.example"]]
    assert len(staff) == 1
    first = Booking.objects.order_by("start").first()
    link = f"http://127.0.0.1:8000/staff/bookings/{first.pk}/"
    assert "Maija Meikäläinen" in staff[0].body and link in staff[0].body
    assert link in html_of(staff[0]) and "/admin/" not in staff[0].body
    assert len(to_renter()) == 1


def test_approved_email_has_the_price_and_the_same_ics_as_the_download(
    client, priced_room, day, staff_user, django_capture_on_commit_callbacks
):
    token = send_form(client, priced_room, day, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_approve(booking=Booking.objects.get(), actor=staff_user, message="Tervetuloa!")
    (message,) = to_renter()
    assert "approved" in message.subject
    assert "80.00 €" in message.body and "80.00 €" in html_of(message)
    assert "Tervetuloa!" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("heideken-booking.ics", "text/calendar")
    download = client.get(f"/en/request/{token}/booking.ics")
    content = content.encode() if isinstance(content, str) else content
    assert download.content == content


def test_approving_a_series_sends_one_email(
    client, priced_room, day, staff_user, django_capture_on_commit_callbacks
):
    send_form(
        client, priced_room, day, django_capture_on_commit_callbacks, repeat="weekly", count="4"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_series_approve(series=Booking.objects.first().series, actor=staff_user)
    (message,) = mail.outbox
    assert message.body.count(" (approved)") == 4


def test_rejected_email_carries_the_staff_message(
    client, priced_room, day, staff_user, django_capture_on_commit_callbacks
):
    send_form(client, priced_room, day, django_capture_on_commit_callbacks, language="sv")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_reject(
            booking=Booking.objects.get(), actor=staff_user, message="Sali on remontissa."
        )
    (message,) = mail.outbox
    assert "Sali on remontissa." in message.body
    assert "Sali on remontissa." in html_of(message)
    assert 'lang="sv"' in html_of(message)


def test_cancelled_email_is_sent_when_the_renter_cancels(
    client, priced_room, day, django_capture_on_commit_callbacks
):
    token = send_form(client, priced_room, day, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/request/{token}/")
    (message,) = mail.outbox
    assert "cancelled" in message.subject
    assert html_of(message)


def test_nothing_is_sent_when_the_transaction_rolls_back(
    client, priced_room, day, staff_user, django_capture_on_commit_callbacks
):
    send_form(client, priced_room, day, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    booking = Booking.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                booking_cancel(booking=booking, actor=staff_user)
                raise RuntimeError("something after the cancel failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutgoingEmail.objects.filter(kind="cancelled").exists()


def test_a_failed_send_is_stored_logged_and_retried_by_the_command(
    client, priced_room, day, django_capture_on_commit_callbacks, caplog
):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPServerDisconnected("gone"),
    ):
        send_form(client, priced_room, day, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    failed = OutgoingEmail.objects.get(kind="received")
    assert failed.sent_at is None and failed.attempts == 1 and "gone" in failed.last_error
    assert "kept for retry" in caplog.text
    call_command("send_pending_emails")
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.attempts == 2
    assert len(to_renter()) == 1
    call_command("send_pending_emails")
    assert len(to_renter()) == 1


def test_reminder_is_sent_once(
    client, priced_room, day, staff_user, django_capture_on_commit_callbacks
):
    send_form(client, priced_room, day, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        booking_approve(booking=Booking.objects.get(), actor=staff_user)
    mail.outbox.clear()
    days = (Booking.objects.get().start - Booking.objects.get().created_at).days + 1
    call_command("send_reminders", days=days - 3)
    assert mail.outbox == []
    call_command("send_reminders", days=days)
    call_command("send_reminders", days=days)
    (message,) = mail.outbox
    assert "Reminder" in message.subject and html_of(message)


def test_attachment_bytes_round_trip_through_storage(priced_room, db):
    from frontend.emails import Rendered, Written
    from frontend.outbox import email_store_and_send

    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    attachment = {
        "filename": "x.ics",
        "mimetype": "text/calendar",
        "content_b64": base64.b64encode(content).decode(),
    }
    email_store_and_send(
        kind="test",
        written=Written(["a@example.org"], Rendered("s", "t", "<p>h</p>"), [attachment]),
    )
    assert mail.outbox[0].attachments[0][1] in (content, content.decode())


def test_reminder_window_excludes_past_bookings(priced_room, db):
    from django.utils import timezone

    from frontend.outbox import reminders_send

    assert reminders_send(days_before=3, now=timezone.now() + timedelta(days=400)) == 0
