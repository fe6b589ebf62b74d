"""E-mails to renters and staff (SPEC §2.9): built in the renter's language, stored, then
sent after the database commit through Django's e-mail backend (`EMAIL_URL`).

The booking services call `booking_event_queue` (registered in `apps.py` as an event hook,
see bookings/hooks.py) inside their transaction. Nothing is sent from inside a
transaction: a rolled-back change sends nothing. A series calls the hook once per date;
the events of one transaction are grouped by series, so approving a whole series sends
one e-mail. Every e-mail is stored before it is sent, and a failed send stays stored with
its error until `send_pending_emails` delivers it.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bookings.calendar import booking_ics
from bookings.models import Booking, BookingStatus
from bookings.roles import BOOKING_STAFF
from frontend.models import OutgoingEmail
from invoicing.models import BookingPrice
from invoicing.quotes import seller_vat_registered

logger = logging.getLogger(__name__)

STATUS_OF_EVENT = {
    "requested": BookingStatus.REQUESTED,
    "approved": BookingStatus.APPROVED,
    "rejected": BookingStatus.REJECTED,
    "cancelled": BookingStatus.CANCELLED,
}
ICS_NAME = "heideken-booking.ics"


# --- Queueing on commit -------------------------------------------------------------------


@dataclass
class _Pending:
    booking_ids: list[int] = field(default_factory=list)
    status_token: str = ""


# Per thread: the live server and the test client each run their own transactions.
_local = threading.local()


def _pending() -> dict[tuple[str, str], _Pending]:
    if not hasattr(_local, "pending"):
        _local.pending = {}
    return _local.pending


def booking_event_queue(event: str, booking: Booking, **context: Any) -> None:
    """Event hook: remember the booking under (event, series) and send once committed.

    A rolled-back transaction drops its on-commit callbacks, so its entry is never sent;
    a stale entry left behind is re-checked against the database when a later commit of
    the same key flushes it (only bookings now in the event's state are mailed)."""
    if event not in STATUS_OF_EVENT:
        return
    group = f"series-{booking.series_id}" if booking.series_id else f"booking-{booking.pk}"
    key = (event, group)
    entry = _pending().setdefault(key, _Pending())
    entry.booking_ids.append(booking.pk)
    entry.status_token = context.get("status_token", entry.status_token)
    transaction.on_commit(partial(_flush, key), robust=True)


def _flush(key: tuple[str, str]) -> None:
    entry = _pending().pop(key, None)
    if entry is None:
        return  # already sent by an earlier callback of the same transaction
    event = key[0]
    bookings = list(
        Booking.objects.filter(pk__in=entry.booking_ids, status=STATUS_OF_EVENT[event])
        .select_related("room")
        .order_by("start", "pk")
    )
    if not bookings:
        return
    if event == "requested":
        renter_email_send("received", bookings, status_token=entry.status_token)
        staff_new_request_send(bookings)
    else:
        renter_email_send(event, bookings)


# --- Building -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _subject(kind: str, title: str) -> str:
    subjects = {
        "received": _("We received your booking request: %(title)s"),
        "approved": _("Your booking is approved: %(title)s"),
        "rejected": _("Your booking request was not approved: %(title)s"),
        "cancelled": _("Your booking is cancelled: %(title)s"),
        "reminder": _("Reminder of your booking: %(title)s"),
        "staff_new_request": _("New booking request: %(title)s"),
    }
    # No line breaks in a header, whatever the renter typed.
    return (subjects[kind] % {"title": title}).replace("\n", " ").replace("\r", " ")[:200]


def render_email(kind: str, language: str, context: dict[str, Any]) -> Rendered:
    """Subject, text and HTML of one e-mail, in the given language."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL, "LANGUAGE_CODE": language}
        return Rendered(
            subject=_subject(kind, context["title"]),
            text=render_to_string(f"frontend/emails/{kind}.txt", context),
            html=render_to_string(f"frontend/emails/{kind}.html", context),
        )


def status_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("frontend:request-status", args=[token])


def renter_group(booking: Booking) -> list[Booking]:
    """Every booking the renter's status link covers (a series' dates), as the `.ics`
    download at /request/<token>/booking.ics sees them."""
    if not booking.status_token_hash:
        return [booking]
    rows = Booking.objects.filter(status_token_hash=booking.status_token_hash)
    return list(rows.select_related("room").order_by("start", "pk"))


def price_of(bookings: Sequence[Booking]) -> dict[str, Any] | None:
    """The total of the approved bookings' price snapshots, or None when one is unpriced."""
    snapshots = list(BookingPrice.objects.filter(booking__in=bookings))
    if not snapshots or len(snapshots) != len(bookings):
        return None
    gross = sum(
        (Decimal(line["gross"]) for snapshot in snapshots for line in snapshot.lines),
        Decimal("0.00"),
    )
    return {"gross": gross, "vat_registered": seller_vat_registered()}


def booking_context(bookings: Sequence[Booking]) -> dict[str, Any]:
    first = bookings[0]
    return {
        "title": first.title,
        "room_name": first.room.name,
        "bookings": bookings,
        "first": first,
        "series": first.series_id is not None,
        "decision_message": first.decision_message,
    }


def renter_email_send(
    kind: str,
    bookings: Sequence[Booking],
    *,
    status_token: str = "",
    dedupe_key: str = "",
) -> OutgoingEmail | None:
    """Build, store and send one e-mail to the renter about these bookings."""
    first = bookings[0]
    if not first.email:
        return None  # the house's own bookings, or data already erased
    language = first.language
    with translation.override(language):
        context = booking_context(bookings)  # room names in the renter's language
    attachments = []
    if status_token:
        context["status_url"] = status_url(status_token, language)
    if kind == "approved":
        context["price"] = price_of(bookings)
        ics = booking_ics(renter_group(first))
        attachments.append(
            {
                "filename": ICS_NAME,
                "mimetype": "text/calendar",
                "content_b64": base64.b64encode(ics).decode(),
            }
        )
    rendered = render_email(kind, language, context)
    return email_store_and_send(
        kind=kind,
        to=[first.email],
        rendered=rendered,
        attachments=attachments,
        booking=first,
        dedupe_key=dedupe_key,
    )


def staff_recipients() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=BOOKING_STAFF)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def staff_new_request_send(bookings: Sequence[Booking]) -> OutgoingEmail | None:
    """One e-mail to booking staff for each new request (a series is one request)."""
    recipients = staff_recipients()
    if not recipients:
        logger.warning("no active booking staff with an e-mail address to tell of a request")
        return None
    context = booking_context(bookings)
    context["admin_url"] = settings.SITE_URL + reverse(
        "admin:bookings_booking_change", args=[bookings[0].pk]
    )
    rendered = render_email("staff_new_request", settings.LANGUAGE_CODE, context)
    return email_store_and_send(
        kind="staff_new_request", to=recipients, rendered=rendered, booking=bookings[0]
    )


# --- Storing and sending ------------------------------------------------------------------


def email_store_and_send(
    *,
    kind: str,
    to: list[str],
    rendered: Rendered,
    attachments: list[dict] | None = None,
    booking: Booking | None = None,
    dedupe_key: str = "",
) -> OutgoingEmail:
    outgoing = OutgoingEmail.objects.create(
        kind=kind,
        dedupe_key=dedupe_key,
        booking=booking,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        attachments=attachments or [],
    )
    email_send(outgoing)
    return outgoing


def email_message(outgoing: OutgoingEmail, connection: Any = None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.body_text,
        from_email=outgoing.from_email,
        to=list(outgoing.to),
        connection=connection,
    )
    if outgoing.body_html:
        message.attach_alternative(outgoing.body_html, "text/html")
    for item in outgoing.attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return message


def email_send(outgoing: OutgoingEmail, connection: Any = None) -> bool:
    """One attempt; the outcome is recorded on the row. A failure is logged and kept for
    `send_pending_emails`, never raised into the request that caused the e-mail."""
    now = timezone.now()
    try:
        email_message(outgoing, connection).send(fail_silently=False)
    except (SMTPException, OSError) as error:
        _attempt_record(outgoing, last_error=repr(error)[:2000], last_attempt_at=now)
        logger.warning(
            "e-mail %s (%s) not sent, kept for retry: %r", outgoing.pk, outgoing.kind, error
        )
        return False
    _attempt_record(outgoing, last_error="", last_attempt_at=now, sent_at=now)
    return True


def _attempt_record(outgoing: OutgoingEmail, **fields: Any) -> None:
    """Count the attempt and its outcome, on the row and on the instance alike."""
    fields["attempts"] = outgoing.attempts + 1
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(**fields)
    for name, value in fields.items():
        setattr(outgoing, name, value)


def pending_emails() -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(sent_at__isnull=True).order_by("created_at", "pk")


def pending_emails_send(outgoing: Iterable[OutgoingEmail] | None = None) -> tuple[int, int]:
    """Retry every unsent e-mail over one connection; (sent, still failing)."""
    sent = failed = 0
    with get_connection() as connection:
        for item in outgoing if outgoing is not None else pending_emails():
            if email_send(item, connection):
                sent += 1
            else:
                failed += 1
    return sent, failed


# --- Reminders ----------------------------------------------------------------------------


def reminders_send(*, days_before: int, now: datetime | None = None) -> int:
    """A reminder for every approved booking starting within `days_before` days, once per
    booking and start time: a second run (or a moved booking's old time) sends nothing."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.APPROVED, start__gt=now, start__lte=now + timedelta(days=days_before)
    ).exclude(email="")
    sent = 0
    for booking in due.select_related("room").order_by("start", "pk"):
        key = f"reminder:{booking.pk}:{booking.start.isoformat()}"
        if OutgoingEmail.objects.filter(dedupe_key=key).exists():
            continue
        if renter_email_send("reminder", [booking], dedupe_key=key):
            sent += 1
    return sent
