"""iCalendar rendering (RFC 5545, RFC 7986): bookings and closures in, bytes out.

A boundary like the invoice PDF: the functions here take rows their callers loaded and
never query the database. The same data always gives the same bytes (no random UID, no
"now", a fixed order), so an unchanged feed is byte-identical and its ETag holds.

What every calendar object here carries (SPEC §2.8):

- PRODID and VERSION (RFC 5545 3.7.3, 3.7.4); NAME (RFC 7986 5.1) with X-WR-CALNAME for
  the clients that only know that; REFRESH-INTERVAL;VALUE=DURATION (RFC 7986 5.7: the
  parameter is required, and the icalendar package leaves it out unless told) with
  X-PUBLISHED-TTL, its older Microsoft twin.
- No METHOD: a subscription or a downloaded file is a plain iCalendar object, not an iTIP
  message, and METHOD:PUBLISH would need an ORGANIZER (RFC 5546 3.2.1), which we never
  write: nobody should get replies to a room booking.
- One VTIMEZONE for Europe/Helsinki (RFC 5545 3.6.5), always, so that every TZID used has
  its definition and an empty feed still has the component RFC 5545 3.6 asks for.
- Per event: a UID that never changes (3.8.4.7), DTSTAMP = the entry's last change
  (3.8.7.2: without METHOD it is when the information was last revised), SEQUENCE = the
  booking's revision, which the services bump on every change of time, room or state
  (3.8.7.4), and STATUS (3.8.1.11).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration

from bookings.models import Booking, BookingStatus, Closure, Room
from bookings.schedule import HELSINKI

PRODID = "-//Perhetalo Heideken//Room booking//EN"
TZID = "Europe/Helsinki"

PUBLIC_REFRESH = timedelta(hours=1)
STAFF_REFRESH = timedelta(minutes=15)
RENTER_REFRESH = timedelta(hours=1)

# Part of every feed's ETag: a new version of this module may render the same rows into
# other bytes, and a client holding an old ETag must then get the new body.
RENDERER_FINGERPRINT = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

STATUS_OF = {
    BookingStatus.APPROVED: "CONFIRMED",
    BookingStatus.REQUESTED: "TENTATIVE",
    BookingStatus.CANCELLED: "CANCELLED",
    BookingStatus.REJECTED: "CANCELLED",
    BookingStatus.EXPIRED: "CANCELLED",
}


@dataclass(frozen=True, kw_only=True)
class FeedEvent:
    """What one VEVENT shows."""

    uid: str
    start: datetime
    end: datetime
    stamp: datetime
    sequence: int = 0
    summary: str
    status: str = "CONFIRMED"
    description: str = ""
    location: str = ""
    url: str = ""


# --- Building blocks ----------------------------------------------------------------------


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def booking_uid(booking_id: int) -> str:
    """The same in every feed and file, for the booking's whole life (RFC 5545 3.8.4.7)."""
    return f"booking-{booking_id}@{site_host()}"


def closure_uid(closure_id: int) -> str:
    return f"closure-{closure_id}@{site_host()}"


def helsinki_timezone() -> Timezone:
    """Europe/Helsinki as EU summer time rules: EEST from the last Sunday of March 03:00
    to the last Sunday of October 04:00 local time (RFC 5545 3.6.5).

    Written as two yearly rules rather than the icalendar package's list of every
    transition since 1970: a few lines instead of a hundred, and the same bytes every
    year. A test holds these rules against the tz database.
    """
    zone = Timezone()
    zone.add("tzid", TZID)
    # The first onsets, on the last Sundays of 1970, in local (floating) time.
    winter = datetime(1970, 10, 25, 4)  # noqa: DTZ001
    summer = datetime(1970, 3, 29, 3)  # noqa: DTZ001
    zone.add_component(_observance(TimezoneStandard(), "EET", winter, hours_from=3, hours_to=2))
    zone.add_component(_observance(TimezoneDaylight(), "EEST", summer, hours_from=2, hours_to=3))
    return zone


def _observance(
    component: TimezoneStandard | TimezoneDaylight,
    name: str,
    first_onset: datetime,
    *,
    hours_from: int,
    hours_to: int,
) -> TimezoneStandard | TimezoneDaylight:
    """Yearly on the last Sunday of the first onset's month, at its local hour."""
    component.add("dtstart", first_onset)
    component.add("tzoffsetfrom", timedelta(hours=hours_from))
    component.add("tzoffsetto", timedelta(hours=hours_to))
    component.add("tzname", name)
    component.add("rrule", {"freq": "yearly", "bymonth": first_onset.month, "byday": "-1SU"})
    return component


def local_or_utc(moment: datetime) -> datetime:
    """The time on the house's clock, except in the repeated hour of an October night.

    There one local time names two instants. RFC 5545 3.3.5 reads it as the first, but
    ical.js (Thunderbird) takes the second; both instants are therefore written in UTC,
    which every parser reads alike.
    """
    here = moment.astimezone(HELSINKI)
    ambiguous = here.replace(fold=1 - here.fold).utcoffset() != here.utcoffset()
    return moment.astimezone(UTC) if ambiguous else here


def calendar_bytes(*, name: str, refresh: timedelta, events: Iterable[FeedEvent]) -> bytes:
    """A complete iCalendar object: header, the Helsinki VTIMEZONE, events by time."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.calendar_name = name  # NAME and X-WR-CALNAME
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    calendar.add_component(helsinki_timezone())
    for event in sorted(events, key=lambda item: (item.start, item.uid)):
        calendar.add_component(_vevent(event))
    return calendar.to_ical()


def _vevent(event: FeedEvent) -> Event:
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", event.stamp.astimezone(UTC))
    component.add("dtstart", local_or_utc(event.start))
    component.add("dtend", local_or_utc(event.end))
    component.add("sequence", event.sequence)
    component.add("summary", event.summary)
    component.add("status", event.status)
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    if event.url:
        component.add("url", event.url)
    return component


def _lines(*pairs: tuple[str, object]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value not in ("", None))


# --- Public room feeds: busy blocks, nothing about renters --------------------------------


def reserved_title() -> str:
    return pgettext("calendar feed event", "Reserved")


def room_feed_name(room: Room) -> str:
    return _("%(room)s – Perhetalo Heideken") % {"room": room.name}


def public_booking_event(booking: Booking, title: str) -> FeedEvent:
    """A busy block: the booking's own time (not its setup and cleanup buffers), its UID,
    revision and last change, and nothing else. The DTSTAMP is the last change of what
    the block shows (`last_public_change`, which the feed's selector annotates from the
    audit trail), so that editing a renter's details leaves public feeds unchanged."""
    return FeedEvent(
        uid=booking_uid(booking.pk),
        start=booking.start,
        end=booking.end,
        stamp=getattr(booking, "last_public_change", booking.updated_at),
        sequence=booking.sequence,
        summary=title,
    )


def public_closure_event(closure: Closure, title: str) -> FeedEvent:
    return FeedEvent(
        uid=closure_uid(closure.pk),
        start=closure.start,
        end=closure.end,
        stamp=closure.created_at,
        summary=title,
    )


def room_feed_ics(*, room: Room, bookings: Iterable[Booking], closures: Iterable[Closure]) -> bytes:
    """The public feed of a room, in the active language."""
    title = reserved_title()
    events = [public_booking_event(booking, title) for booking in bookings]
    events += [public_closure_event(closure, title) for closure in closures]
    return calendar_bytes(name=room_feed_name(room), refresh=PUBLIC_REFRESH, events=events)


# --- Private staff feeds: full details for staff ------------------------------------------


def staff_booking_url(booking_id: int) -> str:
    return f"{settings.SITE_URL}/staff/bookings/{booking_id}/"


def status_label(status: str) -> str:
    return str(BookingStatus(status).label)


def staff_booking_summary(booking: Booking) -> str:
    if booking.status == BookingStatus.APPROVED:
        return booking.title
    values = {"status": status_label(booking.status), "title": booking.title}
    return _("%(status)s: %(title)s") % values


def staff_booking_event(booking: Booking) -> FeedEvent:
    """Everything staff need at a glance; the link leads to the rest. The booking's room
    must be loaded with it (select_related)."""
    description = _lines(
        (_("Organisation"), booking.organisation),
        (_("Contact person"), booking.contact_name),
        (_("Attendees"), booking.attendees),
        (_("Status"), status_label(booking.status)),
        (_("Room"), booking.room.name),
    )
    url = staff_booking_url(booking.pk)
    return FeedEvent(
        uid=booking_uid(booking.pk),
        start=booking.start,
        end=booking.end,
        stamp=booking.updated_at,
        sequence=booking.sequence,
        summary=staff_booking_summary(booking),
        status=STATUS_OF[BookingStatus(booking.status)],
        description=f"{description}\n{url}",
        location=booking.room.name,
        url=url,
    )


def closure_location(closure: Closure) -> str:
    """The closed rooms; the closure's rooms must be prefetched."""
    if closure.whole_house:
        return _("Whole house")
    return ", ".join(room.name for room in closure.rooms.all())


def staff_closure_event(closure: Closure) -> FeedEvent:
    summary = _("Closed: %(reason)s") % {"reason": closure.get_reason_display()}
    return FeedEvent(
        uid=closure_uid(closure.pk),
        start=closure.start,
        end=closure.end,
        stamp=closure.created_at,
        summary=summary,
        description=closure.note,
        location=closure_location(closure),
    )


def staff_feed_name(feed_name: str) -> str:
    return _("Heideken bookings: %(name)s") % {"name": feed_name}


def staff_feed_ics(*, name: str, bookings: Iterable[Booking], closures: Iterable[Closure]) -> bytes:
    """A staff member's private feed, in the active language."""
    events = [staff_booking_event(booking) for booking in bookings]
    events += [staff_closure_event(closure) for closure in closures]
    return calendar_bytes(name=staff_feed_name(name), refresh=STAFF_REFRESH, events=events)


# --- A renter's own booking ---------------------------------------------------------------


def renter_booking_event(booking: Booking) -> FeedEvent:
    """The renter's own booking with its details; no link, since the only link a renter
    has is the secret status link, and a calendar file is easily shared on."""
    description = _lines(
        (_("Room"), booking.room.name),
        (_("Organisation"), booking.organisation),
        (_("Contact person"), booking.contact_name),
        (_("Attendees"), booking.attendees),
        (_("Status"), status_label(booking.status)),
    )
    return FeedEvent(
        uid=booking_uid(booking.pk),
        start=booking.start,
        end=booking.end,
        stamp=booking.updated_at,
        sequence=booking.sequence,
        summary=booking.title,
        status=STATUS_OF[BookingStatus(booking.status)],
        description=description,
        location=_("%(room)s, Perhetalo Heideken") % {"room": booking.room.name},
    )


def booking_ics(bookings: Sequence[Booking]) -> bytes:
    """The renter's booking (every occurrence of a series) in the renter's language: the
    same bytes for the approval e-mail's attachment and for the status page's download.
    Each booking's room must be loaded with it."""
    language = bookings[0].language if bookings else settings.LANGUAGE_CODE
    with translation.override(language):
        return calendar_bytes(
            name=_("Heideken booking"),
            refresh=RENTER_REFRESH,
            events=[renter_booking_event(booking) for booking in bookings],
        )
