"""Decisions on bookings: approve, reject, cancel (one or a series) and expire.

Each is a compare-and-set of the status, so of two people deciding at once one wins and
the other is told what happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.cancellation import renter_fee_percent
from bookings.conflicts import occupancy_approve_booking, occupancy_hold_booking
from bookings.errors import BookingConflict, BookingStarted, BookingStateError, Clash, StaleBooking
from bookings.hooks import approval_hooks_run, event_hooks_run
from bookings.models import (
    ACTIVE_STATUSES,
    AuditAction,
    Booking,
    BookingSeries,
    BookingStatus,
    Occupancy,
)
from bookings.selectors import competing_requests
from bookings.services.audit import Actor, audit_record
from bookings.services.checks import status_token_hash
from bookings.services.customers import customer_decided_check


def _transition(
    booking: Booking,
    *,
    allowed_from: Iterable[str],
    to: str,
    now: datetime,
    expected_sequence: int | None = None,
    **fields: object,
) -> None:
    """Compare-and-set the status: 0 rows updated means someone else decided first.

    With `expected_sequence` (the revision the caller saw) the revision is part of the
    compare, so a decision taken on an old view of the booking changes nothing."""
    rows = Booking.objects.filter(pk=booking.pk, status__in=list(allowed_from))
    if expected_sequence is not None:
        rows = rows.filter(sequence=expected_sequence)
    updated = rows.update(status=to, sequence=F("sequence") + 1, updated_at=now, **fields)
    if updated == 0:
        current = Booking.objects.filter(pk=booking.pk).values("status", "sequence").first()
        if current and expected_sequence is not None and current["sequence"] != expected_sequence:
            raise StaleBooking
        status = current["status"] if current else ""
        label = BookingStatus(status).label if status else _("removed")
        raise BookingStateError(
            str(_("The booking is already %(status)s.") % {"status": str(label).lower()}),
            current_status=status,
        )


def booking_revision_check(*, booking: Booking, expected_sequence: int | None) -> Booking:
    """The booking as stored, locked until the transaction ends; StaleBooking when its
    revision is no longer the one the caller saw (None: the caller saw no revision)."""
    current = Booking.objects.select_for_update().get(pk=booking.pk)
    if expected_sequence is not None and current.sequence != expected_sequence:
        raise StaleBooking
    return current


def _refresh(booking: Booking) -> Booking:
    booking.refresh_from_db()
    return booking


@transaction.atomic
def booking_approve(
    *, booking: Booking, actor: Actor, message: str = "", expected_sequence: int | None = None
) -> Booking:
    """Approve a request; raises BookingConflict naming the clashes if its time is taken,
    StaleBooking if it changed since the caller saw `expected_sequence`."""
    now = timezone.now()
    customer_decided_check(booking)
    _transition(
        booking,
        allowed_from=[BookingStatus.REQUESTED],
        to=BookingStatus.APPROVED,
        now=now,
        expected_sequence=expected_sequence,
        decision_message=message,
    )
    occupancy_approve_booking(booking)
    audit_record(action=AuditAction.APPROVED, actor=actor, booking=booking, reason=message)
    approval_hooks_run(_refresh(booking))  # e.g. the price snapshot (bookings/hooks.py)
    event_hooks_run("approved", booking)
    return booking


@dataclass(frozen=True)
class CompetitorsDecision:
    """An approval and what became of the competing requests staff chose to reject."""

    approved: Booking
    rejected: list[Booking] = field(default_factory=list)
    # Competitors someone else decided meanwhile: left as they are, with the reason.
    left: list[tuple[Booking, str]] = field(default_factory=list)


@transaction.atomic
def booking_approve_rejecting_competitors(
    *,
    booking: Booking,
    actor: Actor,
    message: str = "",
    expected_sequence: int | None = None,
    reject: Sequence[Booking] = (),
    rejection_message: str = "",
) -> CompetitorsDecision:
    """Approve a request and reject the competing requests chosen, with one message.

    Only requests that compete for the approved time may be rejected this way, and the
    renters are told why. A competitor decided by someone else meanwhile is left as it
    is and reported; the approval stands."""
    chosen = {other.pk: other for other in reject}
    if chosen and not rejection_message.strip():
        raise ValidationError(
            {"rejection_message": _("Tell the renters why their requests are rejected.")}
        )
    competing = {other.pk for other in competing_requests(booking)}
    # One decided meanwhile no longer competes: it is reported below, not a mistake.
    undecided = Booking.objects.filter(pk__in=chosen, status=BookingStatus.REQUESTED)
    strangers = sorted(set(undecided.values_list("pk", flat=True)) - competing)
    if strangers:
        raise ValidationError(
            {
                "reject_competing": _("Not a request competing with this one: %(ids)s.")
                % {"ids": ", ".join(f"#{pk}" for pk in strangers)}
            }
        )
    approved = booking_approve(
        booking=booking, actor=actor, message=message, expected_sequence=expected_sequence
    )
    result = CompetitorsDecision(approved=approved)
    for other in sorted(chosen.values(), key=lambda item: (item.start, item.pk)):
        try:
            with transaction.atomic():
                result.rejected.append(
                    booking_reject(booking=other, actor=actor, message=rejection_message)
                )
        except BookingStateError as error:
            result.left.append((other, error.message))
    return result


@transaction.atomic
def booking_reject(
    *, booking: Booking, actor: Actor, message: str, expected_sequence: int | None = None
) -> Booking:
    if not message.strip():
        raise ValidationError({"message": _("Tell the renter why the request is rejected.")})
    now = timezone.now()
    _transition(
        booking,
        allowed_from=[BookingStatus.REQUESTED],
        to=BookingStatus.REJECTED,
        now=now,
        expected_sequence=expected_sequence,
        decision_message=message,
    )
    occupancy_hold_booking(booking, BookingStatus.REJECTED)
    audit_record(action=AuditAction.REJECTED, actor=actor, booking=booking, reason=message)
    event_hooks_run("rejected", booking)
    return _refresh(booking)


@transaction.atomic
def booking_cancel(
    *,
    booking: Booking,
    actor: Actor,
    reason: str = "",
    by_renter: bool = False,
    expected_sequence: int | None = None,
) -> Booking:
    """Withdraw a request or cancel an approved booking; the row is kept, its time freed.

    A renter cannot cancel what has started or is over: it was used and stays billable
    (BookingStarted). Staff can, e.g. an event stopped by a water leak."""
    now = timezone.now()
    renter_fields: dict[str, object] = {}
    was_approved = False
    if by_renter:
        current = booking_revision_check(booking=booking, expected_sequence=expected_sequence)
        if current.status in ACTIVE_STATUSES and current.start <= now:
            raise BookingStarted(current_status=current.status)
        # Read under the row lock: the fee is the one of the terms at this moment.
        was_approved = current.status == BookingStatus.APPROVED
        if was_approved:  # staff see these in the queue; a withdrawn request is not news
            renter_fields = {
                "cancelled_by_renter_at": now,
                "cancellation_fee_percent": renter_fee_percent(current, now),
            }
    _transition(
        booking,
        allowed_from=ACTIVE_STATUSES,
        to=BookingStatus.CANCELLED,
        now=now,
        expected_sequence=expected_sequence,
        **renter_fields,
    )
    occupancy_hold_booking(booking, BookingStatus.CANCELLED)
    audit_record(
        action=AuditAction.CANCELLED,
        actor=actor,
        fallback_label="renter" if by_renter else "system",
        booking=booking,
        reason=reason,
        changes={"cancellation_fee_percent": renter_fields["cancellation_fee_percent"]}
        if was_approved
        else None,
    )
    event_hooks_run("cancelled", booking, by_renter=by_renter, was_approved=was_approved)
    return _refresh(booking)


@transaction.atomic
def booking_series_cancel(
    *,
    booking: Booking,
    actor: Actor,
    reason: str = "",
    by_renter: bool = False,
    expected_sequence: int | None = None,
) -> list[Booking]:
    """Cancel this occurrence and every later active one of its series.

    `expected_sequence` is the revision of `booking` the caller saw. For a renter only
    the dates that have not started are cancelled (BookingStarted when none is left)."""
    if booking.series_id is None:
        return [
            booking_cancel(
                booking=booking,
                actor=actor,
                reason=reason,
                by_renter=by_renter,
                expected_sequence=expected_sequence,
            )
        ]
    booking_revision_check(booking=booking, expected_sequence=expected_sequence)
    later = Booking.objects.filter(
        series_id=booking.series_id, start__gte=booking.start, status__in=ACTIVE_STATUSES
    ).order_by("start")
    if by_renter:
        return _renter_cancel_each(list(later), reason=reason)
    return [booking_cancel(booking=item, actor=actor, reason=reason) for item in later]


@transaction.atomic
def booking_renter_cancel(*, status_token: str, reason: str = "") -> list[Booking]:
    """The renter's cancel from their status link (page or API): every active date of
    the request that has not started. What has started or is over stays as it is, and
    when nothing else is left the renter is told so (BookingStarted)."""
    bookings = list(
        Booking.objects.filter(status_token_hash=status_token_hash(status_token)).order_by(
            "start", "pk"
        )
    )
    if not bookings:
        raise Booking.DoesNotExist
    active = [item for item in bookings if item.status in ACTIVE_STATUSES]
    if not active:
        label = BookingStatus(bookings[-1].status).label
        raise BookingStateError(
            str(_("The booking is already %(status)s.") % {"status": str(label).lower()}),
            current_status=bookings[-1].status,
        )
    return _renter_cancel_each(active, reason=reason)


def _renter_cancel_each(active: list[Booking], *, reason: str) -> list[Booking]:
    now = timezone.now()
    upcoming = [item for item in active if item.start > now]
    if active and not upcoming:
        raise BookingStarted(current_status=active[0].status)
    return [
        booking_cancel(booking=item, actor=None, reason=reason, by_renter=True) for item in upcoming
    ]


def renter_cancellable(bookings: Sequence[Booking], *, now: datetime) -> list[Booking]:
    """What the renter's cancel would cancel now: the active dates not started."""
    return [item for item in bookings if item.status in ACTIVE_STATUSES and item.start > now]


@dataclass(frozen=True)
class SeriesApproval:
    approved: list[Booking] = field(default_factory=list)
    skipped: list[tuple[Booking, list[Clash]]] = field(default_factory=list)


@transaction.atomic
def booking_series_approve(
    *,
    series: BookingSeries,
    actor: Actor,
    message: str = "",
    skip_conflicts: bool = False,
    seen: Booking | None = None,
    expected_sequence: int | None = None,
) -> SeriesApproval:
    """Approve every requested occurrence of a series.

    Without `skip_conflicts` one clash refuses the whole series (nothing changes); with it
    the clashing occurrences are rejected with a message and the rest approved. `seen`
    and `expected_sequence` are the occurrence the caller looked at and its revision then:
    changed since, nothing is approved (StaleBooking)."""
    if seen is not None:
        booking_revision_check(booking=seen, expected_sequence=expected_sequence)
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
def booking_series_reject(
    *,
    series: BookingSeries,
    actor: Actor,
    message: str,
    seen: Booking | None = None,
    expected_sequence: int | None = None,
) -> list[Booking]:
    """Reject every requested occurrence of a series with one message (the renter's
    e-mails batch into one). `seen`/`expected_sequence` as in booking_series_approve."""
    if not message.strip():
        raise ValidationError({"message": _("Tell the renter why the request is rejected.")})
    if seen is not None:
        booking_revision_check(booking=seen, expected_sequence=expected_sequence)
    pending = Booking.objects.filter(series=series, status=BookingStatus.REQUESTED)
    rejected = [
        booking_reject(booking=booking, actor=actor, message=message)
        for booking in pending.order_by("start", "pk")
    ]
    if not rejected:
        raise BookingStateError(str(_("No date of the series waits for a decision.")))
    return rejected


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
