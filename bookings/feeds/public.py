"""Public room feeds: a room's approved bookings and closures, no renter details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from bookings.conflicts import overlapping
from bookings.feeds.versions import (
    FeedVersion,
    FeedWindow,
    aggregate_stamp,
    aware_from_cursor,
    feed_version,
    feed_window,
)
from bookings.memo import Memo
from bookings.models import (
    BLOCKING_KINDS,
    AuditAction,
    AuditEntry,
    Booking,
    Closure,
    Occupancy,
    Room,
)
from bookings.spaces import room_graph, spaces_of


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
    return RoomFeed(
        PublicRoom(*room), feed_window(now), HouseVersion(entry_id, aware_from_cursor(entry_at))
    )


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
    rows = aggregate_stamp(
        feed.occupancy(spaces), rows=Count("pk"), row_ids=Sum("pk"), newest=Max("pk")
    )
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
