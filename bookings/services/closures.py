"""Closures: rooms or the whole house taken out of use for a time, and lifted again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.conflicts import occupancy_hold_closure
from bookings.errors import BookingStateError
from bookings.models import AuditAction, Closure, Occupancy, Room
from bookings.schedule import local_time_missing, missing_time_message
from bookings.services.audit import Actor, audit_record
from bookings.services.checks import FURTHEST_AHEAD, Errors, add_error, raise_if_errors


@transaction.atomic
def closure_create(
    *,
    actor: Actor,
    start: datetime,
    end: datetime,
    reason: str,
    rooms: Iterable[Room] = (),
    whole_house: bool = False,
    note: str = "",
) -> Closure:
    """Close rooms or the whole house; refused with the clashes if approved bookings or
    other closures hold the time (requests are left for staff to decide)."""
    rooms = list(rooms)
    closure = Closure(
        start=start, end=end, reason=reason, whole_house=whole_house, note=note, created_by=actor
    )
    errors: Errors = defaultdict(list)
    now = timezone.now()
    if end <= start:
        add_error(errors, "end", _("The end must be after the start."))
    for name, moment in (("start", start), ("end", end)):
        if local_time_missing(moment):
            add_error(errors, name, missing_time_message(moment))
    if start < now - FURTHEST_AHEAD or end > now + FURTHEST_AHEAD:
        add_error(errors, "start", _("A closure must lie within five years of today."))
    if not rooms and not whole_house:
        add_error(errors, "rooms", _("Choose the rooms to close, or the whole house."))
    try:
        closure.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name].extend(messages)
    raise_if_errors(errors)
    closure.save()
    closure.rooms.set(rooms)
    occupancy_hold_closure(closure)
    audit_record(
        action=AuditAction.CLOSURE_CREATED,
        actor=actor,
        closure=closure,
        reason=note,
        changes={"rooms": [room.pk for room in rooms], "whole_house": whole_house},
    )
    return closure


@transaction.atomic
def closure_remove(*, closure: Closure, actor: Actor, reason: str = "") -> Closure:
    """Lift a closure; the row and its audit trail are kept."""
    now = timezone.now()
    updated = Closure.objects.filter(pk=closure.pk, removed_at__isnull=True).update(removed_at=now)
    if updated == 0:
        raise BookingStateError(str(_("The closure has already been removed.")))
    Occupancy.objects.filter(closure=closure).delete()
    audit_record(action=AuditAction.CLOSURE_REMOVED, actor=actor, closure=closure, reason=reason)
    closure.refresh_from_db()
    return closure
