"""The feeds over HTTP, as a calendar app polls them: validators and 304s, headers, the
secret addresses, and query counts that do not grow with the number of events."""

from __future__ import annotations

import base64
import logging
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import parse_http_date

from bookings.calendar import booking_ics
from bookings.feeds import (
    feed_token_create,
    feed_token_revoke,
    feed_token_rotate,
    room_feed_url,
    staff_feed_url,
    webcal_url,
)
from bookings.models import AuditEntry, Booking, ClosureReason, FeedToken
from bookings.services import (
    booking_cancel,
    booking_details_update,
    booking_move,
    booking_request_create,
    booking_staff_create,
    closure_create,
    closure_remove,
)
from tests.bookings.ics_parsers import parsed_alike, values
from tests.factories import at, make_room, renter, working_day, working_days

pytestmark = pytest.mark.django_db

CALENDAR = "text/calendar; charset=utf-8"


def book(actor, room, day, hour, *, hours=1, title="Koulutus") -> Booking:
    return booking_staff_create(
        actor=actor,
        room=room,
        start=at(day, hour),
        end=at(day, hour + hours),
        title=title,
        attendees=10,
        renter=renter(),
    )


def room_url(room, prefix="") -> str:
    return f"{prefix}/ical/rooms/{room.slug}.ics"


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def feed_path(staff_user):
    """A private feed of every room, by its path."""

    def make(**fields) -> str:
        result = feed_token_create(user=staff_user, name=fields.pop("name", "Oma"), **fields)
        return path_of(result.url)

    return make


# --- Validators and 304s ---------------------------------------------------------------------


def test_room_feed_answers_a_calendar_with_strong_validators_and_public_caching(
    client, room, staff_user
):
    book(staff_user, room, working_day(), 10)
    response = client.get(room_url(room))

    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"]
    assert "public" in response["Cache-Control"] and "max-age=900" in response["Cache-Control"]
    assert response["Content-Language"] == "fi"
    assert len(parsed_alike(response.content)) == 1


def test_a_current_copy_gets_304_by_etag_or_by_date_without_a_body(client, room, staff_user):
    book(staff_user, room, working_day(), 10)
    first = client.get(room_url(room))

    by_etag = client.get(room_url(room), headers={"If-None-Match": first["ETag"]})
    by_date = client.get(room_url(room), headers={"If-Modified-Since": first["Last-Modified"]})
    stale = client.get(room_url(room), headers={"If-None-Match": '"something-else"'})

    assert (by_etag.status_code, by_date.status_code, stale.status_code) == (304, 304, 200)
    assert by_etag.content == b"" and by_etag["ETag"] == first["ETag"]
    assert by_etag["Cache-Control"] == first["Cache-Control"]
    assert stale.content == first.content


def test_a_304_does_not_load_or_render_the_events(client, room, staff_user):
    day = working_day()
    for hour in (8, 10, 12, 14):
        book(staff_user, room, day, hour)
    etag = client.get(room_url(room))["ETag"]
    with CaptureQueriesContext(connection) as full:
        client.get(room_url(room))
    with CaptureQueriesContext(connection) as not_modified:
        assert client.get(room_url(room), headers={"If-None-Match": etag}).status_code == 304
    assert len(not_modified) == 1 < len(full)


def test_within_the_recheck_interval_a_304_asks_nothing_and_a_200_is_current(
    client, room, staff_user, settings
):
    settings.FEED_RECHECK_SECONDS = 60
    book(staff_user, room, working_day(), 10)
    first = client.get(room_url(room))
    with CaptureQueriesContext(connection) as not_modified:
        poll = client.get(room_url(room), headers={"If-None-Match": first["ETag"]})
    assert poll.status_code == 304 and len(not_modified) == 0

    book(staff_user, room, working_day(), 14)
    # A full answer always reads afresh: the new booking and the new ETag ...
    full = client.get(room_url(room))
    assert len(parsed_alike(full.content)) == 2 and full["ETag"] != first["ETag"]
    # ... after which the old copy is stale and the new one current.
    assert client.get(room_url(room), headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert client.get(room_url(room), headers={"If-None-Match": full["ETag"]}).status_code == 304


def test_a_change_reaches_polling_clients_once_the_recheck_interval_passes(
    client, room, staff_user, settings
):
    settings.FEED_RECHECK_SECONDS = 1
    book(staff_user, room, working_day(), 10)
    first = client.get(room_url(room))
    book(staff_user, room, working_day(), 14)
    time.sleep(1.1)
    poll = client.get(room_url(room), headers={"If-None-Match": first["ETag"]})
    assert poll.status_code == 200 and len(parsed_alike(poll.content)) == 2


def test_every_change_that_alters_the_feed_alters_its_etag_and_nothing_else_does(
    client, hall, staff_user
):
    whole, east, west = hall
    day = working_day()
    seen: list[tuple[str, bytes]] = []

    def fetch() -> tuple[str, bytes]:
        response = client.get(room_url(east))
        seen.append((response["ETag"], response.content))
        return seen[-1]

    fetch()
    booking = book(staff_user, east, day, 10)
    fetch()
    fetch()  # nothing happened
    book(staff_user, west, day, 10)  # another space: not in this feed
    fetch()
    booking_move(booking=booking, actor=staff_user, start=at(day, 12), end=at(day, 13))
    fetch()
    of_whole = book(staff_user, whole, day, 15)
    fetch()
    closure = closure_create(
        actor=staff_user,
        start=at(day, 18),
        end=at(day, 19),
        reason=ClosureReason.CLEANING,
        rooms=[east],
    )
    fetch()
    closure_remove(closure=closure, actor=staff_user)
    fetch()
    booking_cancel(booking=of_whole, actor=staff_user)
    fetch()
    east.name_fi = "Itäsiipi"
    east.save()
    fetch()

    # A strong validator: one ETag never stands for two bodies (RFC 9110 8.8.1) ...
    body_of: dict[str, bytes] = {}
    for etag, body in seen:
        assert body_of.setdefault(etag, body) == body
    # ... and a poll after nothing (or nothing of this room) changed is a 304.
    assert seen[1][0] == seen[2][0] == seen[3][0]
    assert len(body_of) >= 6


def test_last_modified_never_moves_back_when_an_entry_leaves(client, room, staff_user):
    day = working_day()
    book(staff_user, room, day, 10)
    newest = book(staff_user, room, day, 14)
    # Make the history an hour old, so that the cancellation below is a later second.
    hour_ago = timezone.now() - timedelta(hours=1)
    Booking.objects.update(updated_at=hour_ago)
    AuditEntry.objects.update(at=hour_ago)
    before = client.get(room_url(room))

    booking_cancel(booking=newest, actor=staff_user)

    after = client.get(room_url(room), headers={"If-Modified-Since": before["Last-Modified"]})
    assert after.status_code == 200  # the cancellation is news to a date-only client
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(before["Last-Modified"])
    assert len(parsed_alike(after.content)) == 1


def test_room_feed_language_follows_lang_or_the_path_prefix(client, room, staff_user):
    book(staff_user, room, working_day(), 10)
    answers = {
        "fi": client.get(room_url(room)),
        "sv": client.get(room_url(room, "/sv")),
        "en": client.get(room_url(room) + "?lang=en"),
        "en-over-prefix": client.get(room_url(room, "/sv") + "?lang=en"),
    }
    summaries = {key: parsed_alike(answer.content)[0].summary for key, answer in answers.items()}
    assert summaries == {
        "fi": "Varattu",
        "sv": "Bokad",
        "en": "Reserved",
        "en-over-prefix": "Reserved",
    }
    assert len({answer["ETag"] for answer in answers.values()}) == 3
    assert answers["sv"]["Content-Language"] == "sv"


@pytest.mark.parametrize("how", ["not public", "not in use", "unknown"])
def test_room_feed_of_a_room_that_is_not_public_is_404(client, hours, how):
    room = make_room(is_public=how != "not public", is_active=how != "not in use")
    slug = "no-such-room" if how == "unknown" else room.slug
    assert client.get(f"/ical/rooms/{slug}.ics").status_code == 404


def test_query_counts_do_not_grow_with_the_number_of_events(client, hours, staff_user, feed_path):
    small, large = make_room(slug="pieni"), make_room(slug="suuri")
    days = working_days(12)
    day = days[0]
    book(staff_user, small, day, 8)
    for each in days:
        book(staff_user, large, each, 8)
        book(staff_user, large, each, 12, title="Toinen")
    closure_create(
        actor=staff_user,
        start=at(day, 20),
        end=at(day, 21),
        reason=ClosureReason.CLEANING,
        rooms=[small, large],
    )
    small_path = feed_path(rooms=[small])
    large_path = feed_path(rooms=[large])

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    queries(small_path), queries(large_path)  # a first use records itself: a write
    queries(room_url(small)), queries(room_url(large))  # first polls fill the stamp memo
    assert queries(room_url(small)) == queries(room_url(large)) == 4
    assert queries(small_path) == queries(large_path)


# --- Private feeds ---------------------------------------------------------------------------


def test_private_feed_is_private_uncached_and_unindexed(client, room, staff_user, feed_path):
    book(staff_user, room, working_day(), 10)
    path = feed_path()
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    not_modified = client.get(path, headers={"If-None-Match": response["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified["Referrer-Policy"] == "no-referrer"


def test_a_token_is_long_random_and_only_its_hash_is_stored(staff_user):
    tokens = [feed_token_create(user=staff_user, name=f"F{n}").token for n in range(3)]

    assert len(set(tokens)) == 3
    assert all(len(base64.urlsafe_b64decode(token + "==")) * 8 >= 128 for token in tokens)
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert not any(token in dump.getvalue() for token in tokens)
    assert FeedToken.objects.count() == 3


def test_rotating_kills_the_old_address_and_revoking_the_new(client, staff_user, feed_path):
    old_path = feed_path(name="Puhelin")
    feed_token = FeedToken.objects.get()
    new_path = path_of(feed_token_rotate(feed_token=feed_token).url)

    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    assert values(client.get(new_path).content, "NAME")[0].endswith(": Puhelin")

    feed_token_revoke(feed_token=feed_token)
    assert client.get(new_path).status_code == 404


def test_unknown_revoked_and_departed_owners_tokens_get_the_same_bare_404(
    client, staff_user, feed_path
):
    revoked_path = feed_path(name="Vanha")
    feed_token_revoke(feed_token=FeedToken.objects.get(name="Vanha"))
    departed_path = feed_path(name="Lähtijän")
    staff_user.groups.clear()  # no longer booking staff: may not read bookings

    answers = [
        client.get(path) for path in ("/ical/feeds/not-a-token.ics", revoked_path, departed_path)
    ]
    assert {answer.status_code for answer in answers} == {404}
    assert len({(answer.content, tuple(sorted(answer.headers.items()))) for answer in answers}) == 1
    assert answers[0]["Referrer-Policy"] == "no-referrer"


def test_tokens_never_reach_the_log(client, hours, staff_user, feed_path, caplog):
    live = feed_path()
    revoked = feed_path(name="Pois")
    feed_token_revoke(feed_token=FeedToken.objects.get(name="Pois"))
    booking = booking_request_create(
        room=make_room(),
        start=at(working_day(), 10),
        end=at(working_day(), 12),
        title="Oma",
        attendees=2,
        renter=renter(),
        accept_terms=True,
    )
    paths = [
        live,
        revoked,
        "/ical/feeds/Zm9yZ2VkLXRva2VuLWZvci10ZXN0.ics",
        f"/request/{booking.status_token}/booking.ics",
        "/request/Zm9yZ2VkLXJlbnRlci10b2tlbg/booking.ics",
    ]
    with caplog.at_level(logging.DEBUG):
        for path in paths:
            client.get(path)
            client.post(path)
            client.get(path, headers={"If-Match": '"x"'})
    logged = "\n".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    for path in paths:
        secret = path.split("/")[-1].removesuffix(".ics") if "feeds" in path else path.split("/")[2]
        assert secret not in logged
    assert "Not Found: /ical/feeds/[token].ics" in logged


def test_a_feed_records_when_and_by_what_client_it_was_last_used(client, staff_user, feed_path):
    path = feed_path()
    feed_token = FeedToken.objects.get()
    assert feed_token.last_used_at is None

    client.get(path, headers={"User-Agent": "Thunderbird/140 " + "x" * 500})
    feed_token.refresh_from_db()
    assert feed_token.last_used_at is not None
    assert feed_token.last_used_client.startswith("Thunderbird/140")
    assert len(feed_token.last_used_client) == 200

    client.get(path, headers={"User-Agent": "Google-Calendar-Importer"})
    feed_token.refresh_from_db()
    assert feed_token.last_used_client == "Google-Calendar-Importer"


def test_a_staff_feed_url_is_built_on_site_url(staff_user):
    result = feed_token_create(user=staff_user, name="Oma")
    assert result.url == staff_feed_url(result.token)
    assert result.url.startswith("http://127.0.0.1:8000/ical/feeds/")
    assert result.webcal_url == "webcal://" + result.url.removeprefix("http://")


def test_only_people_who_may_read_bookings_get_a_feed(django_user_model):
    from django.core.exceptions import ValidationError

    outsider = django_user_model.objects.create_user("outsider", password="pw-outsider-1")
    with pytest.raises(ValidationError):
        feed_token_create(user=outsider, name="Ei")


# --- The renter's file ---------------------------------------------------------------------------


def test_renter_file_is_the_same_bytes_as_the_email_attachment(client, room):
    day = working_day()
    result = booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Kevätjuhla",
        attendees=20,
        renter=renter(language="en"),
        accept_terms=True,
    )
    response = client.get(f"/sv/request/{result.status_token}/booking.ics")

    assert response.status_code == 200
    assert response.content == booking_ics([Booking.objects.get(pk=result.booking.pk)])
    assert response["Content-Type"] == CALENDAR
    assert response["Content-Disposition"] == 'attachment; filename="heideken-booking.ics"'
    assert response["Referrer-Policy"] == "no-referrer"
    assert values(response.content, "NAME") == ["Heideken booking"]  # the renter's language
    again = client.get(
        f"/request/{result.status_token}/booking.ics",
        headers={"If-None-Match": response["ETag"]},
    )
    assert again.status_code == 304
    assert client.get("/request/unknown-token/booking.ics").status_code == 404


def test_editing_renter_details_changes_the_staff_feed_but_not_the_public_one(
    client, room, staff_user, feed_path
):
    booking = book(staff_user, room, working_day(), 10)
    Booking.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    staff_path = feed_path()
    public_before, staff_before = client.get(room_url(room)), client.get(staff_path)

    booking_details_update(booking=booking, actor=staff_user, details={"title": "Uusi nimi"})

    public_after, staff_after = client.get(room_url(room)), client.get(staff_path)
    assert public_after.content == public_before.content
    assert public_after["ETag"] == public_before["ETag"]
    assert staff_after["ETag"] != staff_before["ETag"]
    assert parsed_alike(staff_after.content)[0].summary == "Uusi nimi"


def test_subscribe_links_for_room_pages_lead_to_the_feed_in_each_language(client, room):
    assert room_feed_url(room.slug) == f"http://127.0.0.1:8000/ical/rooms/{room.slug}.ics"
    swedish = room_feed_url(room.slug, "sv")
    assert swedish == f"http://127.0.0.1:8000/sv/ical/rooms/{room.slug}.ics"
    assert webcal_url(swedish) == f"webcal://127.0.0.1:8000/sv/ical/rooms/{room.slug}.ics"
    assert client.get(path_of(swedish))["Content-Language"] == "sv"
