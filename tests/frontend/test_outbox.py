"""The e-mail outbox (frontend/outbox.py): e-mails stored with the booking event, written
and sent by the worker or right after the commit, never twice, never lost."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from bookings.services import booking_approve, booking_series_approve, booking_staff_create
from frontend import outbox
from frontend.models import OutgoingEmail
from tests.factories import at
from tests.frontend.conftest import form_data

pytestmark = pytest.mark.django_db

worker_mode = override_settings(EMAIL_DELIVERY="worker")


def api_request(client, room, day, **changes) -> dict:
    body = {
        "room": room.slug,
        "start": f"{day}T10:00:00",
        "end": f"{day}T12:00:00",
        "title": "Vanhempainilta",
        "attendees": 10,
        "organisation": "Turun Perhetyö ry",
        "contact_name": "Maija Meikäläinen",
        "email": "maija@example.org",
        "accept_terms": True,
        "language": "en",
        **changes,
    }
    response = client.post(
        "/api/v1/booking-requests/",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def token_of(answer: dict) -> str:
    return answer["status_url"].rstrip("/").rsplit("/", 1)[-1]


def to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@worker_mode
@pytest.mark.django_db(transaction=True)  # the worker reconnects between rounds
def test_in_worker_mode_the_request_stores_its_emails_and_the_worker_sends_them(
    client, priced_room, day, booking_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_request(client, priced_room, day)
    assert mail.outbox == []
    stored = OutgoingEmail.objects.order_by("kind", "language")
    assert [(row.kind, row.language, row.sent_at, row.rendered_at) for row in stored] == [
        ("received", "", None, None),
        # One per language; the worker writes each to the staff who read it.
        ("staff_new_request", "en", None, None),
        ("staff_new_request", "fi", None, None),
        ("staff_new_request", "sv", None, None),
    ]

    call_command("send_pending_emails", every=0.01, rounds=2)

    (renter,) = to("maija@example.org")
    assert f"/request/{token_of(answer)}/" in renter.body
    assert len(to("varaukset@heideken.example")) == 1
    # The languages no staff member reads were dropped, not sent.
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert OutgoingEmail.objects.filter(kind="staff_new_request").count() == 1
    # The secret left the row once the e-mail carrying it was written.
    assert set(OutgoingEmail.objects.values_list("status_token", flat=True)) == {""}


@worker_mode
def test_a_request_cancelled_before_the_worker_runs_gets_only_the_cancellation(
    client, priced_room, day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_request(client, priced_room, day)
        response = client.post(
            f"/api/v1/booking-requests/{token_of(answer)}/cancel/",
            json.dumps({"reason": ""}),
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    call_command("send_pending_emails")
    (message,) = to("maija@example.org")
    assert "cancelled" in message.subject
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["cancelled"]


def after_the_hold(command: str = "send_pending_emails") -> None:
    """Run the command as it would once every hold taken now has run out."""
    later = timezone.now() + timedelta(seconds=outbox.CLAIM_SECONDS + 1)
    with mock.patch("frontend.outbox.timezone.now", return_value=later):
        call_command(command)


def test_emails_committed_with_the_event_survive_a_sender_that_never_ran(client, priced_room, day):
    """The process may die between the commit and the sending: the e-mails are in the
    database already, held by that process; once its hold runs out the worker (or cron)
    sends them."""
    client.post("/en/rooms/kokoushuone/request/", form_data(day))  # on-commit never runs
    assert Booking.objects.count() == 1 and mail.outbox == []
    call_command("send_pending_emails")
    assert mail.outbox == []  # the sender after the commit may still be at work
    after_the_hold()
    (message,) = to("maija@example.org")
    assert "/request/" in message.body


@worker_mode
def test_an_email_another_sender_holds_is_not_sent_twice(client, priced_room, day):
    client.post("/en/rooms/kokoushuone/request/", form_data(day))
    stored = OutgoingEmail.objects.get(kind="received")
    assert outbox.outgoing_claim(stored)  # another sender is at work on it
    call_command("send_pending_emails")
    assert mail.outbox == []
    after_the_hold()  # that sender died: its hold ran out
    call_command("send_pending_emails")
    assert len(to("maija@example.org")) == 1


def test_approving_one_date_of_a_series_later_mails_only_that_date(
    client, priced_room, day, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/rooms/kokoushuone/request/", form_data(day, repeat="weekly", count="3"))
    mail.outbox.clear()
    first, *rest = Booking.objects.order_by("start")
    with django_capture_on_commit_callbacks(execute=True):
        booking_approve(booking=first, actor=staff_user)
    (message,) = mail.outbox
    assert message.body.count(" (approved)") == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_series_approve(series=first.series, actor=staff_user)
    (message,) = mail.outbox
    assert message.body.count(" (approved)") == 2
    assert OutgoingEmail.objects.filter(kind="approved").last().booking_ids == [
        booking.pk for booking in rest
    ]


def test_a_series_approved_around_a_clash_mails_the_approved_and_the_rejected_dates(
    client, priced_room, day, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/rooms/kokoushuone/request/", form_data(day, repeat="weekly", count="3"))
    mail.outbox.clear()
    second = Booking.objects.order_by("start")[1]
    booking_staff_create(
        actor=staff_user,
        room=priced_room,
        start=at(second.start.astimezone(timezone.get_current_timezone()).date(), 11),
        end=at(second.start.astimezone(timezone.get_current_timezone()).date(), 13),
        title="Board meeting",
        attendees=5,
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking_series_approve(series=second.series, actor=staff_user, skip_conflicts=True)
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.REJECTED
    approved, rejected = sorted(to("maija@example.org"), key=lambda m: "approved" not in m.subject)
    assert approved.body.count(" (approved)") == 2
    assert "not approved" in rejected.subject and "clashes" in rejected.body


def test_the_worker_refuses_a_nonsense_interval():
    with pytest.raises(CommandError, match="above zero"):
        call_command("send_pending_emails", "--every", "0")


@worker_mode
def test_the_confirmation_keeps_its_status_link_when_staff_decide_before_it_is_written(
    client, priced_room, day, staff_user
):
    answer = api_request(client, priced_room, day)
    booking_approve(booking=Booking.objects.get(), actor=staff_user)
    call_command("send_pending_emails")
    received, approved = sorted(
        to("maija@example.org"), key=lambda message: "approved" in message.subject
    )
    assert f"/request/{token_of(answer)}/" in received.body
    assert "approved" in approved.subject


def test_a_sender_whose_hold_ran_out_leaves_the_email_to_the_one_that_took_it(
    client, priced_room, day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:  # the sender stalls
        client.post("/en/rooms/kokoushuone/request/", form_data(day))
    stored = OutgoingEmail.objects.get(kind="received")
    later = timezone.now() + timedelta(seconds=outbox.CLAIM_SECONDS + 1)
    with mock.patch("frontend.outbox.timezone.now", return_value=later):
        assert outbox.outgoing_claim(stored)  # a worker took it over and is sending it
    for callback in after_commit:  # the stalled sender wakes up
        callback()
    assert to("maija@example.org") == []
    assert OutgoingEmail.objects.get(pk=stored.pk).attempts == 0


def test_one_email_that_cannot_be_written_neither_stops_the_others_nor_fails_the_request(
    client, priced_room, day, booking_staff, django_capture_on_commit_callbacks, caplog
):
    real_write = outbox.email_write

    def staff_template_broken(kind, bookings, **context):
        if kind == "staff_new_request":
            raise ValueError("a broken template")
        return real_write(kind, bookings, **context)

    with (
        mock.patch("frontend.outbox.email_write", side_effect=staff_template_broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/en/rooms/kokoushuone/request/", form_data(day))
    assert response.status_code == 302
    assert len(to("maija@example.org")) == 1
    broken = OutgoingEmail.objects.get(kind="staff_new_request", language="fi")
    assert broken.sent_at is None and broken.claimed_until is None
    assert broken.attempts == 1 and "a broken template" in broken.last_error
    assert "could not be written or sent" in caplog.text
    call_command("send_pending_emails")  # mended: the retry writes and sends it
    assert len(to("varaukset@heideken.example")) == 1
