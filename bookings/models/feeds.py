"""Tokens that open a person's private calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models.rooms import Room


class FeedToken(models.Model):
    """A staff member's secret calendar feed address (SPEC §2.8).

    Only the SHA-256 of the token is stored: the token itself is shown once, when it is
    made or rotated, and a leaked database does not leak working feed addresses.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    rooms = models.ManyToManyField(
        Room,
        related_name="+",
        blank=True,
        verbose_name=_("rooms"),
        help_text=_("Leave empty for every room."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_client = models.CharField(_("last used by"), max_length=200, blank=True)

    class Meta:
        ordering = ["user_id", "name", "pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
