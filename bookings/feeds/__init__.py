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

One module per job: `versions` (window and validators), `public` (room feeds), `staff`
(token feeds), `renter` (the status link's file), `tokens` (the writes and addresses).
Every public name is re-exported here.
"""

from bookings.feeds.public import (
    STAMP_MEMO_SECONDS,
    HouseVersion,
    PublicRoom,
    RoomFeed,
    room_feed_entries,
    room_feed_find,
    room_feed_stamp,
)
from bookings.feeds.renter import renter_bookings
from bookings.feeds.staff import (
    StaffFeed,
    feed_token_hash,
    may_read_bookings,
    rooms_sharing_space,
    staff_feed_entries,
    staff_feed_find,
)
from bookings.feeds.tokens import (
    CLIENT_MAX_LENGTH,
    TOUCH_INTERVAL,
    FeedTokenResult,
    feed_token_create,
    feed_token_revoke,
    feed_token_rotate,
    feed_token_touch,
    room_feed_url,
    staff_feed_url,
    webcal_url,
)
from bookings.feeds.versions import (
    CANCELLED_SHOWN_DAYS,
    DAYS_BACK,
    MONTHS_AHEAD,
    FeedVersion,
    FeedWindow,
    aggregate_stamp,
    aware_from_cursor,
    feed_version,
    feed_window,
    house_last_change,
)

__all__ = [
    "CANCELLED_SHOWN_DAYS",
    "CLIENT_MAX_LENGTH",
    "DAYS_BACK",
    "MONTHS_AHEAD",
    "STAMP_MEMO_SECONDS",
    "TOUCH_INTERVAL",
    "FeedTokenResult",
    "FeedVersion",
    "FeedWindow",
    "HouseVersion",
    "PublicRoom",
    "RoomFeed",
    "StaffFeed",
    "aggregate_stamp",
    "aware_from_cursor",
    "feed_token_create",
    "feed_token_hash",
    "feed_token_revoke",
    "feed_token_rotate",
    "feed_token_touch",
    "feed_version",
    "feed_window",
    "house_last_change",
    "may_read_bookings",
    "renter_bookings",
    "room_feed_entries",
    "room_feed_find",
    "room_feed_stamp",
    "room_feed_url",
    "rooms_sharing_space",
    "staff_feed_entries",
    "staff_feed_find",
    "staff_feed_url",
    "webcal_url",
]
