"""A renter changes a pending request through its status link (SPEC §2.13): time,
attendees and extras, checked again like a new request; staff are told."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.availability import room_schedule
from bookings.conflicts import occupancy_hold_booking
from bookings.errors import BookingStateError
from bookings.hooks import event_hooks_run
from bookings.models import AuditAction, Booking, BookingStatus
from bookings.services.audit import audit_record
from bookings.services.checks import (
    Errors,
    check_extras,
    check_request_fields,
    check_times,
    raise_if_errors,
    status_token_hash,
)
from bookings.services.inputs import Extra


@transaction.atomic
def booking_renter_change(
    *,
    status_token: str,
    start: datetime,
    end: datetime,
    attendees: int,
    extras: Sequence[Extra] = (),
    now: datetime | None = None,
) -> Booking:
    """The renter changes the time, attendees or extras of their request while it waits
    for a decision, from the status link. Checked as a new request is (the room's public
    rules, capacity, the extras offered, approved bookings and closures); staff are told
    (event "changed"). A series, or a request already decided, cannot be changed here."""
    now = now or timezone.now()
    rows = Booking.objects.select_for_update().filter(
        status_token_hash=status_token_hash(status_token)
    )
    bookings = list(rows.order_by("start", "pk"))
    if not bookings:
        raise Booking.DoesNotExist
    current = bookings[0]
    if len(bookings) > 1 or current.series_id is not None:
        raise BookingStateError(str(_("A series cannot be changed here; ask booking staff.")))
    if current.status != BookingStatus.REQUESTED or current.start <= now:
        raise BookingStateError(
            str(_("Only a request still waiting for a decision can be changed.")),
            current_status=current.status,
        )
    schedule = room_schedule(current.room_id)
    errors: Errors = defaultdict(list)
    field_errors, _business_id = check_request_fields(
        room=schedule.room, attendees=attendees, renter=None, accept_terms=None
    )
    for name, messages in field_errors.items():
        errors[name].extend(messages)
    checked_extras = check_extras(errors, extras)
    for name, messages in check_times(
        schedule=schedule, start=start, end=end, now=now, public=True
    ).items():
        errors[name].extend(messages)
    raise_if_errors(errors)
    changes = {
        name: [str(old), str(new)]
        for name, old, new in (
            ("start", current.start, start),
            ("end", current.end, end),
            ("attendees", current.attendees, attendees),
            ("extras", current.extras, checked_extras),
        )
        if old != new
    }
    if not changes:
        return current
    current.start, current.end, current.attendees = start, end, attendees
    current.extras = checked_extras
    current.sequence += 1
    current.updated_at = now
    current.save(update_fields=["start", "end", "attendees", "extras", "sequence", "updated_at"])
    occupancy_hold_booking(current, current.status, graph=schedule.graph)
    audit_record(
        action=AuditAction.MOVED
        if "start" in changes or "end" in changes
        else AuditAction.DETAILS_CHANGED,
        actor=None,
        fallback_label="renter",
        booking=current,
        changes=changes,
    )
    event_hooks_run("changed", current)  # staff are told (frontend/outbox.py)
    return current


# --- Every problem of a request at once, for the form ------------------------------------
