"""What the e-mails to renters and staff say (SPEC §2.9): subject, text and HTML in the
renter's language, and the `.ics` of an approved booking.

frontend/outbox.py decides when they are written and sent.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from bookings.calendar import booking_ics
from bookings.models import Booking
from frontend.models import OutgoingEmail
from frontend.staff_language import staff_recipients
from invoicing.models import BookingPrice
from invoicing.quotes import seller_vat_registered

logger = logging.getLogger(__name__)

ICS_NAME = "heideken-booking.ics"


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


@dataclass(frozen=True)
class Written:
    """An e-mail ready to store and send."""

    to: list[str]
    rendered: Rendered
    attachments: list[dict] = field(default_factory=list)


def email_write(
    kind: str, bookings: Sequence[Booking], *, status_token: str = "", language: str = ""
) -> Written | None:
    """The e-mail of this kind about these bookings, or None when there is no one to
    write to (no bookings left, a renter without an address, no booking staff reading
    the staff e-mail's language). A renter's e-mail is in the renter's language; a staff
    e-mail in the `language` given (the house's language if none)."""
    if not bookings:
        return None
    if kind == "staff_new_request":
        return _staff_new_request_write(bookings, language or settings.LANGUAGE_CODE)
    return _renter_email_write(kind, bookings, status_token=status_token)


def _renter_email_write(
    kind: str, bookings: Sequence[Booking], *, status_token: str
) -> Written | None:
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
    return Written([first.email], render_email(kind, language, context), attachments)


def _staff_new_request_write(bookings: Sequence[Booking], language: str) -> Written | None:
    """One e-mail to the booking staff who read this language for each new request (a
    series is one request), linking to the request's page in the staff workspace."""
    recipients = staff_recipients(language)
    if not recipients:
        if language == settings.LANGUAGE_CODE and not any(
            staff_recipients(code) for code, _name in settings.LANGUAGES if code != language
        ):
            logger.warning("no active booking staff with an e-mail address to tell of a request")
        return None
    with translation.override(language):
        context = booking_context(bookings)  # room names in the staff member's language
        context["workspace_url"] = settings.SITE_URL + reverse(
            "frontend:staff-booking", args=[bookings[0].pk]
        )
    return Written(recipients, render_email("staff_new_request", language, context))


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
