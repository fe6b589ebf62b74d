"""The checks and building blocks that every write of a booking shares.

Errors are collected by field name, so a form can show every problem at once; a service
raises them together with `raise_if_errors`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.availability import RoomSchedule
from bookings.hooks import extras_unknown
from bookings.models import Booking, Room
from bookings.schedule import (
    Rules,
    is_holiday,
    local,
    local_time_missing,
    missing_time_message,
    on_slot_grid,
    within_one,
)
from bookings.services.audit import Actor
from bookings.services.inputs import Extra, RenterDetails
from bookings.validators import normalise_business_id

Errors = dict[str, list[str]]

MAX_EXTRAS = 20
# Nothing is planned further ahead than this; it also keeps nonsense years out of the data.
FURTHEST_AHEAD = timedelta(days=5 * 365)


def status_token_hash(token: str) -> str:
    """The stored form of a renter's status token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_status_token() -> tuple[str, str]:
    """A fresh status token for a renter's link and the hash that is stored."""
    token = secrets.token_urlsafe(32)  # 256 bits; only the hash is stored
    return token, status_token_hash(token)


def add_error(errors: Errors, field_name: str, message) -> None:
    """Record a problem under its field, so a form can show every problem at once."""
    errors[field_name].append(str(message))


def raise_if_errors(errors: Errors) -> None:
    """Refuse the write with every collected problem, or do nothing when there is none."""
    if errors:
        raise ValidationError(dict(errors))


def check_times(
    *,
    schedule: RoomSchedule,
    start: datetime,
    end: datetime,
    now: datetime,
    public: bool,
    override_reason: str = "",
) -> Errors:
    """Rule problems with a time, by field. Staff skip the public-only rules and may book
    outside opening hours when they give a reason."""
    errors: Errors = defaultdict(list)
    if timezone.is_naive(start) or timezone.is_naive(end):
        add_error(errors, "start", _("Times must include a time zone."))
        return errors
    for name, moment in (("start", start), ("end", end)):
        if local_time_missing(moment):
            add_error(errors, name, missing_time_message(moment))
    if errors:
        return errors
    if end <= start:
        add_error(errors, "end", _("The end must be after the start."))
        return errors
    if start < now:
        add_error(errors, "start", _("The start is in the past."))
    if end > now + FURTHEST_AHEAD:
        add_error(errors, "end", _("Bookings can be made at most five years ahead."))
    if public:
        _check_public_rules(errors, start, end, schedule.rules, now)
    if errors:
        return errors
    intervals = schedule.open_intervals(local(start).date(), local(end).date())
    if within_one(intervals, start, end):
        return errors
    if public:
        if is_holiday(local(start).date()):
            add_error(errors, "start", _("The house is closed on this public holiday."))
        else:
            add_error(errors, "start", _("The time is outside the room's opening hours."))
    elif not override_reason.strip():
        add_error(
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
        add_error(
            errors,
            "start",
            _("The start must be on the %(minutes)d-minute grid.") % {"minutes": minutes},
        )
    if not on_slot_grid(end, rules.slot):
        add_error(
            errors,
            "end",
            _("The end must be on the %(minutes)d-minute grid.") % {"minutes": minutes},
        )
    length = end - start
    if length < rules.min_duration:
        add_error(
            errors,
            "end",
            _("A booking lasts at least %(minutes)d minutes.")
            % {"minutes": int(rules.min_duration.total_seconds() // 60)},
        )
    if length > rules.max_duration:
        add_error(
            errors,
            "end",
            _("A booking lasts at most %(minutes)d minutes.")
            % {"minutes": int(rules.max_duration.total_seconds() // 60)},
        )
    if now <= start < now + rules.min_notice:
        add_error(
            errors,
            "start",
            _("Requests must be sent at least %(hours)d hours ahead.")
            % {"hours": int(rules.min_notice.total_seconds() // 3600)},
        )
    if start > now + rules.horizon:
        add_error(
            errors,
            "start",
            _("Requests can be made at most %(days)d days ahead.") % {"days": rules.horizon.days},
        )


def check_request_fields(
    *, room: Room, attendees: int, renter: RenterDetails | None, accept_terms: bool | None
) -> tuple[Errors, str]:
    """Problems with the non-time fields, and the normalised business ID."""
    errors: Errors = defaultdict(list)
    if attendees < 1:
        add_error(errors, "attendees", _("There must be at least one attendee."))
    elif attendees > room.capacity:
        add_error(
            errors,
            "attendees",
            _("The room takes at most %(capacity)d people.") % {"capacity": room.capacity},
        )
    for name in renter.missing() if renter is not None else ():
        add_error(errors, name, _("Needed when the booking has a renter."))
    business_id = ""
    if renter is not None and renter.business_id.strip():
        try:
            business_id = normalise_business_id(renter.business_id.strip())
        except ValidationError as error:
            errors["business_id"].extend(error.messages)
    if accept_terms is False:
        add_error(errors, "accept_terms", _("Accept the terms and the privacy notice to continue."))
    return errors, business_id


def check_extras(errors: Errors, extras: Sequence[Extra]) -> list[dict]:
    """The extras as stored on a booking; problems (too many, malformed, unknown) go to
    `errors`."""
    if len(extras) > MAX_EXTRAS:
        add_error(errors, "extras", _("Too many extras."))
    cleaned: list[dict[str, Any]] = []
    for extra in extras[:MAX_EXTRAS]:
        if not extra.code or len(extra.code) > 40 or not 1 <= extra.quantity <= 10_000:
            add_error(
                errors, "extras", _("Each extra needs a code and a quantity from 1 to 10000.")
            )
            break
        cleaned.append({"code": extra.code, "quantity": extra.quantity})
    # Refused here as the quote refuses them: a booking must never hold an extra that
    # cannot be priced at approval (bookings/hooks.py).
    unknown = extras_unknown([str(item["code"]) for item in cleaned])
    for code in sorted(unknown):
        add_error(errors, "extras", _("Unknown extra: %(code)s.") % {"code": code})
    return cleaned


def collect_booking_errors(booking: Booking, errors: Errors) -> None:
    """Add the unsaved booking's own field errors to `errors` instead of raising them."""
    try:
        booking.full_clean(exclude=["room", "customer", "series"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name].extend(messages)


def build_booking(
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
    """The unsaved booking a write would store, its buffers copied from the rules so a
    later rule change never moves the space it holds."""
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
