"""Calendar feeds as calendar apps read them: the three parsers, the RFC rules, what each
feed shows, stability, cancellations, privacy and daylight saving (SPEC §2.8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from datetime import timezone as fixed_zone

import pytest
from django.utils import timezone, translation
from icalendar import Calendar

from bookings.calendar import booking_ics, helsinki_timezone
from bookings.feeds import (
    feed_token_create,
    room_feed_entries,
    room_feed_find,
    staff_feed_entries,
    staff_feed_find,
)
from bookings.models import AuditEntry, Booking, ClosureReason
from bookings.schedule import HELSINKI
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_move,
    booking_request_create,
    booking_staff_create,
    closure_create,
)
from tests.bookings.ics_parsers import (
    content_lines,
    icaljs_result,
    names,
    parsed_alike,
    physical_lines,
    values,
)
from tests.factories import at, make_room, renter, working_day

pytestmark = pytest.mark.django_db

EEST = fixed_zone(timedelta(hours=3))
EET = fixed_zone(timedelta(hours=2))

# Renter data that must never reach a public feed; each string is unique in the database.
MARKERS = {
    "organisation": "Markkeri-Yhdistys-7Q ry",
    "contact_name": "Kontakti Markkerinen-7Q",
    "email": "markkeri-7q@example.org",
    "phone": "+358 40 777 7Q77",
    "buyer_reference": "VIITE-7Q",
    "billing_address": "Markkerikatu 7Q",
}
TITLE_MARKER = "Salainen tilaisuus 7Q"
MESSAGE_MARKER = "Viesti-7Q"


def staff_booking(actor, room, start, end, *, title="Koulutus", **renter_fields) -> Booking:
    return booking_staff_create(
        actor=actor,
        room=room,
        start=start,
        end=end,
        title=title,
        attendees=12,
        renter=renter(**renter_fields),
        override_reason="testi",
    )


def requested(room, start, end, **overrides) -> Booking:
    values = {
        "room": room,
        "start": start,
        "end": end,
        "title": "Pyyntö",
        "attendees": 5,
        "renter": renter(),
        "accept_terms": True,
    }
    values.update(overrides)
    return booking_request_create(**values).booking


def room_body(room, now=None, language="fi") -> bytes:
    from bookings.calendar import room_feed_ics

    feed = room_feed_find(slug=room.slug, now=now or timezone.now())
    bookings, closures = room_feed_entries(feed)
    with translation.override(language):
        return room_feed_ics(room=room, bookings=bookings, closures=closures)


def staff_body(token: str, now=None, language="fi") -> bytes:
    from bookings.calendar import staff_feed_ics

    feed = staff_feed_find(token=token, now=now or timezone.now())
    bookings, closures = staff_feed_entries(feed)
    with translation.override(language):
        return staff_feed_ics(name=feed.feed_token.name, bookings=bookings, closures=closures)


def uids(body: bytes) -> set[str]:
    return {seen.uid for seen in parsed_alike(body)}


def uid_of(booking) -> str:
    return f"booking-{booking.pk}@127.0.0.1"


# --- The three parsers and the RFC rules --------------------------------------------------


@pytest.fixture
def every_feed(hours, staff_user):
    """The three kinds of calendar object, with folding-worthy multi-byte text."""
    room = make_room(
        name_fi="Äitiys- ja lastenneuvolan entinen synnytyssali, 2. kerros (esteetön)",
        name_sv="Före detta förlossningssalen på andra våningen (tillgänglig)",
    )
    day = working_day()
    long_title = "Äitiys- ja perhevalmennuksen syysryhmä – jatko-osa ÅÄÖ 🙂 " * 3
    long_one = staff_booking(
        staff_user, room, at(day, 9), at(day, 11), title=long_title, organisation="Åbo ÄÖ rf"
    )
    request = requested(room, at(day, 13), at(day, 15))
    closure_create(
        actor=staff_user,
        start=at(day + timedelta(days=1), 8),
        end=at(day + timedelta(days=1), 12),
        reason=ClosureReason.CLEANING,
        rooms=[room],
        note="Lattiat; vahaus, kuivuminen",
    )
    token = feed_token_create(user=staff_user, name="Sali ja muut", rooms=[room]).token
    # One renter's two bookings, as a series shares its status link.
    Booking.objects.filter(pk=long_one.pk).update(status_token_hash=request.status_token_hash)
    renter_file = booking_ics(list(Booking.objects.filter(pk__in=[long_one.pk, request.pk])))
    return {"public": room_body(room), "staff": staff_body(token), "renter": renter_file}


@pytest.mark.parametrize("kind", ["public", "staff", "renter"])
def test_every_feed_reads_alike_in_icalendar_vobject_and_icaljs(every_feed, kind):
    seen = parsed_alike(every_feed[kind])
    assert len(seen) >= 2
    assert all(event.start < event.end for event in seen)


@pytest.mark.parametrize("kind", ["public", "staff", "renter"])
def test_every_feed_keeps_the_line_rules_of_rfc_5545(every_feed, kind):
    lines = physical_lines(every_feed[kind])  # CRLF everywhere, no bare CR or LF
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "long text should have been folded"
    for line in lines:
        line.decode("utf-8")  # raises if a fold split a multi-byte character


@pytest.mark.parametrize("kind", ["public", "staff", "renter"])
def test_every_feed_has_the_calendar_properties_of_rfc_5545_and_7986(every_feed, kind):
    body = every_feed[kind]
    lines = content_lines(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert values(body, "VERSION") == ["2.0"]
    assert values(body, "PRODID") == ["-//Perhetalo Heideken//Room booking//EN"]
    (name,) = values(body, "NAME")
    assert values(body, "X-WR-CALNAME") == [name]
    (refresh,) = values(body, "REFRESH-INTERVAL;VALUE=DURATION")
    assert refresh.startswith("PT")
    assert values(body, "X-PUBLISHED-TTL") == [refresh]
    present = {entry.split(";")[0] for entry in names(body)}
    assert "METHOD" not in present and "ORGANIZER" not in present and "ATTENDEE" not in present


@pytest.mark.parametrize("kind", ["public", "staff", "renter"])
def test_every_tzid_used_has_its_vtimezone(every_feed, kind):
    body = every_feed[kind]
    used = {entry.split("TZID=")[1].split(";")[0] for entry in names(body) if "TZID=" in entry}
    assert used == {"Europe/Helsinki"}
    assert values(body, "TZID") == ["Europe/Helsinki"]
    assert icaljs_result(body)["timezones"] == ["Europe/Helsinki"]


@pytest.mark.parametrize("kind", ["public", "staff", "renter"])
def test_every_event_has_uid_dtstamp_sequence_and_status(every_feed, kind):
    calendar = Calendar.from_ical(every_feed[kind])
    for event in calendar.events:
        for name in ("UID", "DTSTAMP", "SEQUENCE", "STATUS", "DTSTART", "DTEND", "SUMMARY"):
            assert name in event, name
        assert event["DTSTAMP"].dt.tzinfo is not None  # UTC (RFC 5545 3.8.7.2)


def test_the_vtimezone_rules_match_the_tz_database_from_2000_to_2037():
    written = helsinki_timezone().to_tz(lookup_tzid=False)  # our rules, not a lookup
    for year in range(2000, 2038):
        for month in (3, 10):
            first = datetime(year, month, 20, tzinfo=UTC)
            for hour in range(14 * 24):
                moment = first + timedelta(hours=hour)
                assert moment.astimezone(written).utcoffset() == (
                    moment.astimezone(HELSINKI).utcoffset()
                ), moment


# --- What the public feed shows -----------------------------------------------------------


def test_public_feed_shows_busy_blocks_of_the_room_its_parts_and_combinations(hall, staff_user):
    whole, east, west = hall
    day = working_day()
    of_whole = staff_booking(staff_user, whole, at(day, 8), at(day, 10))
    of_east = staff_booking(staff_user, east, at(day, 12), at(day, 14))
    of_west = staff_booking(staff_user, west, at(day, 12), at(day, 14))
    pending = requested(west, at(day, 16), at(day, 18))
    closed = closure_create(
        actor=staff_user,
        start=at(day, 19),
        end=at(day, 21),
        reason=ClosureReason.OWN_EVENT,
        rooms=[east],
    )
    closure_uid = f"closure-{closed.pk}@127.0.0.1"

    assert uids(room_body(east)) == {uid_of(of_whole), uid_of(of_east), closure_uid}
    assert uids(room_body(west)) == {uid_of(of_whole), uid_of(of_west)}
    assert uids(room_body(whole)) == {
        uid_of(of_whole),
        uid_of(of_east),
        uid_of(of_west),
        closure_uid,
    }
    assert uid_of(pending) not in uids(room_body(whole))


def test_public_feed_shows_the_booking_time_without_setup_and_cleanup(room, staff_user):
    day = working_day()
    booking = staff_booking(staff_user, room, at(day, 10), at(day, 12))
    assert booking.setup_buffer_minutes == 15  # held 09:45–12:15 in the occupancy table

    (seen,) = parsed_alike(room_body(room))
    assert (seen.start, seen.end) == (at(day, 10).astimezone(UTC), at(day, 12).astimezone(UTC))
    assert (seen.summary, seen.status, seen.sequence) == ("Varattu", "CONFIRMED", 0)


def test_public_feed_covers_30_days_back_to_12_months_ahead(room, staff_user):
    soon = working_day(10)
    far = working_day(400)
    near = staff_booking(staff_user, room, at(soon, 10), at(soon, 12))
    later = staff_booking(staff_user, room, at(far, 10), at(far, 12))
    now = timezone.now()

    assert uids(room_body(room, now)) == {uid_of(near)}
    # Two months on, the later one is within 12 months; the near one 50 days gone.
    assert uids(room_body(room, now + timedelta(days=60))) == {uid_of(later)}
    # 25 days after the near one, it is still shown.
    assert uid_of(near) in uids(room_body(room, now + timedelta(days=35)))


def test_public_feed_titles_every_block_in_the_feed_language(room, staff_user):
    day = working_day()
    staff_booking(staff_user, room, at(day, 10), at(day, 12))
    closure_create(
        actor=staff_user,
        start=at(day, 14),
        end=at(day, 16),
        reason=ClosureReason.RENOVATION,
        rooms=[room],
    )
    titles = {
        language: {seen.summary for seen in parsed_alike(room_body(room, language=language))}
        for language in ("fi", "sv", "en")
    }
    assert titles == {"fi": {"Varattu"}, "sv": {"Bokad"}, "en": {"Reserved"}}
    assert values(room_body(room, language="sv"), "NAME") == [
        f"{room.name_sv} – Perhetalo Heideken"
    ]


def test_public_feed_carries_no_renter_data(hall, staff_user):
    whole, east, _west = hall
    day = working_day()
    staff_booking(staff_user, east, at(day, 10), at(day, 12), title=TITLE_MARKER, **MARKERS)
    requested(east, at(day, 14), at(day, 16), title=TITLE_MARKER, message=MESSAGE_MARKER)
    closure_create(
        actor=staff_user,
        start=at(day, 18),
        end=at(day, 20),
        reason=ClosureReason.OTHER,
        rooms=[east],
        note=MESSAGE_MARKER,
    )
    for room in (whole, east):
        for language in ("fi", "sv", "en"):
            text = room_body(room, language=language).decode("utf-8")
            for marker in [*MARKERS.values(), TITLE_MARKER, MESSAGE_MARKER]:
                assert marker.replace(" ", "") not in text.replace("\r\n ", "").replace(" ", "")
            assert "DESCRIPTION" not in text and "LOCATION" not in text and "URL" not in text


# --- Stability and changes ----------------------------------------------------------------


def test_the_same_feed_is_byte_identical_twice(room, staff_user):
    day = working_day()
    staff_booking(staff_user, room, at(day, 10), at(day, 12))
    token = feed_token_create(user=staff_user, name="Oma", rooms=[]).token
    assert room_body(room) == room_body(room)
    assert staff_body(token) == staff_body(token)


def test_moving_a_booking_bumps_its_sequence_and_dtstamp_and_keeps_its_uid(room, staff_user):
    day = working_day()
    booking = staff_booking(staff_user, room, at(day, 10), at(day, 12))
    day_ago = timezone.now() - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(updated_at=day_ago)
    AuditEntry.objects.filter(booking=booking).update(at=day_ago)
    before = Calendar.from_ical(room_body(room)).events[0]

    booking_move(booking=booking, actor=staff_user, start=at(day, 13), end=at(day, 15))

    after = Calendar.from_ical(room_body(room)).events[0]
    assert str(after["UID"]) == str(before["UID"]) == uid_of(booking)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt
    assert after.start == at(day, 13)


def test_approving_a_request_moves_it_from_tentative_to_confirmed_in_staff_feed(room, staff_user):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))
    token = feed_token_create(user=staff_user, name="Jono", rooms=[room]).token
    (before,) = parsed_alike(staff_body(token))

    booking_approve(booking=booking, actor=staff_user)

    (after,) = parsed_alike(staff_body(token))
    assert (before.status, after.status) == ("TENTATIVE", "CONFIRMED")
    assert after.sequence == before.sequence + 1
    assert uids(room_body(room)) == {uid_of(booking)}


def test_a_cancelled_booking_is_struck_out_in_staff_feeds_for_14_days_then_gone(room, staff_user):
    day = working_day(60)
    booking = staff_booking(staff_user, room, at(day, 10), at(day, 12))
    token = feed_token_create(user=staff_user, name="Oma", rooms=[]).token
    booking_cancel(booking=booking, actor=staff_user, reason="Peruttu")
    cancelled_at = Booking.objects.get(pk=booking.pk).updated_at

    def seen_at(now):
        return {seen.uid: seen for seen in parsed_alike(staff_body(token, now))}

    # Days on the house's calendar: the same wall-clock time 14 days on, across a
    # daylight-saving change too.
    cancelled_here = cancelled_at.astimezone(HELSINKI)
    for days in (0, 7, 14):
        shown = seen_at(cancelled_here + timedelta(days=days))[uid_of(booking)]
        assert (shown.status, shown.sequence) == ("CANCELLED", 1)
    assert uid_of(booking) not in seen_at(cancelled_here + timedelta(days=16))
    assert uids(room_body(room)) == set()  # the public feed frees the time at once


# --- The staff feed -----------------------------------------------------------------------


def test_staff_feed_shows_what_staff_need_for_the_rooms_chosen(hall, room, staff_user):
    whole, east, west = hall
    day = working_day()
    chosen = staff_booking(
        staff_user, east, at(day, 10), at(day, 12), title="Vanhempainilta", **MARKERS
    )
    of_whole = staff_booking(staff_user, whole, at(day, 14), at(day, 16))
    elsewhere = staff_booking(staff_user, room, at(day, 10), at(day, 12))
    of_west = staff_booking(staff_user, west, at(day, 10), at(day, 12))
    token = feed_token_create(user=staff_user, name="Itäinen", rooms=[east]).token

    body = staff_body(token)
    assert uids(body) == {uid_of(chosen), uid_of(of_whole)}
    event = next(item for item in Calendar.from_ical(body).events if item["UID"] == uid_of(chosen))
    description = str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == "Vanhempainilta"
    assert MARKERS["organisation"] in description
    assert MARKERS["contact_name"] in description
    assert "12" in description  # attendees
    assert str(event["LOCATION"]) == east.name_fi
    assert str(event["URL"]) == f"http://127.0.0.1:8000/staff/bookings/{chosen.pk}/"

    everything = feed_token_create(user=staff_user, name="Kaikki", rooms=[]).token
    assert {uid_of(b) for b in (chosen, of_whole, elsewhere, of_west)} <= uids(
        staff_body(everything)
    )


# --- The renter's file --------------------------------------------------------------------


def test_renter_file_holds_every_occurrence_of_a_series_in_the_renters_language(room, staff_user):
    from bookings.recurrence import Recurrence
    from bookings.services import booking_series_request_create

    day = working_day()
    result = booking_series_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        recurrence=Recurrence(count=3),
        title="Kerho",
        attendees=6,
        renter=renter(language="sv"),
        accept_terms=True,
        skip_unavailable=True,
    )
    bookings = result.bookings
    body = booking_ics(bookings)
    seen = parsed_alike(body)
    assert [item.uid for item in seen] == [uid_of(booking) for booking in bookings]
    assert {item.status for item in seen} == {"TENTATIVE"}
    assert values(body, "NAME") == ["Heideken-bokning"]
    assert "Kontaktperson: Maija Meikäläinen" in Calendar.from_ical(body).events[0]["DESCRIPTION"]


# --- Daylight saving ----------------------------------------------------------------------


def last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def next_change(month: int) -> date:
    today = timezone.localdate()
    change = last_sunday(today.year, month)
    return change if change > today + timedelta(days=2) else last_sunday(today.year + 1, month)


def test_events_across_both_clock_changes_have_their_true_times(room, staff_user):
    spring, autumn = next_change(3), next_change(10)
    across_spring = staff_booking(
        staff_user,
        room,
        datetime.combine(spring, time(1), tzinfo=HELSINKI),
        datetime.combine(spring, time(6), tzinfo=HELSINKI),
    )
    across_autumn = staff_booking(
        staff_user,
        room,
        datetime.combine(autumn, time(1), tzinfo=HELSINKI),
        datetime.combine(autumn, time(6), tzinfo=HELSINKI),
    )
    # In the repeated hour: the first 03:30 (summer time), and the second (winter time).
    first_0330 = datetime.combine(autumn, time(3, 30), tzinfo=EEST)
    second_0330 = datetime.combine(autumn, time(3, 30), tzinfo=EET)
    in_first = staff_booking(
        staff_user, make_room(slug="pieni"), first_0330, second_0330 + timedelta(hours=1)
    )
    in_second = staff_booking(
        staff_user, make_room(slug="kabinetti"), second_0330, second_0330 + timedelta(hours=2)
    )
    expected = {
        uid_of(across_spring): (
            datetime.combine(spring, time(1), tzinfo=EET),
            datetime.combine(spring, time(6), tzinfo=EEST),
        ),
        uid_of(across_autumn): (
            datetime.combine(autumn, time(1), tzinfo=EEST),
            datetime.combine(autumn, time(6), tzinfo=EET),
        ),
        uid_of(in_first): (first_0330, second_0330 + timedelta(hours=1)),
        uid_of(in_second): (second_0330, second_0330 + timedelta(hours=2)),
    }
    # Same-zone subtraction in Python ignores the offset change: compare in UTC.
    assert expected[uid_of(across_spring)][1] - expected[uid_of(across_spring)][0] == timedelta(
        hours=4
    )
    assert expected[uid_of(across_autumn)][1] - expected[uid_of(across_autumn)][0] == timedelta(
        hours=6
    )

    token = feed_token_create(user=staff_user, name="Kaikki", rooms=[]).token
    body = staff_body(token, now=datetime.combine(spring, time(0), tzinfo=HELSINKI))
    body_autumn = staff_body(token, now=datetime.combine(autumn, time(0), tzinfo=HELSINKI))
    seen = {item.uid: (item.start, item.end) for item in parsed_alike(body)}
    seen |= {item.uid: (item.start, item.end) for item in parsed_alike(body_autumn)}
    assert seen == {
        uid: (start.astimezone(UTC), end.astimezone(UTC)) for uid, (start, end) in expected.items()
    }
    # Both 03:30s are written in UTC: parsers disagree on which one a local 03:30 means.
    assert {f"{autumn:%Y%m%d}T003000Z", f"{autumn:%Y%m%d}T013000Z"} <= set(
        values(body_autumn, "DTSTART")
    )
