"""Renters' requests, single and recurring (SPEC §2.3, §2.5): checked against the
room's public rules, stored as `requested`, answered with a status token."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.availability import RoomSchedule, room_schedule
from bookings.conflicts import occupancy_clashes, occupancy_hold_booking
from bookings.errors import BookingConflict, Clash
from bookings.hooks import event_hooks_run
from bookings.models import AuditAction, Booking, BookingSeries, BookingStatus, Room
from bookings.recurrence import Recurrence, occurrences
from bookings.services.audit import audit_record
from bookings.services.checks import (
    Errors,
    add_error,
    build_booking,
    check_extras,
    check_request_fields,
    check_times,
    collect_booking_errors,
    new_status_token,
    raise_if_errors,
)
from bookings.services.customers import customer_for_request
from bookings.services.inputs import RENTER_REQUIRED, Extra, RenterDetails
from bookings.spaces import RoomGraph, spaces_of


def _refuse_unrequestable(room: Room) -> None:
    if not (room.is_active and room.is_public):
        raise ValidationError({"room": _("This room cannot be requested.")})


@dataclass(frozen=True)
class _RequestDraft:
    """What one request says, checked once and then turned into a booking per date."""

    schedule: RoomSchedule
    title: str
    attendees: int
    renter: RenterDetails
    business_id: str
    extras: list[dict]
    message: str
    now: datetime

    def booking(self, start: datetime, end: datetime) -> Booking:
        return build_booking(
            room=self.schedule.room,
            start=start,
            end=end,
            rules=self.schedule.rules,
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
    """The checks every public request shares, whatever its dates; problems go to errors.
    The room is read afresh, in the request's transaction."""
    schedule = room_schedule(room.pk)
    room = schedule.room
    _refuse_unrequestable(room)
    field_errors, business_id = check_request_fields(
        room=room, attendees=attendees, renter=renter, accept_terms=accept_terms
    )
    for name, messages in field_errors.items():
        errors[name].extend(messages)
    return _RequestDraft(
        schedule=schedule,
        title=title,
        attendees=attendees,
        renter=renter,
        business_id=business_id,
        extras=check_extras(errors, extras),
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
    for name, messages in check_times(
        schedule=draft.schedule, start=start, end=end, now=now, public=True
    ).items():
        errors[name].extend(messages)
    booking = draft.booking(start, end)
    collect_booking_errors(booking, errors)
    raise_if_errors(errors)
    token, booking.status_token_hash = new_status_token()
    booking.terms_accepted_at = now
    booking.customer = customer_for_request(renter, draft.business_id)
    booking.save()
    occupancy_hold_booking(booking, BookingStatus.REQUESTED, graph=draft.schedule.graph, new=True)
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
        add_error(errors, "end", _("The end must be after the start."))
    raise_if_errors(errors)
    dates = occurrences((start, end), recurrence)
    collect_booking_errors(draft.booking(start, end), errors)
    raise_if_errors(errors)
    token, token_hash = new_status_token()
    customer = customer_for_request(renter, draft.business_id)
    series = BookingSeries.objects.create(
        room=draft.schedule.room,
        rrule=recurrence.rule_text(start),
        first_start=dates[0][0],
        created_at=now,
    )

    def make(occurrence_start: datetime, occurrence_end: datetime) -> Booking:
        booking = draft.booking(occurrence_start, occurrence_end)
        booking.series, booking.customer = series, customer
        booking.status_token_hash, booking.terms_accepted_at = token_hash, now
        return booking

    results = occurrences_create(
        dates,
        make=make,
        check=lambda s, e: check_times(
            schedule=draft.schedule, start=s, end=e, now=now, public=True
        ),
        graph=draft.schedule.graph,
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


def occurrences_create(
    dates: Iterable[tuple[datetime, datetime]],
    *,
    make: Callable[[datetime, datetime], Booking],
    check: Callable[[datetime, datetime], Errors],
    graph: RoomGraph,
) -> list[OccurrenceResult]:
    """Each date checked, then saved in a savepoint of its own so that a clash refuses
    that date alone; renters' series and staff series both book through it."""
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
                occupancy_hold_booking(booking, booking.status, graph=graph, new=True)
        except BookingConflict as conflict:
            results.append(
                OccurrenceResult(occurrence_start, occurrence_end, clashes=tuple(conflict.clashes))
            )
            continue
        results.append(OccurrenceResult(occurrence_start, occurrence_end, booking=booking))
    return results


@dataclass(frozen=True)
class RequestProblems:
    errors: dict[str, list[str]]
    clashes: list[Clash]


def booking_request_problems(
    *,
    room: Room,
    start: datetime | None,
    end: datetime | None,
    attendees: int | None,
    business_id: str,
    accept_terms: bool,
    renter: RenterDetails | None = None,
    now: datetime | None = None,
) -> RequestProblems:
    """What `booking_request_create` would refuse in what the renter typed so far, all of
    it at once and nothing written: the room's public rules for the time, capacity, the
    renter's details (when given), the business ID, the terms, and the approved bookings
    and closures the time meets. A part not given (None: missing or unreadable in the
    form) is not checked."""
    now = now or timezone.now()
    schedule = room_schedule(room.pk)
    errors: Errors = defaultdict(list)
    checked = ["attendees", "business_id", "accept_terms"]
    if renter is None:
        renter = RenterDetails(organisation="-", contact_name="-", email="-")
    else:
        checked += RENTER_REQUIRED
    renter = replace(renter, business_id=business_id)
    field_errors, _normalised = check_request_fields(
        room=schedule.room, attendees=attendees or 1, renter=renter, accept_terms=accept_terms
    )
    for name, messages in field_errors.items():
        if name in checked and (name != "attendees" or attendees is not None):
            errors[name].extend(messages)
    clashes: list[Clash] = []
    if start is not None and end is not None:
        time_errors = check_times(schedule=schedule, start=start, end=end, now=now, public=True)
        for name, messages in time_errors.items():
            errors[name].extend(messages)
        if not time_errors:
            clashes = occupancy_clashes(
                spaces=spaces_of(schedule.room.pk, schedule.graph),
                start=start - schedule.rules.setup_buffer,
                end=end + schedule.rules.cleanup_buffer,
            )
    return RequestProblems(
        errors={k: [str(m) for m in v] for k, v in errors.items()}, clashes=clashes
    )
