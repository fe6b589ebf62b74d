"""Private staff feeds: what a feed token shows, renters' details included."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, Max, Q, QuerySet, Sum

from bookings.feeds.versions import (
    CANCELLED_SHOWN_DAYS,
    FeedVersion,
    FeedWindow,
    aggregate_stamp,
    feed_version,
    feed_window,
    house_last_change,
)
from bookings.models import (
    Booking,
    BookingStatus,
    Closure,
    FeedToken,
    Room,
)
from bookings.permissions import reads_bookings
from bookings.schedule import HELSINKI
from bookings.spaces import RoomGraph, room_graph, spaces_of


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
        # aggregate_stamp orders the aggregates by name: "changed" (the newest booking
        # change) first.
        changed = self.stamp[0][0] if self.stamp else None
        return feed_version(key, [self.window.moved_at, self.last_change, changed], now)


def may_read_bookings(user: User) -> bool:
    """Whether a feed token's owner may still have it: a staff member who reads bookings."""
    # A feed stops working when its owner leaves the staff: it shows renters' data.
    return reads_bookings(user)


def staff_feed_find(*, token: str, now: datetime) -> StaffFeed | None:
    """The feed of a live token whose owner may still read bookings, without its
    entries; None otherwise, whatever the reason."""
    feed_token = (
        FeedToken.objects.filter(token_hash=feed_token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .annotate(house_last_change=house_last_change())
        .first()
    )
    if feed_token is None or not may_read_bookings(feed_token.user):
        return None
    chosen = set(feed_token.rooms.values_list("pk", flat=True))
    room_ids = rooms_sharing_space(chosen, room_graph()) if chosen else None
    window = feed_window(now)
    cancelled_since = datetime.combine(
        window.today - timedelta(days=CANCELLED_SHOWN_DAYS), time.min, tzinfo=HELSINKI
    )
    feed = StaffFeed(feed_token, room_ids, window, cancelled_since, (), None)
    stamp = (
        aggregate_stamp(
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
