"""Calendar feeds: what each feed holds, its HTTP validators, and the staff feed tokens.

Three feeds (SPEC §2.8, §3.5): a public one per room, a private one per staff token, and
the renter's own booking. The reads here load the rows; `bookings.calendar` renders them.

Validators without rendering: a calendar app polls its feeds, mostly to hear "nothing
changed". So a feed first reads a cheap *stamp* of the rows it would show and derives
its ETag from that and from everything else its bytes are made of; only when the
client's copy is stale are the rows loaded and rendered.

- A room feed's stamp is its spaces and its occupancy rows' count and ids: occupancy is
  rewritten, with new ids, on every approval, move, cancellation, closure and change of
  a room's parts, and each of those writes an audit entry too. So the stamp is
  remembered per version of the audit trail, and a poll costs one small query.
- A staff feed also shows renters' details, whose edits bump `updated_at`: its stamp
  is read every time, a few aggregates.
- The renter's file holds a handful of events: it is rendered every time, and its ETag
  is a digest of the bytes.

Windows are whole local days, so a feed's contents move with time only at midnight.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from bookings.calendar import RENDERER_FINGERPRINT
from bookings.conflicts import RoomGraph, overlapping, room_graph, spaces_of
from bookings.memo import Memo
from bookings.models import (
    BLOCKING_KINDS,
    AuditAction,
    AuditEntry,
    Booking,
    BookingStatus,
    Closure,
    FeedToken,
    Occupancy,
    Room,
)
from bookings.permissions import reads_bookings
from bookings.schedule import HELSINKI, local
from bookings.services import status_token_hash

DAYS_BACK = 30
MONTHS_AHEAD = 12
CANCELLED_SHOWN_DAYS = 14
# Recording every poll would make each feed request a write; a few minutes' precision
# is enough to tell staff whether a feed is still in use.
TOUCH_INTERVAL = timedelta(minutes=5)
CLIENT_MAX_LENGTH = 200


# --- Windows and validators ---------------------------------------------------------------


@dataclass(frozen=True)
class FeedWindow:
    """From midnight 30 days back to the midnight after 12 months ahead, local time."""

    today: date

    @property
    def moved_at(self) -> datetime:
        """When the window last moved: today's local midnight."""
        return datetime.combine(self.today, time.min, tzinfo=HELSINKI)

    @property
    def start(self) -> datetime:
        first = self.today - timedelta(days=DAYS_BACK)
        return datetime.combine(first, time.min, tzinfo=HELSINKI)

    @property
    def end(self) -> datetime:
        after_last = self.today + relativedelta(months=MONTHS_AHEAD) + timedelta(days=1)
        return datetime.combine(after_last, time.min, tzinfo=HELSINKI)


def feed_window(now: datetime) -> FeedWindow:
    return FeedWindow(today=local(now).date())


@dataclass(frozen=True)
class FeedVersion:
    """A feed's HTTP validators (RFC 9110 8.8): a strong ETag and a Last-Modified."""

    etag: str
    last_modified: datetime


def feed_version(key: tuple, changes: list[datetime | None], now: datetime) -> FeedVersion:
    """The ETag is a digest of everything the bytes are made of (`key`, plus the host and
    the renderer); Last-Modified is the latest change, never later than now."""
    material = repr((key, settings.SITE_URL, RENDERER_FINGERPRINT)).encode()
    etag = '"' + hashlib.sha256(material).hexdigest()[:40] + '"'
    last = max(change for change in changes if change is not None)
    return FeedVersion(etag=etag, last_modified=min(last, now))


def _house_last_change() -> Subquery:
    """The newest audit entry anywhere: every booking and closure write records one.

    It is what keeps Last-Modified from moving backwards when an entry leaves a feed
    (cancelled, moved to another room, closure lifted): the feed's own rows no longer
    show that change, the audit trail does. Coarse (any change in the house counts), but
    one index lookup, and clients that send If-None-Match are judged by the exact ETag.
    """
    return Subquery(AuditEntry.objects.order_by("-at").values("at")[:1])


def _stamp(queryset: QuerySet, **fields: object) -> tuple:
    values = queryset.aggregate(**fields)
    return tuple(values[name] for name in sorted(values))


def _aware(value: datetime | str | None) -> datetime | None:
    """A datetime read with a raw cursor: SQLite gives naive UTC text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=UTC)


# --- Public room feeds --------------------------------------------------------------------


@dataclass(frozen=True)
class HouseVersion:
    """The newest audit entry: it moves with every write the services make."""

    entry_id: int | None
    at: datetime | None


@dataclass(frozen=True)
class PublicRoom:
    """What a public feed shows of its room (a model instance costs more to make than
    the whole 304 answer may)."""

    pk: int
    slug: str
    name_fi: str
    name_sv: str
    name_en: str

    def as_room(self) -> Room:
        return Room(
            pk=self.pk,
            slug=self.slug,
            name_fi=self.name_fi,
            name_sv=self.name_sv,
            name_en=self.name_en,
        )


@dataclass(frozen=True)
class RoomFeed:
    room: PublicRoom
    window: FeedWindow
    house: HouseVersion

    def occupancy(self, spaces: frozenset[int]) -> QuerySet[Occupancy]:
        rows = Occupancy.objects.filter(overlapping(spaces, self.window.start, self.window.end))
        return rows.filter(kind__in=BLOCKING_KINDS)

    def version(self, language: str, now: datetime) -> FeedVersion:
        room = self.room
        key = (
            "room",
            language,
            room.pk,
            (room.name_fi, room.name_sv, room.name_en),
            self.window.today,
            room_feed_stamp(self),
        )
        return feed_version(key, [self.window.moved_at, self.house.at], now)


# One statement, written out: a poll that ends in 304 runs nothing else most of the time,
# and the ORM's query building alone costs more than this query does.
_ROOM_FEED_SQL = """
    SELECT room.id, room.slug, room.name_fi, room.name_sv, room.name_en,
           (SELECT MAX(entry.id) FROM {audit} entry),
           (SELECT MAX(entry.at) FROM {audit} entry)
    FROM {room} room
    WHERE room.slug = %s AND room.is_public AND room.is_active
"""


def _room_feed_sql() -> str:
    quote = connection.ops.quote_name
    return _ROOM_FEED_SQL.format(
        audit=quote(AuditEntry._meta.db_table), room=quote(Room._meta.db_table)
    ).replace("entry.at", "entry." + quote("at"))


def room_feed_find(*, slug: str, now: datetime) -> RoomFeed | None:
    """A public room's feed, without its entries; None when the room is not public or
    not in use. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_room_feed_sql(), [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    *room, entry_id, entry_at = row
    return RoomFeed(PublicRoom(*room), feed_window(now), HouseVersion(entry_id, _aware(entry_at)))


# A stamp is a pure function of the database at one house version, so it is remembered
# per version (see bookings.memo for why entries still expire).
STAMP_MEMO_SECONDS = 60
_stamp_memo: Memo[tuple] = Memo(seconds=STAMP_MEMO_SECONDS, size=1000)


def room_feed_stamp(feed: RoomFeed) -> tuple:
    """What the room's entries in the window are made of: the spaces and the occupancy
    rows (which are rewritten, with new ids, on every approval, move, cancellation,
    closure and change of a room's parts). Every such write also writes an audit entry,
    so the stamp is kept per house version: most polls find it in the memo."""
    key = (feed.room.pk, feed.window.today, feed.house.entry_id, feed.house.at)
    stamp = _stamp_memo.get(key)
    if stamp is not None:
        return stamp
    spaces = spaces_of(feed.room.pk, room_graph())
    rows = _stamp(feed.occupancy(spaces), rows=Count("pk"), row_ids=Sum("pk"), newest=Max("pk"))
    return _stamp_memo.put(key, (tuple(sorted(spaces)), rows))


def _last_public_change() -> Coalesce:
    """When the booking's time, room or state last changed: its newest audit entry but a
    detail edit's (which changes nothing a public feed shows), else its last change."""
    newest = (
        AuditEntry.objects.filter(booking=OuterRef("pk"))
        .exclude(action=AuditAction.DETAILS_CHANGED)
        .order_by("-at", "-pk")
    )
    return Coalesce(Subquery(newest.values("at")[:1]), F("updated_at"))


def room_feed_entries(feed: RoomFeed) -> tuple[list[Booking], list[Closure]]:
    """The approved bookings and closures that hold the room's spaces in the window, by
    their own times (buffers are the house's business, not the public's). Three queries.
    Each booking carries `last_public_change` for its DTSTAMP."""
    held = feed.occupancy(spaces_of(feed.room.pk, room_graph()))
    window = feed.window
    in_window = Q(start__lt=window.end, end__gt=window.start)
    bookings = (
        Booking.objects.filter(in_window, pk__in=held.values("booking_id"))
        .annotate(last_public_change=_last_public_change())
        .only("pk", "start", "end", "updated_at", "sequence")
        .order_by("start", "pk")
    )
    closures = (
        Closure.objects.filter(in_window, pk__in=held.values("closure_id"))
        .only("pk", "start", "end", "created_at")
        .order_by("start", "pk")
    )
    return list(bookings), list(closures)


# --- Private staff feeds ------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rooms_sharing_space(room_ids: set[int], graph: RoomGraph) -> set[int]:
    """The chosen rooms with their parts and the combinations that contain them: every
    room whose bookings hold a space of a chosen room."""
    wanted: set[int] = set()
    for room_id in room_ids:
        wanted |= spaces_of(room_id, graph)
    combined = {room_id for room_id in graph if spaces_of(room_id, graph) & wanted}
    return wanted | combined | room_ids


@dataclass(frozen=True)
class StaffFeed:
    feed_token: FeedToken
    room_ids: set[int] | None  # None: every room
    window: FeedWindow
    cancelled_since: datetime
    stamp: tuple
    last_change: datetime | None

    def bookings(self) -> QuerySet[Booking]:
        shown = Q(status__in=[BookingStatus.REQUESTED, BookingStatus.APPROVED]) | Q(
            status=BookingStatus.CANCELLED, updated_at__gte=self.cancelled_since
        )
        rows = Booking.objects.filter(shown, start__lt=self.window.end, end__gt=self.window.start)
        if self.room_ids is not None:
            rows = rows.filter(room_id__in=self.room_ids)
        return rows

    def closures(self) -> QuerySet[Closure]:
        rows = Closure.objects.filter(
            removed_at__isnull=True, start__lt=self.window.end, end__gt=self.window.start
        )
        if self.room_ids is not None:
            rows = rows.filter(Q(whole_house=True) | Q(rooms__in=self.room_ids)).distinct()
        return rows

    def version(self, language: str, now: datetime) -> FeedVersion:
        key = (
            "staff",
            language,
            self.feed_token.pk,
            self.feed_token.name,
            sorted(self.room_ids) if self.room_ids is not None else None,
            self.window.today,
            self.stamp,
        )
        # _stamp orders the aggregates by name: "changed" (the newest booking change) first.
        changed = self.stamp[0][0] if self.stamp else None
        return feed_version(key, [self.window.moved_at, self.last_change, changed], now)


def _may_read_bookings(user: User) -> bool:
    # A feed stops working when its owner leaves the staff: it shows renters' data.
    return reads_bookings(user)


def staff_feed_find(*, token: str, now: datetime) -> StaffFeed | None:
    """The feed of a live token whose owner may still read bookings, without its
    entries; None otherwise, whatever the reason."""
    feed_token = (
        FeedToken.objects.filter(token_hash=feed_token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .annotate(house_last_change=_house_last_change())
        .first()
    )
    if feed_token is None or not _may_read_bookings(feed_token.user):
        return None
    chosen = set(feed_token.rooms.values_list("pk", flat=True))
    room_ids = rooms_sharing_space(chosen, room_graph()) if chosen else None
    window = feed_window(now)
    cancelled_since = datetime.combine(
        window.today - timedelta(days=CANCELLED_SHOWN_DAYS), time.min, tzinfo=HELSINKI
    )
    feed = StaffFeed(feed_token, room_ids, window, cancelled_since, (), None)
    stamp = (
        _stamp(
            feed.bookings(),
            rows=Count("pk"),
            ids=Sum("pk"),
            changed=Max("updated_at"),
            revisions=Sum("sequence"),
        ),
        # Closures and rooms have no change stamp, and staff may edit a closure's reason
        # and note or a room's name: their few rows are the stamp.
        tuple(feed.closures().order_by("pk").values_list("pk", "reason", "note")),
        tuple(Room.objects.order_by("pk").values_list("pk", "name_fi", "name_sv", "name_en")),
    )
    return StaffFeed(
        feed_token, room_ids, window, cancelled_since, stamp, feed_token.house_last_change
    )


def staff_feed_entries(feed: StaffFeed) -> tuple[list[Booking], list[Closure]]:
    """Requested and approved bookings, and those cancelled in the last 14 days (shown as
    cancelled, so calendars strike them out before they vanish), with the closures.
    Three queries."""
    bookings = feed.bookings().select_related("room").order_by("start", "pk")
    closures = feed.closures().prefetch_related("rooms").order_by("start", "pk")
    return list(bookings), list(closures)


# --- A renter's own booking ---------------------------------------------------------------


def renter_bookings(*, token: str) -> list[Booking]:
    """Every booking the status link covers (all occurrences of a series), any state."""
    if not token:
        return []
    rows = Booking.objects.filter(status_token_hash=status_token_hash(token))
    return list(rows.select_related("room").order_by("start", "pk"))


# --- Feed tokens: the writes --------------------------------------------------------------


@dataclass(frozen=True)
class FeedTokenResult:
    """A feed token and its secret, which exists only here: only its hash is stored."""

    feed_token: FeedToken
    token: str

    @property
    def url(self) -> str:
        return staff_feed_url(self.token)

    @property
    def webcal_url(self) -> str:
        return webcal_url(self.url)


def staff_feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("ical-staff-feed", kwargs={"token": token})


def room_feed_url(slug: str, language: str | None = None) -> str:
    """A public room feed's address, for the room pages' subscribe links: Finnish has no
    language prefix, Swedish and English have theirs."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("ical-room-feed", kwargs={"slug": slug})


def webcal_url(url: str) -> str:
    """The same address for a subscribe link: webcal:// makes a browser hand it to the
    calendar app instead of downloading the file."""
    return "webcal://" + url.split("://", 1)[1]


def _new_feed_secret() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits (SPEC §2.8 asks for at least 128)
    return token, feed_token_hash(token)


@transaction.atomic
def feed_token_create(*, user: User, name: str, rooms: Iterable[Room] = ()) -> FeedTokenResult:
    """A new private feed for a staff member; no rooms means every room."""
    if not _may_read_bookings(user):
        raise ValidationError({"user": _("Only staff who can read bookings can have feeds.")})
    token, token_hash = _new_feed_secret()
    feed_token = FeedToken(user=user, name=name.strip(), token_hash=token_hash)
    feed_token.full_clean(exclude=["rooms"])
    feed_token.save()
    feed_token.rooms.set(rooms)
    return FeedTokenResult(feed_token=feed_token, token=token)


@transaction.atomic
def feed_token_rotate(*, feed_token: FeedToken) -> FeedTokenResult:
    """A new secret for the same feed: the old address stops working at once."""
    token, token_hash = _new_feed_secret()
    updated = FeedToken.objects.filter(pk=feed_token.pk, revoked_at__isnull=True).update(
        token_hash=token_hash, last_used_at=None, last_used_client=""
    )
    if updated == 0:
        raise ValidationError(_("A revoked feed cannot be renewed; make a new one."))
    feed_token.refresh_from_db()
    return FeedTokenResult(feed_token=feed_token, token=token)


@transaction.atomic
def feed_token_revoke(*, feed_token: FeedToken, now: datetime | None = None) -> FeedToken:
    """Stop the feed for good; the row stays to show when it was last used."""
    FeedToken.objects.filter(pk=feed_token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    feed_token.refresh_from_db()
    return feed_token


def feed_token_touch(*, feed_token: FeedToken, client: str, now: datetime) -> None:
    """Record when and by what client the feed was last read, at most every few
    minutes per client so that polling stays a read."""
    client = client[:CLIENT_MAX_LENGTH]
    last = feed_token.last_used_at
    if last is not None and now - last < TOUCH_INTERVAL and feed_token.last_used_client == client:
        return
    FeedToken.objects.filter(pk=feed_token.pk).update(last_used_at=now, last_used_client=client)
