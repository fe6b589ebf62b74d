"""No status or feed token in any log line: Django's own warnings (4xx, 405, CSRF) pass
through the redacting filter, and gunicorn's access log through its redacting logger."""

from __future__ import annotations

import io
import logging
from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client, override_settings

from bookings.feeds import feed_token_create
from bookings.services import booking_approve, booking_request_create
from heideken.log_redaction import RedactTokens
from tests.factories import at, renter, working_day
from tests.servers import gunicorn

METHODS = ("get", "post", "put", "patch", "delete", "options")
BODIES = (
    ("not json {", "application/json"),
    ('{"reason": ' + "[" * 50, "application/json"),
    ("a=1&b=2", "application/x-www-form-urlencoded"),
    ("\x00\xff", "text/plain"),
)


def secrets(room, staff_user) -> tuple[str, str]:
    day = working_day()
    result = booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Kokous",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    booking_approve(booking=result.booking, actor=None)
    feed = feed_token_create(user=staff_user, name="Oma")
    return result.status_token, feed.url.rsplit("/", 1)[-1].removesuffix(".ics")


def token_paths(status: str, feed: str) -> list[str]:
    return [
        f"/request/{status}/",
        f"/en/request/{status}/",
        f"/sv/request/{status}/sent/",
        f"/request/{status}/booking.ics",
        f"/en/request/{status}/booking.ics",
        f"/api/v1/booking-requests/{status}/",
        f"/api/v1/booking-requests/{status}/cancel/",
        f"/ical/feeds/{feed}.ics",
    ]


@pytest.fixture
def log_output():
    """What the configured stdout handler writes, as production would print it."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(item, RedactTokens) for item in handler.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.django_db
def test_bad_methods_bodies_and_csrf_failures_never_log_a_token(room, staff_user, log_output):
    status, feed = secrets(room, staff_user)
    made_up = ("madeUpStatusToken0123456789abcdefABCDEF", "madeUpFeedToken0123456789abcdefABCDEF")
    client = Client(HTTP_REFERER=f"https://elsewhere.example/request/{status}/")
    strict = Client(enforce_csrf_checks=True)
    for tokens in ((status, feed), made_up):
        for path in token_paths(*tokens):
            for method in METHODS:
                getattr(client, method)(path)
            for body, content_type in BODIES:
                client.post(path, body, content_type=content_type)
                client.put(path, body, content_type=content_type)
            strict.post(path, {"confirm": "1"})
            strict.post(f"{path}?next=/request/{tokens[0]}/", {"confirm": "1"})

    written = log_output.getvalue()
    for secret in (status, feed, *made_up):
        assert secret not in written
    assert "Forbidden (CSRF" in written
    assert "Method Not Allowed" in written
    assert "/request/[token]/" in written and "/ical/feeds/[token].ics" in written


@pytest.mark.django_db(transaction=True)
def test_the_production_access_log_keeps_tokens_out(room, staff_user, tmp_path):
    status, feed = secrets(room, staff_user)
    log = tmp_path / "gunicorn.log"
    referer = {"Referer": f"http://127.0.0.1/request/{status}/"}
    with gunicorn(workers=2, log=log) as server:
        answers = [
            server.call("GET", f"/en/request/{status}/")[0],
            server.call("POST", f"/en/request/{status}/", "x=1", referer)[0],
            server.call("GET", f"/en/request/{status}/booking.ics", None, referer)[0],
            server.call("GET", f"/api/v1/booking-requests/{status}/")[0],
            server.call("DELETE", f"/api/v1/booking-requests/{status}/cancel/")[0],
            server.call("GET", f"/ical/feeds/{feed}.ics?lang=en", None, referer)[0],
            server.call("POST", f"/ical/feeds/{feed}.ics")[0],
        ]
    assert answers == [200, 403, 200, 200, 405, 200, 403]
    written = log.read_text()
    assert status not in written and feed not in written
    assert '"GET /en/request/[token]/ HTTP/1.1" 200' in written
    assert '"GET /ical/feeds/[token].ics?lang=en HTTP/1.1" 200' in written
    assert "Forbidden (CSRF" in written


@pytest.mark.django_db
@override_settings(EMAIL_DELIVERY="worker")
def test_the_outbox_keeps_no_status_link_once_the_email_is_sent(client, room, mailoutbox):
    from frontend.models import OutgoingEmail
    from frontend.outbox import pending_emails_send

    day = working_day()
    result = booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Kokous",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    pending_emails_send()
    sent = [message for message in mailoutbox if message.to == ["maija@example.org"]]
    assert result.status_token in sent[0].body  # the renter got the link
    kept = OutgoingEmail.objects.get(kind="received")
    assert kept.sent_at is not None
    assert result.status_token not in kept.body_text + kept.body_html
    assert "/request/[token]/" in kept.body_text


def request_with_emails(room, capture):
    """A request whose e-mails go out as EMAIL_DELIVERY says: right after the commit, or
    when a sender (the worker, cron, the admin's retry) runs."""
    from frontend.outbox import pending_emails_send

    day = working_day()
    with capture(execute=True):
        result = booking_request_create(
            room=room, start=at(day, 10), end=at(day, 12), title="Kokous", attendees=5,
            renter=renter(), accept_terms=True,
        )  # fmt: skip
    if settings.EMAIL_DELIVERY == "worker":
        pending_emails_send()
    return result


def assert_no_status_link_kept(result, mailoutbox) -> None:
    from frontend.models import OutgoingEmail

    sent = [message for message in mailoutbox if message.to == ["maija@example.org"]]
    assert result.status_token in sent[0].body  # the renter got the link
    kept = OutgoingEmail.objects.get(kind="received")
    assert kept.sent_at is not None
    assert result.status_token not in kept.body_text + kept.body_html + kept.status_token
    assert "/request/[token]/" in kept.body_text


@pytest.mark.django_db
@pytest.mark.parametrize("delivery", ["commit", "worker"])
def test_in_either_delivery_the_outbox_keeps_no_status_link_once_sent(
    room, mailoutbox, django_capture_on_commit_callbacks, delivery
):
    with override_settings(EMAIL_DELIVERY=delivery):
        result = request_with_emails(room, django_capture_on_commit_callbacks)
    assert_no_status_link_kept(result, mailoutbox)


@pytest.mark.django_db
@pytest.mark.parametrize("delivery", ["commit", "worker"])
def test_in_either_delivery_a_failed_email_sent_again_by_staff_keeps_no_status_link(
    room, mailoutbox, django_capture_on_commit_callbacks, admin_user_, delivery
):
    """The mail server refused the first attempt: the written e-mail waits with its link
    for a retry, and once staff send it again from the admin the link is cleared."""
    from frontend.models import OutgoingEmail

    refused = SMTPException("451 try again later")
    backend = "django.core.mail.backends.locmem.EmailBackend.send_messages"
    with override_settings(EMAIL_DELIVERY=delivery), mock.patch(backend, side_effect=refused):
        result = request_with_emails(room, django_capture_on_commit_callbacks)
    waiting = OutgoingEmail.objects.get(kind="received")
    assert (waiting.sent_at, waiting.attempts) == (None, 1)
    assert waiting.last_error

    client = Client()
    client.force_login(admin_user_)
    client.post(
        "/admin/frontend/outgoingemail/",
        {"action": "retry", "_selected_action": [waiting.pk], "index": 0},
    )

    assert_no_status_link_kept(result, mailoutbox)
