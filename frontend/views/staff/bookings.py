"""One booking: its detail page and the decisions staff take on it.

Every write calls a booking service. Each form carries the booking's revision
(`Booking.sequence`, hidden: nobody needs to read it); a form posted with an older
revision is refused, so a decision is never taken on a booking that changed after the
person looked at it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings.errors import BookingConflict, BookingStateError, StaleBooking
from bookings.models import Booking, BookingSeries, BookingStatus
from bookings.refusals import refusal_text
from bookings.schedule import local
from bookings.selectors import competing_requests, queue_badges
from bookings.services import (
    CompetitorsDecision,
    acting_user,
    booking_approve_rejecting_competitors,
    booking_cancel,
    booking_customer_confirm,
    booking_customer_match,
    booking_move,
    booking_reject,
    booking_series_approve,
    booking_series_cancel,
    booking_series_reject,
)
from frontend.forms_staff import (
    SCOPE_REST,
    TIME_ERROR_FIELDS,
    ApproveForm,
    CancelForm,
    MoveForm,
    RejectForm,
    SeriesApproveForm,
    SeriesRejectForm,
    add_service_errors,
)
from frontend.series_words import series_in_words
from frontend.views.staff.access import (
    StaffRequest,
    booking_reader_required,
    booking_staff_required,
)
from frontend.views.staff.common import (
    audit_rows,
    price_estimate_for,
    price_snapshot_for,
    refusal_message,
)
from invoicing.selectors import booking_can_be_invoiced

DECISION_ERRORS = (BookingConflict, BookingStateError)


def _booking(pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("room", "customer", "series", "created_by"), pk=pk
    )


def _detail_url(booking: Booking) -> str:
    return reverse("frontend:staff-booking", kwargs={"pk": booking.pk})


def _after(request: HttpRequest, booking: Booking | None) -> str:
    """Where a decision returns: the queue when taken from its row, else the booking."""
    if request.POST.get("back") == "queue" or booking is None:
        return reverse("frontend:staff-queue")
    return _detail_url(booking)


def _series_rows(booking: Booking) -> list:
    if booking.series_id is None:
        return []
    occurrences = list(
        Booking.objects.filter(series_id=booking.series_id)
        .select_related("room", "customer")
        .order_by("start", "pk")
    )
    badges = queue_badges(occurrences)
    return [(item, badges[item.pk]) for item in occurrences]


@require_safe
@booking_reader_required
def detail(request: StaffRequest, pk: int) -> HttpResponse:
    booking = _booking(pk)
    series = _series_rows(booking)
    price_snapshot = price_snapshot_for(booking)
    return render(
        request,
        "frontend/staff/booking_detail.html",
        {
            "booking": booking,
            "badges": queue_badges([booking])[booking.pk],
            "competing": competing_requests(booking) if booking.is_active else [],
            "price": price_snapshot,
            # Before approval staff see what it would cost (SPEC: no price hidden until then).
            "estimate": price_estimate_for(booking)
            if price_snapshot is None
            and booking.status == BookingStatus.REQUESTED
            and (booking.organisation or booking.email)
            else None,
            "series_words": series_in_words(booking.series.rrule, booking.series.first_start)
            if booking.series
            else "",
            "audit": audit_rows(booking),
            "series_rows": series,
            "series_pending": any(
                item.status == BookingStatus.REQUESTED for item, _badges in series
            ),
            "series_form": SeriesApproveForm(
                initial={"seen": booking.pk, "sequence": booking.sequence}
            ),
            "can_edit": request.staff_can_edit,
            # invoicing's own answer, which also knows whether an invoice already bills it
            "invoiceable": request.staff_can_invoice and booking_can_be_invoiced(booking),
            "customer_match": None
            if booking.customer_confirmed
            else booking_customer_match(booking),
        },
    )


def _competitors_report(request: HttpRequest, decision: CompetitorsDecision) -> None:
    for other, reason in decision.left:
        messages.warning(request, f"#{other.pk} {other.title}: {reason}")
    if decision.rejected:
        names = ", ".join(f"#{other.pk} {other.title}" for other in decision.rejected)
        messages.success(request, _("Rejected: %(list)s.") % {"list": names})


@require_POST
@booking_staff_required
def customer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff decide who a request is from: the customer its details match, or a customer
    of its own (SPEC: a typed business ID links nothing by itself)."""
    booking = _booking(pk)
    choice = request.POST.get("customer", "")
    match = booking_customer_match(booking)
    if choice == "match" and match is not None:
        booking_customer_confirm(booking=booking, actor=acting_user(request.user), customer=match)
        messages.success(request, _("Linked to the customer %(name)s.") % {"name": match})
    elif choice == "own":
        booking_customer_confirm(booking=booking, actor=acting_user(request.user))
        messages.success(request, _("The request's own details are its customer now."))
    else:
        messages.error(request, _("Choose the customer."))
    return redirect(_detail_url(booking))


@require_http_methods(["GET", "HEAD", "POST"])
@booking_staff_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm an approval, seeing first which competing requests it makes impossible."""
    booking = _booking(pk)
    if request.method != "POST" and booking.status != BookingStatus.REQUESTED:
        messages.info(request, _("Only a request waiting for a decision can be approved."))
        return redirect(_detail_url(booking))
    competing = competing_requests(booking)
    form = ApproveForm(
        request.POST or None,
        competing=competing,
        initial={"sequence": booking.sequence, "reject_competing": competing},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = booking_approve_rejecting_competitors(
                booking=booking,
                actor=acting_user(request.user),
                message=data["message"],
                expected_sequence=data["sequence"],
                reject=list(data["reject_competing"]),
                rejection_message=data["rejection_message"],
            )
        except DECISION_ERRORS as error:
            refusal_message(request, error)
            return redirect(_after(request, booking))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The booking was approved."))
            _competitors_report(request, decision)
            return redirect(_after(request, booking))
    return render(
        request,
        "frontend/staff/approve.html",
        {"booking": booking, "competing": competing, "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@booking_staff_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(pk)
    form = RejectForm(request.POST or None, initial={"sequence": booking.sequence})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking_reject(
                booking=booking,
                actor=acting_user(request.user),
                message=data["message"],
                expected_sequence=data["sequence"],
            )
        except DECISION_ERRORS as error:
            refusal_message(request, error)
            return redirect(_after(request, booking))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request was rejected."))
            return redirect(_after(request, booking))
    return render(request, "frontend/staff/reject.html", {"booking": booking, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@booking_staff_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(pk)
    form = CancelForm(request.POST or None, initial={"sequence": booking.sequence})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = booking_series_cancel if data["scope"] == SCOPE_REST else booking_cancel
        try:
            done = service(
                booking=booking,
                actor=acting_user(request.user),
                reason=data["reason"],
                expected_sequence=data["sequence"],
            )
        except DECISION_ERRORS as error:
            refusal_message(request, error)
            return redirect(_detail_url(booking))
        count = len(done) if isinstance(done, list) else 1
        cancelled = ngettext(
            "Cancelled %(count)d booking.", "Cancelled %(count)d bookings.", count
        ) % {"count": count}
        messages.success(request, cancelled)
        return redirect(_detail_url(booking))
    return render(request, "frontend/staff/cancel.html", {"booking": booking, "form": form})


def _move_initial(booking: Booking) -> dict:
    start, end = local(booking.start), local(booking.end)
    return {
        "room": booking.room,
        "day": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "sequence": booking.sequence,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@booking_staff_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the time or room; the service re-checks conflicts and refuses a stale form."""
    booking = _booking(pk)
    form = MoveForm(request.POST or None, initial=_move_initial(booking))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, end = form.times()
        try:
            booking_move(
                booking=booking,
                actor=acting_user(request.user),
                room=data["room"],
                start=start,
                end=end,
                reason=data["reason"],
                override_reason=data["override_reason"],
                expected_sequence=data["sequence"],
            )
        except StaleBooking:
            form.add_error(
                None,
                _(
                    "Nothing was changed: someone else changed this booking after you "
                    "opened the page. Reload the page to see the booking as it is now."
                ),
            )
        except BookingConflict as error:
            form.add_error(None, refusal_text(error))
        except BookingStateError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error, TIME_ERROR_FIELDS)
        else:
            messages.success(request, _("The time or room was changed."))
            return redirect(_detail_url(booking))
    return render(request, "frontend/staff/move.html", {"booking": booking, "form": form})


@require_POST
@booking_staff_required
def series_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve every requested date of a series, optionally skipping the clashing ones."""
    series = get_object_or_404(BookingSeries, pk=pk)
    first = Booking.objects.filter(series=series).order_by("start", "pk").first()
    back = _after(request, first)
    form = SeriesApproveForm(request.POST, series=series)
    if not form.is_valid():
        messages.error(request, _("The form was not valid."))
        return redirect(back)
    try:
        result = booking_series_approve(
            series=series,
            actor=acting_user(request.user),
            message=form.cleaned_data["message"],
            skip_conflicts=form.cleaned_data["skip_conflicts"],
            seen=form.cleaned_data["seen"],
            expected_sequence=form.cleaned_data["sequence"],
        )
    except DECISION_ERRORS as error:
        refusal_message(request, error)
        return redirect(back)
    approved = len(result.approved)
    messages.success(
        request,
        ngettext(
            "Approved %(count)d date of the series.",
            "Approved %(count)d dates of the series.",
            approved,
        )
        % {"count": approved},
    )
    if result.skipped:
        dates = ", ".join(local(item.start).strftime("%d.%m.%Y") for item, _c in result.skipped)
        messages.warning(
            request, _("Skipped and rejected because of clashes: %(dates)s.") % {"dates": dates}
        )
    return redirect(back)


@require_POST
@booking_staff_required
def series_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject every waiting date of a series with one message (from the queue's row)."""
    series = get_object_or_404(BookingSeries, pk=pk)
    first = Booking.objects.filter(series=series).order_by("start", "pk").first()
    back = _after(request, first)
    form = SeriesRejectForm(request.POST, series=series)
    if not form.is_valid():
        messages.error(request, _("Tell the renter why the request is rejected."))
        return redirect(back)
    try:
        rejected = booking_series_reject(
            series=series,
            actor=acting_user(request.user),
            message=form.cleaned_data["message"],
            seen=form.cleaned_data["seen"],
            expected_sequence=form.cleaned_data["sequence"],
        )
    except DECISION_ERRORS as error:
        refusal_message(request, error)
        return redirect(back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "Rejected %(count)d date of the series.",
            "Rejected %(count)d dates of the series.",
            len(rejected),
        )
        % {"count": len(rejected)},
    )
    return redirect(back)
