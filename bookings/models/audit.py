"""The audit trail: who changed what, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models.bookings import Booking
from bookings.models.rooms import Room
from bookings.models.schedule import Closure


class AuditAction(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CREATED = "created", _("Booked by staff")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    MOVED = "moved", _("Time or room changed")
    DETAILS_CHANGED = "details_changed", _("Details changed")
    CLOSURE_CREATED = "closure_created", _("Closure created")
    CLOSURE_REMOVED = "closure_removed", _("Closure removed")
    ROOM_PARTS_CHANGED = "room_parts_changed", _("Parts of a combined room changed")
    CUSTOMERS_MERGED = "customers_merged", _("Customers merged")


# What `actor_label` holds when no user acted (stored as the keys).
ACTOR_STAND_INS = {"renter": _("renter"), "system": _("system")}


class Acted(models.Model):
    """Who did it: the user, and their name as it was (kept when the user is deleted);
    without a user, one of the stand-ins."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by"), max_length=150)

    class Meta:
        abstract = True

    @property
    def actor_display(self) -> str:
        """Who, in the reader's language: a user's name as stored; the stand-ins for the
        renter and for the system (commands, expiry) translated."""
        if self.actor_id is None and self.actor_label in ACTOR_STAND_INS:
            return str(ACTOR_STAND_INS[self.actor_label])
        return self.actor_label


class AuditEntry(Acted):
    """Who changed what, when and why (SPEC §2.3): written by every service."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    closure = models.ForeignKey(
        Closure, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="audit_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_display}: {self.get_action_display()}"
