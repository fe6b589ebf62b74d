"""HTTP for the calendar feeds (SPEC §3.5): validators, 304s, headers, and tokens kept
out of logs.

A calendar app polls: each view first reads the feed's cheap stamp, answers 304 when the
client's copy is current, and only otherwise loads and renders the entries. A public
room feed may be kept 15 minutes by any cache (`max-age=900`); the view itself reuses the
stamp it last read for `FEED_RECHECK_SECONDS` (a few seconds) before asking the database
again, so a burst of polls is answered without a query. A 200 always reads afresh.

Two of the three addresses carry a secret. Django logs every 4xx answer with the request
path (`django.request`), which would write the secret into the log; the token views
therefore log their refusals themselves with the token replaced, and mark the answer as
logged so that Django does not log it again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponseServerError,
)
from django.utils import timezone, translation
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from bookings.calendar import booking_ics, room_feed_ics, staff_feed_ics
from bookings.feeds import (
    FeedVersion,
    RoomFeed,
    feed_token_touch,
    renter_bookings,
    room_feed_entries,
    room_feed_find,
    staff_feed_entries,
    staff_feed_find,
)
from bookings.memo import Memo
from bookings.schedule import local

logger = logging.getLogger("django.request")

CONTENT_TYPE = "text/calendar; charset=utf-8"
SAFE_METHODS = ("GET", "HEAD")
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
# Proxies and the association's web site may keep a public feed a while; a private one
# holds personal data, so no shared cache may keep it, and the client revalidates.
PUBLIC_CACHE = "public, max-age=900"
PRIVATE_CACHE = "private, no-cache, max-age=0"
PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


# --- Languages and validators -------------------------------------------------------------


def feed_language(request: HttpRequest, *, prefixed: bool) -> str:
    """`?lang=` first; then, on addresses that take a language prefix, the /sv/ or /en/
    prefix (LocaleMiddleware has read it, and gives Finnish without one); else Finnish.
    Never Accept-Language or a cookie: one address gives one body."""
    asked = request.GET.get("lang", "")
    if asked in LANGUAGE_CODES:
        return asked
    return request.LANGUAGE_CODE if prefixed else settings.LANGUAGE_CODE


def _http_date(request: HttpRequest, header: str) -> int | None:
    value = request.headers.get(header)
    return parse_http_date_safe(value) if value else None


def _etags(request: HttpRequest, header: str) -> list[str]:
    value = request.headers.get(header)
    return parse_etags(value) if value else []


def precondition_status(request: HttpRequest, version: FeedVersion) -> int | None:
    """The answer RFC 9110 13.2.2 gives a conditional GET or HEAD: 412 when If-Match or
    If-Unmodified-Since fails, 304 when the client's copy is current (If-None-Match,
    compared weakly, decides when sent, else If-Modified-Since), None for the full body."""
    last_modified = int(version.last_modified.timestamp())
    if_match = _etags(request, "If-Match")
    if if_match and "*" not in if_match and version.etag not in if_match:
        return 412
    unmodified_since = _http_date(request, "If-Unmodified-Since")
    if not if_match and unmodified_since is not None and last_modified > unmodified_since:
        return 412
    if_none_match = _etags(request, "If-None-Match")
    if if_none_match:
        current = "*" in if_none_match or version.etag in {
            etag.removeprefix("W/") for etag in if_none_match
        }
        return 304 if current else None
    since = _http_date(request, "If-Modified-Since")
    return 304 if since is not None and last_modified <= since else None


def _validators(response: HttpResponse, version: FeedVersion) -> None:
    response.headers["ETag"] = version.etag
    response.headers["Last-Modified"] = http_date(version.last_modified.timestamp())


def _headers(response: HttpResponse, language: str, *, private: bool) -> HttpResponse:
    response.headers["Content-Language"] = language
    if private:
        return _private(response)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


def calendar_response(
    request: HttpRequest,
    version: FeedVersion,
    language: str,
    render: Callable[[], bytes],
    *,
    private: bool,
) -> HttpResponse:
    """The calendar, or a 304 (without loading or rendering anything) when the client's
    copy is current, or a 412. A 304 carries the validators and cache headers that the
    200 would (RFC 9110 15.4.5)."""
    status = precondition_status(request, version)
    if status == 304:
        response: HttpResponse = HttpResponseNotModified()
    elif status == 412:
        return _headers(HttpResponse(status=412), language, private=private)
    else:
        with translation.override(language):
            response = HttpResponse(render(), content_type=CONTENT_TYPE)
    _validators(response, version)
    return _headers(response, language, private=private)


# --- Addresses with a secret in them ----------------------------------------------------


View = Callable[..., HttpResponse]


def _quietly(response: HttpResponse, redacted_path: str) -> HttpResponse:
    """Log the refusal with the secret replaced, and keep Django from logging the path."""
    logger.warning(
        "%s: %s", response.reason_phrase, redacted_path, extra={"status_code": response.status_code}
    )
    # django.utils.log.log_response skips such answers; the stubs omit the private flag.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _private(response: HttpResponse) -> HttpResponse:
    for name, value in PRIVATE_HEADERS.items():
        response.headers[name] = value
    response.headers["Cache-Control"] = PRIVATE_CACHE
    return response


def secret_not_found() -> HttpResponse:
    """The same answer for an unknown token, a revoked one and a departed owner's."""
    return HttpResponseNotFound(b"Not found\n", content_type="text/plain; charset=utf-8")


def secret_address(redacted_path: str) -> Callable[[View], View]:
    """For views whose path holds a secret: GET and HEAD only, every failure logged with
    `redacted_path` instead of the path, a crash included (logged with its traceback and
    answered with a bare 500)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method not in SAFE_METHODS:
                return _quietly(_private(HttpResponseNotAllowed(SAFE_METHODS)), redacted_path)
            try:
                response = view(request, *args, **kwargs)
            except Exception:  # logged right here, without the secret
                logger.exception("Internal Server Error: %s", redacted_path)
                response = HttpResponseServerError(b"Server error\n", content_type="text/plain")
                response._has_been_logged = True  # type: ignore[attr-defined]  # as in _quietly
                return _private(response)
            if response.status_code >= 400:
                return _quietly(_private(response), redacted_path)
            return response

        return wrapped

    return decorate


# --- Views --------------------------------------------------------------------------------


_recent_room_feeds: Memo[RoomFeed] = Memo(seconds=0, size=1000)


def room_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The public feed of a room: busy blocks only (SPEC §2.8)."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    now = timezone.now()
    language = feed_language(request, prefixed=True)
    recent_key = (slug, local(now).date())
    feed = _recent_room_feeds.get(recent_key)
    if feed is None or precondition_status(request, feed.version(language, now)) != 304:
        feed = room_feed_find(slug=slug, now=now)
        if feed is None:
            raise Http404("No public room with this address.")
        _recent_room_feeds.put(recent_key, feed, seconds=settings.FEED_RECHECK_SECONDS)

    def render() -> bytes:
        bookings, closures = room_feed_entries(feed)
        return room_feed_ics(room=feed.room.as_room(), bookings=bookings, closures=closures)

    return calendar_response(request, feed.version(language, now), language, render, private=False)


@secret_address("/ical/feeds/[token].ics")
def staff_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A staff member's private feed; any failure is the same quiet 404."""
    now = timezone.now()
    feed = staff_feed_find(token=token, now=now)
    if feed is None:
        return secret_not_found()
    feed_token_touch(
        feed_token=feed.feed_token, client=request.headers.get("User-Agent", ""), now=now
    )
    language = feed_language(request, prefixed=False)

    def render() -> bytes:
        bookings, closures = staff_feed_entries(feed)
        return staff_feed_ics(name=feed.feed_token.name, bookings=bookings, closures=closures)

    return calendar_response(request, feed.version(language, now), language, render, private=True)


@secret_address("/request/[token]/booking.ics")
def renter_booking(request: HttpRequest, token: str) -> HttpResponse:
    """The renter's own booking as a file, byte for byte the approval e-mail's attachment.

    It holds a handful of events, so it is rendered every time and its ETag is a digest
    of the body itself.
    """
    bookings = renter_bookings(token=token)
    if not bookings:
        return secret_not_found()
    body = booking_ics(bookings)
    version = body_version(body, max(booking.updated_at for booking in bookings))
    response = calendar_response(request, version, bookings[0].language, lambda: body, private=True)
    if response.status_code == 200:
        response.headers["Content-Disposition"] = 'attachment; filename="heideken-booking.ics"'
    return response


def body_version(body: bytes, last_modified: datetime) -> FeedVersion:
    digest = hashlib.sha256(body).hexdigest()[:40]
    return FeedVersion(etag=f'"{digest}"', last_modified=min(last_modified, timezone.now()))
