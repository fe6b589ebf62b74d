"""Bookings made and changed by staff: approved at once, outside opening hours with a
reason, moved in time or room with every rule and conflict checked again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.availability import room_schedule
from bookings.conflicts import occupancy_hold_booking
from bookings.errors import BookingStateError, StaleBooking
from bookings.hooks import approval_hooks_run
from bookings.models import (
    ACTIVE_STATUSES,
    AuditAction,
    Booking,
    BookingStatus,
    Room,
)
from bookings.services.audit import Actor, audit_record
from bookings.services.checks import (
    build_booking,
    check_extras,
    check_request_fields,
    check_times,
    collect_booking_errors,
    raise_if_errors,
)
from bookings.services.customers import customer_for
from bookings.services.inputs import CONTACT_FIELDS, Extra, RenterDetails

# What a booking says about itself and its renter: changed as typed, unlike its time,
# room and state, which only their own services change.

DETAIL_FIELDS: tuple[str, ...] = (
    "title",
    "attendees",
    "override_reason",
    "customer",
    *CONTACT_FIELDS,
    "language",
    "message",
)


def _renter_of(booking: Booking) -> RenterDetails | None:
    """The renter as the booking now holds them; None for the house's own booking (every
    contact field empty), which needs no renter details."""
    values = {name: getattr(booking, name) or "" for name in CONTACT_FIELDS}
    if not any(value.strip() for value in values.values()):
        return None
    return RenterDetails(**values, language=booking.language)


def _when(moment: datetime) -> str:
    return moment.isoformat()


@transaction.atomic
def booking_staff_create(
    *,
    actor: Actor,
    room: Room,
    start: datetime,
    end: datetime,
    title: str,
    attendees: int,
    renter: RenterDetails | None = None,
    override_reason: str = "",
    extras: Sequence[Extra] = (),
    message: str = "",
) -> Booking:
    """A booking made by staff, approved at once; outside opening hours with a reason.

    Without renter details it is a booking of the house itself."""
    now = timezone.now()
    schedule = room_schedule(room.pk)
    room, rules = schedule.room, schedule.rules
    errors, business_id = check_request_fields(
        room=room, attendees=attendees, renter=renter, accept_terms=None
    )
    cleaned_extras = check_extras(errors, extras)
    for name, messages in check_times(
        schedule=schedule,
        start=start,
        end=end,
        now=now,
        public=False,
        override_reason=override_reason,
    ).items():
        errors[name].extend(messages)
    booking = build_booking(
        room=room,
        start=start,
        end=end,
        rules=rules,
        title=title,
        attendees=attendees,
        renter=renter,
        business_id=business_id,
        extras=cleaned_extras,
        message=message,
        status=BookingStatus.APPROVED,
        now=now,
        actor=actor,
        override_reason=override_reason,
    )
    collect_booking_errors(booking, errors)
    raise_if_errors(errors)
    if renter is not None:
        booking.customer = customer_for(renter, business_id)
        booking.customer_confirmed = True  # staff typed it
    booking.save()
    occupancy_hold_booking(booking, BookingStatus.APPROVED, graph=schedule.graph, new=True)
    audit_record(action=AuditAction.CREATED, actor=actor, booking=booking, reason=override_reason)
    approval_hooks_run(booking)  # approved at once: same hooks as booking_approve
    return booking


@transaction.atomic
def booking_move(
    *,
    booking: Booking,
    actor: Actor,
    room: Room | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    reason: str = "",
    override_reason: str = "",
    expected_sequence: int | None = None,
) -> Booking:
    """Change the time or room of an active booking, re-checking conflicts (SPEC §2.3).

    `expected_sequence` is the revision the caller saw; a booking changed since then is
    refused with StaleBooking instead of being overwritten.
    """
    current = Booking.objects.select_for_update().select_related("room").get(pk=booking.pk)
    if expected_sequence is not None and current.sequence != expected_sequence:
        raise StaleBooking(str(_("The booking was changed by someone else; reload it.")))
    if current.status not in ACTIVE_STATUSES:
        raise BookingStateError(
            str(_("Only requested or approved bookings can be moved.")),
            current_status=current.status,
        )
    schedule = room_schedule(room.pk if room else current.room_id)
    new_room, rules = schedule.room, schedule.rules
    new_start, new_end = start or current.start, end or current.end
    errors, _business_id = check_request_fields(
        room=new_room, attendees=current.attendees, renter=None, accept_terms=None
    )
    for name, messages in check_times(
        schedule=schedule,
        start=new_start,
        end=new_end,
        now=timezone.now(),
        public=False,
        override_reason=override_reason,
    ).items():
        errors[name].extend(messages)
    raise_if_errors(errors)
    changes = {
        "room": [current.room_id, new_room.pk],
        "start": [_when(current.start), _when(new_start)],
        "end": [_when(current.end), _when(new_end)],
    }
    if new_room.pk != current.room_id:
        current.setup_buffer_minutes = int(rules.setup_buffer.total_seconds() // 60)
        current.cleanup_buffer_minutes = int(rules.cleanup_buffer.total_seconds() // 60)
    current.room, current.start, current.end = new_room, new_start, new_end
    if override_reason:
        current.override_reason = override_reason.strip()[:200]
    current.sequence += 1
    current.updated_at = timezone.now()
    current.save()
    occupancy_hold_booking(current, current.status, graph=schedule.graph)
    audit_record(
        action=AuditAction.MOVED, actor=actor, booking=current, reason=reason, changes=changes
    )
    return current


@transaction.atomic
def booking_details_update(*, booking: Booking, actor: Actor, details: dict[str, Any]) -> Booking:
    """Change a booking's title, attendees, customer or renter details. The audit entry
    names the fields that changed, not their values: personal data stays in one place,
    where the retention rules can erase it. Nothing changed, nothing written."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not details of a booking: {sorted(unknown)}")
    changed = sorted(name for name, value in details.items() if getattr(booking, name) != value)
    if not changed:
        return booking
    previous = {name: getattr(booking, name) for name in changed}
    for name in changed:
        setattr(booking, name, details[name])
    errors, _business_id = check_request_fields(
        room=booking.room,
        attendees=booking.attendees,
        renter=_renter_of(booking),
        accept_terms=None,
    )
    collect_booking_errors(booking, errors)
    if errors:
        for name, value in previous.items():  # the caller's instance stays as stored
            setattr(booking, name, value)
        raise_if_errors(errors)
    booking.updated_at = timezone.now()
    booking.save(update_fields=[*changed, "updated_at"])
    audit_record(
        action=AuditAction.DETAILS_CHANGED,
        actor=actor,
        booking=booking,
        changes={"fields": changed},
    )
    return booking
