"""The audit trail: every service records who did what, and why, as it writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied

from bookings.models import AuditEntry, Booking, Closure, Room

# Who a write is recorded for: a signed-in user, or None for the renter and the system.
Actor = User | None


def acting_user(user: AbstractBaseUser | AnonymousUser) -> User:
    """The signed-in user a staff page, admin action or API call acts for (`request.user`).

    Those entry points require sign-in before they write, so an anonymous user here is
    refused rather than recorded in the trail."""
    if isinstance(user, User) and user.is_authenticated:
        return user
    raise PermissionDenied


def actor_label(actor: Actor, fallback: str) -> str:
    return actor.get_username() if actor is not None else fallback


def audit_record(
    *,
    action: str,
    actor: Actor,
    fallback_label: str = "system",
    booking: Booking | None = None,
    closure: Closure | None = None,
    room: Room | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label(actor, fallback_label),
        booking=booking,
        closure=closure,
        room=room,
        reason=reason,
        changes=changes or {},
    )
