"""The renter's own pages behind the secret status link: the confirmation after sending
and the status page, where the renter cancels (SPEC §2.3, §3.3)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from bookings.errors import BookingStarted, BookingStateError
from bookings.feeds import renter_bookings
from bookings.models import Booking, BookingStatus
from bookings.services import booking_renter_cancel, renter_cancellable
from invoicing.models import BookingPrice

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
    response = render(
        request,
        "frontend/public/request_sent.html",
        {"bookings": bookings, "first": bookings[0], "token": token},
    )
    return _private(response)


# --- The status page ----------------------------------------------------------------------


def _price_total(bookings: list[Booking]) -> Decimal | None:
    approved = [b for b in bookings if b.status == BookingStatus.APPROVED]
    snapshots = list(BookingPrice.objects.filter(booking__in=approved))
    if not approved or len(snapshots) != len(approved):
        return None
    return sum(
        (Decimal(line["gross"]) for snapshot in snapshots for line in snapshot.lines),
        Decimal("0.00"),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    bookings = renter_bookings(token=token)
    if not bookings:
        raise Http404
    if request.method == "POST":
        return _cancel(request, token)
    # What the cancel would take: the dates that have not started (the service decides).
    cancellable = next(iter(renter_cancellable(bookings, now=timezone.now())), None)
    context = {
        "token": token,
        "bookings": bookings,
        "first": bookings[0],
        "series": bookings[0].series_id is not None,
        "cancellable": cancellable,
        "has_approved": any(b.status == BookingStatus.APPROVED for b in bookings),
        "price": _price_total(bookings),
    }
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
