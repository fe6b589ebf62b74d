"""What every admin page of the booking domain shares: telling people why a service
refused a write, validating forms by a dry run of the service, and a ModelAdmin whose
saves may still be refused at save time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from bookings.errors import BookingConflict, BookingStateError, Clash
from bookings.models import Acted, Booking, Closure, Room
from bookings.schedule import local
from bookings.validators import normalise_business_id

# What a service raises when it refuses a write; anything else is a bug and stays a 500.
SERVICE_ERRORS = (BookingConflict, BookingStateError, ValidationError)


# --- Telling people why a write was refused --------------------------------------------


def moment_text(moment: datetime) -> str:
    return local(moment).strftime("%d.%m.%Y %H:%M")


def span_text(start: datetime, end: datetime) -> str:
    """A Helsinki-time range, the end without its date when it is the same day."""
    same_day = local(start).date() == local(end).date()
    end_text = local(end).strftime("%H:%M") if same_day else moment_text(end)
    return f"{moment_text(start)}\N{EN DASH}{end_text}"


def _booking_clash_text(clash: Clash, other: Booking) -> str:
    values = {
        "title": other.title,
        "id": other.pk,
        "room": other.room,
        "when": span_text(other.start, other.end),
        "held": span_text(clash.start, clash.end),
    }
    if (other.start, other.end) == (clash.start, clash.end):
        return str(_("booking “%(title)s” (#%(id)s) in %(room)s, %(when)s") % values)
    return str(
        _(
            "booking “%(title)s” (#%(id)s) in %(room)s, %(when)s "
            "(held %(held)s with setup and cleanup time)"
        )
        % values
    )


def clash_descriptions(clashes: Sequence[Clash]) -> list[str]:
    """Each clash for staff: the other booking or closure, its room and its local times."""
    bookings = Booking.objects.select_related("room").in_bulk(
        [clash.booking_id for clash in clashes if clash.booking_id is not None]
    )
    closures = Closure.objects.in_bulk(
        [clash.closure_id for clash in clashes if clash.closure_id is not None]
    )
    rooms = Room.objects.in_bulk([clash.room_id for clash in clashes])
    descriptions = []
    for clash in clashes:
        other = bookings.get(clash.booking_id) if clash.booking_id is not None else None
        if other is not None:
            descriptions.append(_booking_clash_text(clash, other))
            continue
        closure = closures.get(clash.closure_id)
        values = {
            "id": clash.closure_id,
            "reason": closure.get_reason_display() if closure else "",
            "room": rooms.get(clash.room_id, clash.room_id),
            "when": span_text(clash.start, clash.end),
        }
        descriptions.append(str(_("closure #%(id)s (%(reason)s) of %(room)s, %(when)s") % values))
    return descriptions


def refusal_text(error: Exception) -> str:
    """A service's refusal as one sentence for the person who asked."""
    if isinstance(error, BookingConflict):
        if not error.clashes:
            return error.message
        values = {"message": error.message, "clashes": "; ".join(clash_descriptions(error.clashes))}
        return str(_("%(message)s It clashes with: %(clashes)s.") % values)
    if isinstance(error, BookingStateError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- Validating forms with the services --------------------------------------------------


class _DryRun(Exception):
    """Raised inside the savepoint to undo a service call made only to validate."""


def service_dry_run(call: Callable[[], object]) -> None:
    """Run a service and roll back everything it wrote; raise what it raises.

    The service is the only judge of its rules and conflicts, so forms ask it instead of
    copying its checks. Callbacks it queues with on_commit are dropped with the savepoint.
    """
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass


def validate_by_dry_run(form: forms.BaseForm, call: Callable[[], object]) -> None:
    """Put a dry run's refusal on the form: rule errors on their fields, clashes on top."""
    try:
        service_dry_run(call)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    except (BookingConflict, BookingStateError) as error:
        form.add_error(None, refusal_text(error))


def clean_business_id(value: str) -> str:
    return normalise_business_id(value.strip()) if value.strip() else ""


def _adopt(target: Model, saved: Model) -> None:
    """Make the admin's unsaved form instance the row a service created."""
    target.pk = saved.pk
    target.refresh_from_db()
    target._state.adding = False


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves call services that may still refuse at save time."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SERVICE_ERRORS as error:
            # The form was valid, but someone else wrote first. The error left the
            # admin's atomic block, so nothing of this save (log entry included) was kept.
            self.message_user(request, refusal_text(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class LogAdmin(admin.ModelAdmin):
    """A log that only its services write (the audit trail, the personal-data log): it can
    be read here, never added to, changed or deleted."""

    @admin.display(description=_("by"), ordering="actor_label")
    def who(self, entry: Acted) -> str:
        return entry.actor_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
