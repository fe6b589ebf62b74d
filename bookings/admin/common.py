"""What every admin page of the booking domain shares: validating forms by a dry run of
the service, and a ModelAdmin whose saves may still be refused at save time. How a
refusal is told is in `bookings.refusals` (the staff pages tell it the same way).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from bookings.errors import BookingConflict, BookingStateError
from bookings.log_admin import LogAdmin
from bookings.refusals import clash_descriptions, moment_text, refusal_text, span_text
from bookings.role_admin import RoleAdmin
from bookings.schedule import HELSINKI
from bookings.validators import normalise_business_id

# What a service raises when it refuses a write; anything else is a bug and stays a 500.
SERVICE_ERRORS = (BookingConflict, BookingStateError, ValidationError)

__all__ = [
    "SERVICE_ERRORS",
    "HouseClockDateTimeField",
    "LogAdmin",
    "ServiceAdmin",
    "clash_descriptions",
    "clean_business_id",
    "moment_text",
    "refusal_text",
    "service_dry_run",
    "span_text",
    "validate_by_dry_run",
]


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


def adopt_saved(target: Model, saved: Model) -> None:
    """Make the admin's unsaved form instance the row a service created."""
    target.pk = saved.pk
    target.refresh_from_db()
    target._state.adding = False


class HouseClockDateTimeField(forms.SplitDateTimeField):
    """A date and a time as read on the house's clock.

    Django's own field refuses a time the clocks skip or repeat in words of its own. This
    one makes the time aware as typed and leaves the judgement to the services, as the
    staff pages and the API do: a skipped time (the spring gap) is refused in the house's
    words, a repeated one (the autumn night) means its first instant."""

    def compress(self, data_list: Any) -> datetime | None:
        if not data_list:
            return None
        day, clock = data_list
        if not isinstance(day, date):
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if not isinstance(clock, time):
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return datetime.combine(day, clock, tzinfo=HELSINKI)


class ServiceAdmin(RoleAdmin):
    """A ModelAdmin whose saves call services that may still refuse at save time."""

    formfield_overrides = {
        models.DateTimeField: {
            "form_class": HouseClockDateTimeField,
            "widget": widgets.AdminSplitDateTime,
        }
    }

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
