"""Feed tokens: the writes (create, rotate, revoke, touch) and the addresses they open."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bookings.feeds.staff import feed_token_hash, may_read_bookings
from bookings.models import (
    FeedToken,
    Room,
)

# Recording every poll would make each feed request a write; a few minutes' precision
# is enough to tell staff whether a feed is still in use.
TOUCH_INTERVAL = timedelta(minutes=5)
CLIENT_MAX_LENGTH = 200


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
    if not may_read_bookings(user):
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
