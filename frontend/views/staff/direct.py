"""Bookings staff make themselves, and closures of rooms or the whole house."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from bookings.errors import BookingConflict, BookingStateError
from bookings.models import Closure
from bookings.refusals import refusal_text
from bookings.services import (
    RenterDetails,
    acting_user,
    booking_staff_create,
    closure_create,
    closure_remove,
)
from frontend.forms_staff import (
    CLOSURE_ERROR_FIELDS,
    TIME_ERROR_FIELDS,
    BookingStartForm,
    ClosureForm,
    ClosureRemoveForm,
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
        try:
            booking = booking_staff_create(
                actor=acting_user(request.user),
                room=data["room"],
                start=start,
                end=end,
                title=data["title"],
                attendees=data["attendees"],
                renter=_renter(data),
                override_reason=data["override_reason"],
                message=data["message"],
            )
        except BookingConflict as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_service_errors(form, error, RENTER_ERROR_FIELDS)
        else:
            messages.success(request, _("The booking was made."))
            return redirect(reverse("frontend:staff-booking", kwargs={"pk": booking.pk}))
    return render(request, "frontend/staff/booking_new.html", {"form": form})


def _upcoming_closures() -> list[Closure]:
    rows = Closure.objects.filter(removed_at__isnull=True, end__gt=timezone.now())
    return list(rows.prefetch_related("rooms").select_related("created_by").order_by("start"))


@require_http_methods(["GET", "HEAD", "POST"])
@booking_staff_required
def closures(request: HttpRequest) -> HttpResponse:
    form = ClosureForm(
        request.POST or None,
        initial={"start_day": timezone.localdate(), "end_day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.times()
        try:
            closure_create(
                actor=acting_user(request.user),
                start=start,
                end=end,
                reason=data["reason"],
                rooms=data["rooms"],
                whole_house=data["whole_house"],
                note=data["note"],
            )
        except BookingConflict as error:
            form.add_error(None, refusal_text(error))
        except ValidationError as error:
            add_service_errors(form, error, CLOSURE_ERROR_FIELDS)
        else:
            messages.success(request, _("The closure was made."))
            return redirect(reverse("frontend:staff-closures"))
    return render(
        request,
        "frontend/staff/closures.html",
        {"form": form, "closures": _upcoming_closures(), "remove_form": ClosureRemoveForm()},
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
