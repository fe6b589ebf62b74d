"""Every write of the booking domain: one function per use case.

Each service is keyword-only, runs in one transaction, validates, writes an audit entry
and leaves the database consistent or unchanged. Views, serializers, forms, admin actions
and management commands parse input and call these; they hold no business rule.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.conflicts import (
    occupancy_approve_booking,
    occupancy_hold_booking,
    occupancy_hold_closure,
    room_graph,
)
from bookings.errors import BookingConflict, BookingStateError, Clash, StaleBooking
from bookings.hooks import approval_hooks_run, event_hooks_run
from bookings.models import (
    ACTIVE_STATUSES,
    AuditAction,
    AuditEntry,
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    Customer,
    HouseRules,
    Occupancy,
    Room,
)
from bookings.recurrence import Recurrence, occurrences
from bookings.schedule import Rules, is_holiday, local, on_slot_grid, rules_for, within_one
from bookings.selectors import room_open_intervals
from bookings.validators import normalise_business_id

Actor = AbstractBaseUser | None
Errors = dict[str, list[str]]

MAX_EXTRAS = 20
# Nothing is planned further ahead than this; it also keeps nonsense years out of the data.
FURTHEST_AHEAD = timedelta(days=5 * 365)


# --- Audit -----------------------------------------------------------------------------


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


def _when(moment: datetime) -> str:
    return moment.isoformat()


# --- Input -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RenterDetails:
    """What a renter tells about themselves in a request (SPEC §2.3)."""

    organisation: str
    contact_name: str
    email: str
    phone: str = ""
    business_id: str = ""
    billing_address: str = ""
    e_invoice_address: str = ""
    e_invoice_operator: str = ""
    buyer_reference: str = ""
    language: str = "fi"

    def as_booking_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Extra:
    code: str
    quantity: int


def status_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_status_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits; only the hash is stored
    return token, status_token_hash(token)


def _house_rules(room: Room) -> Rules:
    return rules_for(room, HouseRules.load())


def _add(errors: Errors, field_name: str, message) -> None:
    errors[field_name].append(str(message))


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _check_times(
    *,
    room: Room,
    start: datetime,
    end: datetime,
    rules: Rules,
    now: datetime,
    public: bool,
    override_reason: str = "",
) -> Errors:
    """Rule problems with a time, by field. Staff skip the public-only rules and may book
    outside opening hours when they give a reason."""
    errors: Errors = defaultdict(list)
    if timezone.is_naive(start) or timezone.is_naive(end):
        _add(errors, "start", _("Times must include a time zone."))
        return errors
    if end <= start:
        _add(errors, "end", _("The end must be after the start."))
        return errors
    if start < now:
        _add(errors, "start", _("The start is in the past."))
    if end > now + FURTHEST_AHEAD:
        _add(errors, "end", _("Bookings can be made at most five years ahead."))
    if public:
        _check_public_rules(errors, start, end, rules, now)
    if errors:
        return errors
    intervals = room_open_intervals(room, local(start).date(), local(end).date())
    if within_one(intervals, start, end):
        return errors
    if public:
        if is_holiday(local(start).date()):
            _add(errors, "start", _("The house is closed on this public holiday."))
        else:
            _add(errors, "start", _("The time is outside the room's opening hours."))
    elif not override_reason.strip():
        _add(
            errors,
            "override_reason",
            _("The time is outside opening hours: give a reason to book it anyway."),
        )
    return errors


def _check_public_rules(
    errors: Errors, start: datetime, end: datetime, rules: Rules, now: datetime
) -> None:
    minutes = int(rules.slot.total_seconds() // 60)
    if not on_slot_grid(start, rules.slot):
        _add(
            errors,
            "start",
            _("The start must be on the %(minutes)d-minute grid.") % {"minutes": minutes},
        )
    if not on_slot_grid(end, rules.slot):
        _add(
            errors,
            "end",
            _("The end must be on the %(minutes)d-minute grid.") % {"minutes": minutes},
        )
    length = end - start
    if length < rules.min_duration:
        _add(
            errors,
            "end",
            _("A booking lasts at least %(minutes)d minutes.")
            % {"minutes": int(rules.min_duration.total_seconds() // 60)},
        )
    if length > rules.max_duration:
        _add(
            errors,
            "end",
            _("A booking lasts at most %(minutes)d minutes.")
            % {"minutes": int(rules.max_duration.total_seconds() // 60)},
        )
    if now <= start < now + rules.min_notice:
        _add(
            errors,
            "start",
            _("Requests must be sent at least %(hours)d hours ahead.")
            % {"hours": int(rules.min_notice.total_seconds() // 3600)},
        )
    if start > now + rules.horizon:
        _add(
            errors,
            "start",
            _("Requests can be made at most %(days)d days ahead.") % {"days": rules.horizon.days},
        )


def _check_request_fields(
    *, room: Room, attendees: int, renter: RenterDetails | None, accept_terms: bool | None
) -> tuple[Errors, str]:
    """Problems with the non-time fields, and the normalised business ID."""
    errors: Errors = defaultdict(list)
    if attendees < 1:
        _add(errors, "attendees", _("There must be at least one attendee."))
    elif attendees > room.capacity:
        _add(
            errors,
            "attendees",
            _("The room takes at most %(capacity)d people.") % {"capacity": room.capacity},
        )
    business_id = ""
    if renter is not None and renter.business_id.strip():
        try:
            business_id = normalise_business_id(renter.business_id.strip())
        except ValidationError as error:
            errors["business_id"].extend(error.messages)
    if accept_terms is False:
        _add(errors, "accept_terms", _("Accept the terms and the privacy notice to continue."))
    return errors, business_id


def _check_extras(errors: Errors, extras: Sequence[Extra]) -> list[dict]:
    if len(extras) > MAX_EXTRAS:
        _add(errors, "extras", _("Too many extras."))
    cleaned = []
    for extra in extras[:MAX_EXTRAS]:
        if not extra.code or len(extra.code) > 40 or not 1 <= extra.quantity <= 10_000:
            _add(errors, "extras", _("Each extra needs a code and a quantity from 1 to 10000."))
            break
        cleaned.append({"code": extra.code, "quantity": extra.quantity})
    return cleaned


def _full_clean(booking: Booking, errors: Errors) -> None:
    try:
        booking.full_clean(exclude=["room", "customer", "series"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name].extend(messages)


def _customer_for(renter: RenterDetails, business_id: str) -> Customer:
    """The renter's customer record: matched by business ID, else by e-mail and name.

    A public request never overwrites an existing customer's details; staff edit those.
    """
    if business_id:
        match = Customer.objects.filter(business_id=business_id).first()
    else:
        match = Customer.objects.filter(
            business_id="",
            email__iexact=renter.email,
            organisation__iexact=renter.organisation,
        ).first()
    if match is not None:
        return match
    return Customer.objects.create(
        organisation=renter.organisation,
        business_id=business_id,
        contact_name=renter.contact_name,
        email=renter.email,
        phone=renter.phone,
        billing_address=renter.billing_address,
        e_invoice_address=renter.e_invoice_address,
        e_invoice_operator=renter.e_invoice_operator,
        language=renter.language,
    )


def _new_booking(
    *,
    room: Room,
    start: datetime,
    end: datetime,
    rules: Rules,
    title: str,
    attendees: int,
    renter: RenterDetails | None,
    business_id: str,
    extras: list[dict],
    message: str,
    status: str,
    now: datetime,
    actor: Actor = None,
    override_reason: str = "",
) -> Booking:
    renter_fields = renter.as_booking_fields() if renter else {}
    renter_fields["business_id"] = business_id
    return Booking(
        room=room,
        start=start,
        end=end,
        setup_buffer_minutes=int(rules.setup_buffer.total_seconds() // 60),
        cleanup_buffer_minutes=int(rules.cleanup_buffer.total_seconds() // 60),
        status=status,
        title=title.strip(),
        attendees=attendees,
        extras=extras,
        message=message,
        created_by=actor,
        override_reason=override_reason.strip(),
        created_at=now,
        updated_at=now,
        **renter_fields,
    )


def _refuse_unrequestable(room: Room) -> None:
    if not (room.is_active and room.is_public):
        raise ValidationError({"room": _("This room cannot be requested.")})


@dataclass(frozen=True)
class _RequestDraft:
    """What one request says, checked once and then turned into a booking per date."""

    room: Room
    rules: Rules
    title: str
    attendees: int
    renter: RenterDetails
    business_id: str
    extras: list[dict]
    message: str
    now: datetime

    def booking(self, start: datetime, end: datetime) -> Booking:
        return _new_booking(
            room=self.room,
            start=start,
            end=end,
            rules=self.rules,
            title=self.title,
            attendees=self.attendees,
            renter=self.renter,
            business_id=self.business_id,
            extras=self.extras,
            message=self.message,
            status=BookingStatus.REQUESTED,
            now=self.now,
        )


def _request_draft(
    *,
    errors: Errors,
    room: Room,
    title: str,
    attendees: int,
    renter: RenterDetails,
    accept_terms: bool,
    extras: Sequence[Extra],
    message: str,
    now: datetime,
) -> _RequestDraft:
    """The checks every public request shares, whatever its dates; problems go to errors."""
    _refuse_unrequestable(room)
    field_errors, business_id = _check_request_fields(
        room=room, attendees=attendees, renter=renter, accept_terms=accept_terms
    )
    for name, messages in field_errors.items():
        errors[name].extend(messages)
    return _RequestDraft(
        room=room,
        rules=_house_rules(room),
        title=title,
        attendees=attendees,
        renter=renter,
        business_id=business_id,
        extras=_check_extras(errors, extras),
        message=message,
        now=now,
    )


# --- Requests --------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingRequestResult:
    booking: Booking
    status_token: str


@transaction.atomic
def booking_request_create(
    *,
    room: Room,
    start: datetime,
    end: datetime,
    title: str,
    attendees: int,
    renter: RenterDetails,
    accept_terms: bool,
    extras: Sequence[Extra] = (),
    message: str = "",
    now: datetime | None = None,
) -> BookingRequestResult:
    """A renter's request: validated against the room's public rules, refused with the
    clashes when it overlaps a blocking entry, otherwise stored as `requested`."""
    now = now or timezone.now()
    errors: Errors = defaultdict(list)
    draft = _request_draft(
        errors=errors, room=room, title=title, attendees=attendees, renter=renter,
        accept_terms=accept_terms, extras=extras, message=message, now=now,
    )  # fmt: skip
    for name, messages in _check_times(
        room=room, start=start, end=end, rules=draft.rules, now=now, public=True
    ).items():
        errors[name].extend(messages)
    booking = draft.booking(start, end)
    _full_clean(booking, errors)
    _raise_if(errors)
    token, booking.status_token_hash = _new_status_token()
    booking.terms_accepted_at = now
    booking.customer = _customer_for(renter, draft.business_id)
    booking.save()
    occupancy_hold_booking(booking, BookingStatus.REQUESTED)
    audit_record(action=AuditAction.REQUESTED, actor=None, fallback_label="renter", booking=booking)
    event_hooks_run("requested", booking, status_token=token)  # e-mails (bookings/hooks.py)
    return BookingRequestResult(booking=booking, status_token=token)


@dataclass(frozen=True)
class OccurrenceResult:
    """One date of a series: its booking when free, else why not."""

    start: datetime
    end: datetime
    booking: Booking | None = None
    clashes: tuple[Clash, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def free(self) -> bool:
        return self.booking is not None


class SeriesUnavailable(BookingConflict):
    """Some occurrences of a series cannot be requested; nothing was written."""

    def __init__(self, occurrences: list[OccurrenceResult]) -> None:
        self.occurrences = occurrences
        clashes = [clash for result in occurrences for clash in result.clashes]
        super().__init__(clashes, str(_("Some dates of the series are not available.")))


@dataclass(frozen=True)
class SeriesRequestResult:
    series: BookingSeries
    occurrences: list[OccurrenceResult]
    status_token: str

    @property
    def bookings(self) -> list[Booking]:
        return [result.booking for result in self.occurrences if result.booking]


@transaction.atomic
def booking_series_request_create(
    *,
    room: Room,
    start: datetime,
    end: datetime,
    recurrence: Recurrence,
    title: str,
    attendees: int,
    renter: RenterDetails,
    accept_terms: bool,
    extras: Sequence[Extra] = (),
    message: str = "",
    skip_unavailable: bool = False,
    now: datetime | None = None,
) -> SeriesRequestResult:
    """A recurring request: each occurrence checked on its own (SPEC §2.5).

    Unless `skip_unavailable`, one unavailable date refuses the whole series and the error
    lists every date's result; with it, the free dates are requested and the rest reported.
    """
    now = now or timezone.now()
    errors: Errors = defaultdict(list)
    draft = _request_draft(
        errors=errors, room=room, title=title, attendees=attendees, renter=renter,
        accept_terms=accept_terms, extras=extras, message=message, now=now,
    )  # fmt: skip
    if end <= start:
        _add(errors, "end", _("The end must be after the start."))
    _raise_if(errors)
    dates = occurrences((start, end), recurrence)
    _full_clean(draft.booking(start, end), errors)
    _raise_if(errors)
    token, token_hash = _new_status_token()
    customer = _customer_for(renter, draft.business_id)
    series = BookingSeries.objects.create(
        room=room, rrule=recurrence.rule_text(start), first_start=dates[0][0], created_at=now
    )

    def make(occurrence_start: datetime, occurrence_end: datetime) -> Booking:
        booking = draft.booking(occurrence_start, occurrence_end)
        booking.series, booking.customer = series, customer
        booking.status_token_hash, booking.terms_accepted_at = token_hash, now
        return booking

    results = _occurrences_create(
        dates,
        make=make,
        check=lambda s, e: _check_times(
            room=room, start=s, end=e, rules=draft.rules, now=now, public=True
        ),
    )
    if not any(result.free for result in results) or (
        not skip_unavailable and not all(result.free for result in results)
    ):
        raise SeriesUnavailable(results)
    for result in results:
        if result.booking:
            audit_record(
                action=AuditAction.REQUESTED,
                actor=None,
                fallback_label="renter",
                booking=result.booking,
                changes={"series": series.rrule},
            )
            event_hooks_run("requested", result.booking, status_token=token)
    return SeriesRequestResult(series=series, occurrences=results, status_token=token)


def _occurrences_create(
    dates: Iterable[tuple[datetime, datetime]],
    *,
    make: Callable[[datetime, datetime], Booking],
    check: Callable[[datetime, datetime], Errors],
) -> list[OccurrenceResult]:
    results = []
    for occurrence_start, occurrence_end in dates:
        problems = check(occurrence_start, occurrence_end)
        if problems:
            flat = tuple(message for messages in problems.values() for message in messages)
            results.append(OccurrenceResult(occurrence_start, occurrence_end, problems=flat))
            continue
        booking = make(occurrence_start, occurrence_end)
        try:
            with transaction.atomic():
                booking.save()
                occupancy_hold_booking(booking, booking.status)
        except BookingConflict as conflict:
            results.append(
                OccurrenceResult(occurrence_start, occurrence_end, clashes=tuple(conflict.clashes))
            )
            continue
        results.append(OccurrenceResult(occurrence_start, occurrence_end, booking=booking))
    return results


# --- Decisions -------------------------------------------------------------------------


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


# --- Staff bookings and changes -------------------------------------------------------


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
    rules = _house_rules(room)
    errors, business_id = _check_request_fields(
        room=room, attendees=attendees, renter=renter, accept_terms=None
    )
    cleaned_extras = _check_extras(errors, extras)
    for name, messages in _check_times(
        room=room,
        start=start,
        end=end,
        rules=rules,
        now=now,
        public=False,
        override_reason=override_reason,
    ).items():
        errors[name].extend(messages)
    booking = _new_booking(
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
    _full_clean(booking, errors)
    _raise_if(errors)
    if renter is not None:
        booking.customer = _customer_for(renter, business_id)
    booking.save()
    occupancy_hold_booking(booking, BookingStatus.APPROVED)
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
    new_room, new_start, new_end = room or current.room, start or current.start, end or current.end
    rules = _house_rules(new_room)
    errors, _business_id = _check_request_fields(
        room=new_room, attendees=current.attendees, renter=None, accept_terms=None
    )
    for name, messages in _check_times(
        room=new_room,
        start=new_start,
        end=new_end,
        rules=rules,
        now=timezone.now(),
        public=False,
        override_reason=override_reason,
    ).items():
        errors[name].extend(messages)
    _raise_if(errors)
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
    occupancy_hold_booking(current, current.status)
    audit_record(
        action=AuditAction.MOVED, actor=actor, booking=current, reason=reason, changes=changes
    )
    return current


# --- Closures and rooms ----------------------------------------------------------------


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
        _add(errors, "end", _("The end must be after the start."))
    if start < now - FURTHEST_AHEAD or end > now + FURTHEST_AHEAD:
        _add(errors, "start", _("A closure must lie within five years of today."))
    if not rooms and not whole_house:
        _add(errors, "rooms", _("Choose the rooms to close, or the whole house."))
    try:
        closure.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name].extend(messages)
    _raise_if(errors)
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


@transaction.atomic
def room_parts_set(*, room: Room, parts: Iterable[Room], actor: Actor) -> None:
    """Make a room a combination of these parts (or a plain room with none).

    Every active booking and closure that covers the room is re-laid on the new spaces;
    a clash that this would create refuses the change.
    """
    parts = list(parts)
    graph = room_graph()
    graph[room.pk] = tuple(part.pk for part in parts)
    if any(part.pk == room.pk for part in parts) or _reaches(graph, room.pk):
        raise ValidationError({"parts": _("A room cannot be part of itself.")})
    old_graph = room_graph()
    affected = {
        room_id
        for room_id in Room.objects.values_list("pk", flat=True)
        if room_id == room.pk or _contains(old_graph, room_id, room.pk)
    }
    room.parts.set(parts)
    bookings = list(Booking.objects.filter(room_id__in=affected, status__in=ACTIVE_STATUSES))
    closures = list(
        Closure.objects.filter(removed_at__isnull=True)
        .filter(Q(whole_house=True) | Q(rooms__in=affected))
        .distinct()
    )
    Occupancy.objects.filter(Q(booking__in=bookings) | Q(closure__in=closures)).delete()
    for closure in closures:
        occupancy_hold_closure(closure, graph=graph)
    for booking in bookings:
        occupancy_hold_booking(booking, booking.status, graph=graph)
    audit_record(
        action=AuditAction.ROOM_PARTS_CHANGED,
        actor=actor,
        room=room,
        changes={"parts": [part.pk for part in parts]},
    )


def _contains(graph: dict[int, tuple[int, ...]], combined: int, part: int) -> bool:
    pending, seen = list(graph.get(combined, ())), set()
    while pending:
        current = pending.pop()
        if current == part:
            return True
        if current not in seen:
            seen.add(current)
            pending.extend(graph.get(current, ()))
    return False


def _reaches(graph: dict[int, tuple[int, ...]], room_id: int) -> bool:
    return _contains(graph, room_id, room_id)
