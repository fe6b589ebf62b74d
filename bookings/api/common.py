"""API plumbing shared by every app's endpoints: permissions, paging, strict input and the
error format (SPEC §3.4: a machine-readable `code`, a translated `message`, field errors)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import defaults
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from bookings.errors import (
    BookingConflict,
    BookingStarted,
    BookingStateError,
    Clash,
    StaleRevision,
)
from bookings.permissions import is_accounting, is_booking_staff, writes_bookings
from bookings.schedule import HELSINKI, local_time_missing, missing_time_message
from bookings.validators import within_years

if TYPE_CHECKING:  # the permission classes load while rest_framework.views imports
    from django_stubs_ext import StrOrPromise
    from rest_framework.request import Request
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)


# --- Who may do what (SPEC §2.10; the rules are in bookings.permissions) ------------------


class DenyAll(BasePermission):
    """The default: a view that declares nothing is closed to everyone."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return False


# Anyone, signed in or not. DRF's own class, so the schema marks sign-in as optional.
Public = AllowAny


class BookingStaff(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_booking_staff(request.user)


class Accounting(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_accounting(request.user)


class ReadsBookings(BasePermission):
    """Booking staff read and write; accounting reads only."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return writes_bookings(request.user, method=request.method or "GET")


# --- Paging and strict input --------------------------------------------------------------


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class StrictSerializer(serializers.Serializer):
    """Input serializer that refuses fields it does not know, instead of ignoring them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise exceptions.ValidationError(
                    {name: [_("Unknown field.")] for name in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)


# --- Filters ----------------------------------------------------------------------------


class MomentField(IsoDateTimeField):
    """An ISO 8601 time within sane years, in UTC.

    PostgreSQL refuses offsets beyond ±15:59 and far years overflow time arithmetic; a
    filter value must be a 400 for the client, never a database error."""

    def to_python(self, value: str | datetime | date | None) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        if not within_years(moment):
            raise DjangoValidationError(
                _("Choose a time between the years 2000 and 2100."), code="out_of_range"
            )
        return moment.astimezone(UTC)


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


# The bounds in the schema too, so that clients (and the schema fuzz test's negative
# cases) know them: the year is 2000–2099 or 2100.
YEAR_PATTERN = r"^(20[0-9][0-9]|2100)-"


@extend_schema_field({"type": "string", "format": "date", "pattern": YEAR_PATTERN})
class Day(serializers.DateField):
    """A date within YEARS (2000–2100): far years overflow the date arithmetic behind
    every answer (a week after 9999-12-31), so they are a 400, never a 500."""

    default_error_messages = {"out_of_range": _("Choose a date between the years 2000 and 2100.")}

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not within_years(day):
            self.fail("out_of_range")
        return day


@extend_schema_field({"type": "string", "format": "date-time", "pattern": YEAR_PATTERN})
class Moment(serializers.DateTimeField):
    """An ISO 8601 time within YEARS; without an offset it is Helsinki time.

    A wall-clock time the spring change skips (03:00–03:59 on the last Sunday of March)
    is refused by the booking services with a clear message, never shifted; one of the
    repeated October hour means its first instant (summer time) unless an offset says."""

    default_error_messages = {"out_of_range": _("Choose a time between the years 2000 and 2100.")}

    def to_internal_value(self, value: Any) -> datetime:
        try:
            return super().to_internal_value(value)
        except (OverflowError, ValueError):  # the year 1 or 9999 moved across an offset
            self.fail("out_of_range")

    def enforce_timezone(self, value: datetime) -> datetime:
        if not within_years(value):
            self.fail("out_of_range")
        if timezone.is_naive(value):
            # DRF would read a skipped time with the winter offset, an hour off; the
            # services refuse it by the same rule for the forms' input too.
            moment = value.replace(tzinfo=HELSINKI)
            if local_time_missing(moment):
                raise serializers.ValidationError(missing_time_message(moment), code="missing_time")
            return moment
        return super().enforce_timezone(value)


# --- Errors -------------------------------------------------------------------------------


def error_response(code: str, message: StrOrPromise, http_status: int, **extra: Any) -> Response:
    return Response({"code": code, "message": str(message), **extra}, status=http_status)


def clash_data(clash: Clash, *, for_staff: bool) -> dict[str, Any]:
    """A clash as the API shows it: times and status for everyone, the other booking's id
    and title only for staff (SPEC §2.4)."""
    data: dict[str, Any] = {
        "start": timezone.localtime(clash.start).isoformat(),
        "end": timezone.localtime(clash.end).isoformat(),
        "status": clash.status,
    }
    if for_staff:
        data.update(
            booking_id=clash.booking_id,
            closure_id=clash.closure_id,
            title=clash.title,
            room_id=clash.room_id,
        )
    return data


def conflict_response(conflict: BookingConflict, *, for_staff: bool, **extra: Any) -> Response:
    return error_response(
        "conflict",
        conflict.message,
        status.HTTP_409_CONFLICT,
        clashes=[clash_data(clash, for_staff=for_staff) for clash in conflict.clashes],
        **extra,
    )


def _field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail flattened: {"email": [...], "renter.email": [...],
    "extras.1.quantity": [...]}."""

    def name(key: object) -> str:
        return f"{prefix}.{key}" if prefix else str(key)

    if isinstance(detail, dict):
        errors: dict[str, list[str]] = {}
        for key, value in detail.items():
            errors |= _field_errors(value, name(key))
        return errors
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        errors = {}
        for index, item in enumerate(detail):
            if item:
                errors |= _field_errors(item, name(index))
        return errors
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]}


ERROR_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every refusal as `{"code", "message", ...}` in the request's language."""
    is_staff = is_booking_staff(getattr(context.get("request"), "user", AnonymousUser()))
    if isinstance(exc, StaleRevision):
        return error_response("stale", exc.message, status.HTTP_409_CONFLICT)
    if isinstance(exc, BookingStarted):
        return error_response(
            "started", exc.message, status.HTTP_409_CONFLICT, current_status=exc.current_status
        )
    if isinstance(exc, BookingStateError):
        return error_response(
            "state_conflict",
            exc.message,
            status.HTTP_409_CONFLICT,
            current_status=exc.current_status,
        )
    if isinstance(exc, BookingConflict):
        return conflict_response(exc, for_staff=is_staff)
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return _invalid(errors)
    if isinstance(exc, exceptions.ValidationError):
        return _invalid(_field_errors(exc.detail))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.Throttled):
        return _throttled(exc)
    if isinstance(exc, exceptions.APIException):
        response = error_response(
            ERROR_CODES.get(type(exc), exc.default_code), _detail_text(exc), exc.status_code
        )
        # Throttled sets `wait` in __init__; the stubs do not declare it.
        wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
        if wait:
            response["Retry-After"] = str(int(wait))
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            response["WWW-Authenticate"] = auth_header
        return response
    return None


def renamed_errors(error: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """A service's field errors under the names this API gives the fields."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {names.get(name, name): problems for name, problems in error.error_dict.items()}
    )


def _throttled(exc: exceptions.Throttled) -> Response:
    """DRF's own text is translated only in part; ours says it whole, in minutes."""
    wait = getattr(exc, "wait", None)  # set by DRF's Throttled; absent from its stubs
    seconds = int(wait or 0)
    minutes = max(1, -(-seconds // 60))
    message = ngettext(
        "Too many requests from this address. Try again in %(minutes)d minute.",
        "Too many requests from this address. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = error_response("throttled", message, status.HTTP_429_TOO_MANY_REQUESTS)
    if wait:
        response["Retry-After"] = str(seconds)
    return response


def _detail_text(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, list | dict):
        return str(exc.default_detail)
    return str(detail)


def _invalid(errors: dict[str, list[str]]) -> Response:
    return error_response(
        "invalid",
        _("Check the highlighted fields."),
        status.HTTP_400_BAD_REQUEST,
        errors=errors,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for paths no view matches: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": str(_("Not found."))}, status=404)
    return defaults.page_not_found(request, exception or Http404())


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = str(_("Something went wrong on our side. Please try again later."))
        return JsonResponse({"code": "server_error", "message": message}, status=500)
    return defaults.server_error(request)
