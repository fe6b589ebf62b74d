"""What every feed shares: the window of days it shows and its HTTP validators."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from bookings.calendar import RENDERER_FINGERPRINT
from bookings.models import AuditEntry
from bookings.schedule import HELSINKI, local

DAYS_BACK = 30
MONTHS_AHEAD = 12
CANCELLED_SHOWN_DAYS = 14


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


def house_last_change() -> Subquery:
    """The newest audit entry anywhere: every booking and closure write records one.

    It is what keeps Last-Modified from moving backwards when an entry leaves a feed
    (cancelled, moved to another room, closure lifted): the feed's own rows no longer
    show that change, the audit trail does. Coarse (any change in the house counts), but
    one index lookup, and clients that send If-None-Match are judged by the exact ETag.
    """
    return Subquery(AuditEntry.objects.order_by("-at").values("at")[:1])


def aggregate_stamp(queryset: QuerySet, **fields: object) -> tuple:
    """The aggregates as a tuple ordered by their names, so equal rows give equal stamps."""
    values = queryset.aggregate(**fields)
    return tuple(values[name] for name in sorted(values))


def aware_from_cursor(value: datetime | str | None) -> datetime | None:
    """A datetime read with a raw cursor: SQLite gives naive UTC text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=UTC)
