"""Decisions on bookings: approve, reject, cancel (one or a series) and expire.

Each is a compare-and-set of the status, so of two people deciding at once one wins and
the other is told what happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.conflicts import occupancy_approve_booking, occupancy_hold_booking
from bookings.errors import BookingConflict, BookingStateError, Clash
from bookings.hooks import approval_hooks_run, event_hooks_run
from bookings.models import (
    ACTIVE_STATUSES,
    AuditAction,
    Booking,
    BookingSeries,
    BookingStatus,
    Occupancy,
)
from bookings.services.audit import Actor, audit_record
from bookings.services.customers import customer_decided_check


def _transition(
    booking: Booking,
    *,
    allowed_from: Iterable[str],
    to: str,
    now: datetime,
    **fields: object,
) -> None:
    """Compare-and-set the status: 0 rows updated means someone else decided first."""
    updated = Booking.objects.filter(pk=booking.pk, status__in=list(allowed_from)).update(
        status=to, sequence=F("sequence") + 1, updated_at=now, **fields
    )
    if updated == 0:
        current = Booking.objects.filter(pk=booking.pk).values_list("status", flat=True).first()
        label = BookingStatus(current).label if current else _("removed")
        raise BookingStateError(
            str(_("The booking is already %(status)s.") % {"status": str(label).lower()}),
            current_status=current or "",
        )


def _refresh(booking: Booking) -> Booking:
    booking.refresh_from_db()
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, actor: Actor, message: str = "") -> Booking:
    """Approve a request; raises BookingConflict naming the clashes if its time is taken."""
    now = timezone.now()
    customer_decided_check(booking)
    _transition(
        booking,
        allowed_from=[BookingStatus.REQUESTED],
        to=BookingStatus.APPROVED,
        now=now,
        decision_message=message,
    )
    occupancy_approve_booking(booking)
    audit_record(action=AuditAction.APPROVED, actor=actor, booking=booking, reason=message)
    approval_hooks_run(_refresh(booking))  # e.g. the price snapshot (bookings/hooks.py)
    event_hooks_run("approved", booking)
    return booking


@transaction.atomic
def booking_reject(*, booking: Booking, actor: Actor, message: str) -> Booking:
    if not message.strip():
        raise ValidationError({"message": _("Tell the renter why the request is rejected.")})
    now = timezone.now()
    _transition(
        booking,
        allowed_from=[BookingStatus.REQUESTED],
        to=BookingStatus.REJECTED,
        now=now,
        decision_message=message,
    )
    occupancy_hold_booking(booking, BookingStatus.REJECTED)
    audit_record(action=AuditAction.REJECTED, actor=actor, booking=booking, reason=message)
    event_hooks_run("rejected", booking)
    return _refresh(booking)


@transaction.atomic
def booking_cancel(
    *, booking: Booking, actor: Actor, reason: str = "", by_renter: bool = False
) -> Booking:
    """Withdraw a request or cancel an approved booking; the row is kept, its time freed."""
    now = timezone.now()
    _transition(booking, allowed_from=ACTIVE_STATUSES, to=BookingStatus.CANCELLED, now=now)
    occupancy_hold_booking(booking, BookingStatus.CANCELLED)
    audit_record(
        action=AuditAction.CANCELLED,
        actor=actor,
        fallback_label="renter" if by_renter else "system",
        booking=booking,
        reason=reason,
    )
    event_hooks_run("cancelled", booking)
    return _refresh(booking)


@transaction.atomic
def booking_series_cancel(
    *, booking: Booking, actor: Actor, reason: str = "", by_renter: bool = False
) -> list[Booking]:
    """Cancel this occurrence and every later active one of its series."""
    if booking.series_id is None:
        return [booking_cancel(booking=booking, actor=actor, reason=reason, by_renter=by_renter)]
    later = Booking.objects.filter(
        series_id=booking.series_id, start__gte=booking.start, status__in=ACTIVE_STATUSES
    ).order_by("start")
    return [
        booking_cancel(booking=item, actor=actor, reason=reason, by_renter=by_renter)
        for item in later
    ]


@dataclass(frozen=True)
class SeriesApproval:
    approved: list[Booking] = field(default_factory=list)
    skipped: list[tuple[Booking, list[Clash]]] = field(default_factory=list)


@transaction.atomic
def booking_series_approve(
    *, series: BookingSeries, actor: Actor, message: str = "", skip_conflicts: bool = False
) -> SeriesApproval:
    """Approve every requested occurrence of a series.

    Without `skip_conflicts` one clash refuses the whole series (nothing changes); with it
    the clashing occurrences are rejected with a message and the rest approved.
    """
    result = SeriesApproval()
    pending = Booking.objects.filter(series=series, status=BookingStatus.REQUESTED)
    for booking in pending.order_by("start"):
        try:
            with transaction.atomic():
                result.approved.append(
                    booking_approve(booking=booking, actor=actor, message=message)
                )
        except BookingConflict as conflict:
            if not skip_conflicts:
                raise
            result.skipped.append((booking, conflict.clashes))
    skip_message = str(_("This date clashes with another booking and could not be approved."))
    for booking, _clashes in result.skipped:
        booking_reject(booking=booking, actor=actor, message=skip_message)
    return result


@transaction.atomic
def bookings_expire(*, now: datetime | None = None) -> int:
    """Requests whose start has passed undecided become `expired` (SPEC §2.3)."""
    now = now or timezone.now()
    stale = Booking.objects.filter(status=BookingStatus.REQUESTED, start__lte=now)
    expired = 0
    for booking in stale.only("pk"):
        try:
            _transition(
                booking, allowed_from=[BookingStatus.REQUESTED], to=BookingStatus.EXPIRED, now=now
            )
        except BookingStateError:
            continue  # decided meanwhile
        Occupancy.objects.filter(booking=booking).delete()
        audit_record(action=AuditAction.EXPIRED, actor=None, booking=booking)
        expired += 1
    return expired
