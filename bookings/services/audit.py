"""The audit trail: every service records who did what, and why, as it writes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from bookings.models import AuditEntry, Booking, Closure, Room

Actor = AbstractBaseUser | None


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
    changes: dict | None = None,
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
