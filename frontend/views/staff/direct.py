"""Bookings staff make themselves, and closures of rooms or the whole house."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from bookings.errors import BookingConflict, BookingStateError
from bookings.models import Closure
from bookings.refusals import refusal_text
from bookings.schedule import local
from bookings.services import (
    ClashingBookingsChanged,
    RenterDetails,
    SeriesUnavailable,
    acting_user,
    booking_staff_create,
    booking_staff_series_create,
    closure_clashing_bookings,
    closure_create,
    closure_create_cancelling,
    closure_remove,
)
from frontend.forms_closures import (
    CLOSURE_ERROR_FIELDS,
    ClosureCancelForm,
    ClosureForm,
    ClosureRemoveForm,
)
from frontend.forms_staff import (
    TIME_ERROR_FIELDS,
    BookingStartForm,
    StaffBookingForm,
    add_service_errors,
)
from frontend.views.staff.access import booking_staff_required

RENTER_ERROR_FIELDS = {**TIME_ERROR_FIELDS}


def _renter(data: dict) -> RenterDetails | None:
    if data["for_house"]:
        return None
    return RenterDetails(
        organisation=data["organisation"],
        contact_name=data["contact_name"],
        email=data["email"],
        phone=data["phone"],
        business_id=data["business_id"],
        billing_address=data["billing_address"],
        language=data["language"],
    )


@require_http_methods(["GET", "HEAD", "POST"])
@booking_staff_required
def booking_new(request: HttpRequest) -> HttpResponse:
    """A booking for a renter or for the house, approved at once (SPEC §2.2: outside
    opening hours only with a reason)."""
    # The timeline's empty times link here with the room and time in the query.
    initial = {"day": timezone.localdate(), **BookingStartForm(request.GET).initial_values()}
    form = StaffBookingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.times()
        common = {
            "actor": acting_user(request.user),
            "room": data["room"],
            "start": start,
            "end": end,
            "title": data["title"],
            "attendees": data["attendees"],
            "renter": _renter(data),
            "override_reason": data["override_reason"],
            "message": data["message"],
            "extras": form.extras(),
        }
        recurrence = form.recurrence()
        try:
            if recurrence is None:
                booking = booking_staff_create(**common)
                made = 1
            else:
                result = booking_staff_series_create(
                    **common, recurrence=recurrence, skip_unavailable=data["skip_unavailable"]
                )
                booking, made = result.bookings[0], len(result.bookings)
        except SeriesUnavailable as unavailable:
            form.add_error(None, _series_refusal(unavailable))
        except BookingConflict as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_service_errors(form, error, RENTER_ERROR_FIELDS)
        else:
            if recurrence is None:
                messages.success(request, _("The booking was made."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "The series was made: %(count)d date.",
                        "The series was made: %(count)d dates.",
                        made,
                    )
                    % {"count": made},
                )
            return redirect(reverse("frontend:staff-booking", kwargs={"pk": booking.pk}))
    return render(request, "frontend/staff/booking_new.html", {"form": form})


def _series_refusal(unavailable: SeriesUnavailable) -> str:
    """Which dates of a series are taken, in one sentence."""
    taken = [f"{local(item.start):%d.%m.%Y}" for item in unavailable.occurrences if not item.free]
    return str(
        _(
            "Nothing was booked: these dates are not available: %(dates)s. Choose "
            "“Book the free dates and leave out the taken ones” to book the rest."
        )
        % {"dates": ", ".join(taken)}
    )


def _upcoming_closures() -> list[Closure]:
    rows = Closure.objects.filter(removed_at__isnull=True, end__gt=timezone.now())
    return list(rows.prefetch_related("rooms").select_related("created_by").order_by("start"))


@require_http_methods(["GET", "HEAD", "POST"])
@booking_staff_required
def closures(request: HttpRequest) -> HttpResponse:
    """Make a closure. One over approved bookings is first refused with the list of what
    it would cancel; confirming that list closes and cancels in one step."""
    form = ClosureForm(
        request.POST or None,
        initial={"start_day": timezone.localdate(), "end_day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.times()
        where = {
            "start": start,
            "end": end,
            "reason": data["reason"],
            "rooms": data["rooms"],
            "whole_house": data["whole_house"],
            "note": data["note"],
        }
        confirm = ClosureCancelForm(request.POST) if "cancel_ids" in request.POST else None
        try:
            if confirm is not None and confirm.is_valid():
                done = closure_create_cancelling(
                    actor=acting_user(request.user), expected=confirm.ids(), **where
                )
                cancelled = len(done.cancelled)
            else:
                closure_create(actor=acting_user(request.user), **where)
                cancelled = 0
        except ClashingBookingsChanged as changed:
            messages.warning(request, changed.message)
            return _closure_confirm(request, form, changed.bookings)
        except BookingConflict as error:
            in_the_way = closure_clashing_bookings(
                start=start, end=end, rooms=data["rooms"], whole_house=data["whole_house"]
            )
            # Only bookings can be cancelled away: a clash with another closure stays a
            # refusal.
            if in_the_way and all(clash.closure_id is None for clash in error.clashes):
                return _closure_confirm(request, form, in_the_way)
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_service_errors(form, error, CLOSURE_ERROR_FIELDS)
        else:
            text = str(_("The closure was made."))
            if cancelled:
                text = ngettext(
                    "The closure was made; %(count)d booking was cancelled and its renter "
                    "was e-mailed.",
                    "The closure was made; %(count)d bookings were cancelled and their "
                    "renters were e-mailed.",
                    cancelled,
                ) % {"count": cancelled}
            messages.success(request, text)
            return redirect(reverse("frontend:staff-closures"))
    return render(
        request,
        "frontend/staff/closures.html",
        {"form": form, "closures": _upcoming_closures(), "remove_form": ClosureRemoveForm()},
    )


def _closure_confirm(request: HttpRequest, form: ClosureForm, bookings: list) -> HttpResponse:
    """The confirmation page: what the closure would cancel, and the closure's own fields
    again, hidden, so that confirming sends the same closure."""
    confirm = ClosureCancelForm(
        initial={"cancel_ids": ",".join(str(booking.pk) for booking in bookings)}
    )
    return render(
        request,
        "frontend/staff/closure_confirm.html",
        {"form": form, "confirm": confirm, "bookings": bookings},
    )


@require_POST
@booking_staff_required
def closure_lift(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(Closure, pk=pk)
    form = ClosureRemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        closure_remove(closure=closure, actor=acting_user(request.user), reason=reason)
    except BookingStateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The closure was lifted."))
    return redirect(reverse("frontend:staff-closures"))
