"""The renter's own pages behind the secret status link: the confirmation after sending
and the status page, where the renter cancels (SPEC §2.3, §3.3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from bookings.cancellation import cancellation_now
from bookings.errors import BookingConflict, BookingStarted, BookingStateError
from bookings.feeds import renter_bookings
from bookings.models import ACTIVE_STATUSES, Booking, BookingStatus, HouseInfo
from bookings.schedule import finnish_holidays
from bookings.services import booking_renter_cancel, booking_renter_change, renter_cancellable
from frontend.forms_public import RequestChangeForm
from frontend.price_words import price_words
from invoicing.models import BookingPrice, Extra
from invoicing.quotes import Quote, quote_booking

PRIVATE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    # Not "no-referrer": Chromium then sends `Origin: null` with the cancel form, which
    # Django's CSRF check refuses. Same-origin keeps the secret link from other sites.
    "Referrer-Policy": "same-origin",
}


def _private(response: HttpResponse) -> HttpResponse:
    """A page behind a secret link: not indexed, and the link never leaks to other sites
    as a referrer (`never_cache` keeps it out of shared caches)."""
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


@never_cache
@require_safe
def request_sent(request: HttpRequest, token: str) -> HttpResponse:
    bookings = renter_bookings(token=token)
    if not bookings:
        raise Http404
    context = status_context(token, bookings)
    context["decide_by"] = _decide_by(bookings[0], context["house"].decision_working_days)
    response = render(request, "frontend/public/request_sent.html", context)
    return _private(response)


def _decide_by(first: Booking, working_days: int) -> date:
    """When staff decide at the latest: within the house's working days of the request,
    and in any case before the booking's day."""
    day = timezone.localdate(first.created_at)
    left = working_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in finnish_holidays(day.year):
            left -= 1
    return min(day, timezone.localdate(first.start) - timedelta(days=1))


# --- The status page ----------------------------------------------------------------------

# Each state's title and what it means for the renter (SPEC §2.13, issue 14 part 6).
STATE_TITLES = {
    "requested": gettext_lazy("Your booking request is waiting for a decision"),
    "approved": gettext_lazy("Your booking is approved"),
    "rejected": gettext_lazy("Your booking request was not approved"),
    "cancelled": gettext_lazy("Your booking is cancelled"),
    "expired": gettext_lazy("Your booking request expired"),
    "past": gettext_lazy("Your booking is over"),
}
STATE_LABELS = {
    "requested": gettext_lazy("Waiting for a decision"),
    "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Not approved"),
    "cancelled": gettext_lazy("Cancelled"),
    "expired": gettext_lazy("Expired"),
    "past": gettext_lazy("Over"),
}


def status_state(bookings: list[Booking], now: datetime) -> str:
    """The state the page is about: the first date still to come that is active, else
    the last date's (an approved booking whose time is over is "past")."""
    upcoming = [b for b in bookings if b.status in ACTIVE_STATUSES and b.end > now]
    current = upcoming[0] if upcoming else bookings[-1]
    if current.status == BookingStatus.APPROVED and current.end <= now:
        return "past"
    return str(current.status)


def _price_total(bookings: list[Booking]) -> Decimal | None:
    approved = [b for b in bookings if b.status == BookingStatus.APPROVED]
    snapshots = list(BookingPrice.objects.filter(booking__in=approved))
    if not approved or len(snapshots) != len(approved):
        return None
    return sum(
        (Decimal(line["gross"]) for snapshot in snapshots for line in snapshot.lines),
        Decimal("0.00"),
    )


def _estimate(booking: Booking) -> Quote | None:
    """A pending request's price as it would be approved today (not yet binding)."""
    try:
        return quote_booking(booking)
    except ValidationError:
        return None


def status_context(token: str, bookings: list[Booking]) -> dict[str, Any]:
    now = timezone.now()
    first = bookings[0]
    # What the cancel would take: the dates that have not started (the service decides).
    cancellable = next(iter(renter_cancellable(bookings, now=now)), None)
    state = status_state(bookings, now)
    estimate = _estimate(first) if state == "requested" else None
    return {
        "token": token,
        "bookings": bookings,
        "first": first,
        "state": state,
        "state_title": STATE_TITLES[state],
        "state_label": STATE_LABELS[state],
        "series": first.series_id is not None,
        "cancellable": cancellable,
        "cancellation": cancellable and cancellation_now(cancellable, now=now),
        "editable": state == "requested" and first.series_id is None and cancellable is not None,
        "has_approved": any(b.status == BookingStatus.APPROVED for b in bookings),
        "price": _price_total(bookings),
        "estimate": estimate,
        "price_words": estimate and price_words(estimate),
        "house": HouseInfo.load(),
        "extras": extras_lines(first),
    }


def extras_lines(booking: Booking) -> list[dict[str, Any]]:
    names = {extra.code: extra.name for extra in Extra.objects.filter(code__in=_codes(booking))}
    return [
        {"name": names.get(item["code"], item["code"]), "quantity": item["quantity"]}
        for item in booking.extras or ()
    ]


def _codes(booking: Booking) -> list[str]:
    return [item["code"] for item in booking.extras or ()]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    bookings = renter_bookings(token=token)
    if not bookings:
        raise Http404
    context = status_context(token, bookings)
    if request.method == "POST":
        # The first press only asks: cancelling cannot be undone, and may cost a fee.
        # Nothing left to cancel: the service refuses and the renter is told why.
        if request.POST.get("confirm") == "yes" or context["cancellable"] is None:
            return _cancel(request, token)
        response = render(request, "frontend/public/request_cancel.html", context)
        return _private(response)
    response = render(request, "frontend/public/request_status.html", context)
    return _private(response)


def _cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking_renter_cancel(status_token=token)
    except BookingStarted:
        messages.error(request, _("This request can no longer be cancelled."))
    except BookingStateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Cancelled. We sent you a confirmation by e-mail."))
    return redirect("frontend:request-status", token=token)


# --- The renter changes a pending request -------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_edit(request: HttpRequest, token: str) -> HttpResponse:
    bookings = renter_bookings(token=token)
    if not bookings:
        raise Http404
    context = status_context(token, bookings)
    if not context["editable"]:
        messages.error(request, _("Only a request still waiting for a decision can be changed."))
        return redirect("frontend:request-status", token=token)
    first = bookings[0]
    if request.method != "POST":
        form = RequestChangeForm(initial=RequestChangeForm.initial_of(first))
        return _private(_edit_page(request, context, form))
    form = RequestChangeForm(request.POST)
    if form.is_valid():
        start, end = form.times()
        try:
            booking_renter_change(
                status_token=token,
                start=start,
                end=end,
                attendees=form.cleaned_data["attendees"],
                extras=form.extras(),
            )
        except BookingConflict as conflict:
            form.add_error("start_time", conflict.message)
        except BookingStateError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your request was changed. Booking staff were told."))
            return redirect("frontend:request-status", token=token)
    return _private(_edit_page(request, context, form, status=400))


def _edit_page(
    request: HttpRequest, context: dict[str, Any], form: RequestChangeForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "frontend/public/request_edit.html", {**context, "form": form}, status=status
    )
