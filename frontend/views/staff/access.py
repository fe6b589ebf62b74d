"""Who may open which staff page (SPEC §2.10).

Anonymous visitors go to the staff login; a signed-in person without a staff role gets
403. Booking staff may do everything with bookings; accounting may read bookings but not
change them, so a page that accounting may read refuses accounting's POSTs. The invoice
pages are accounting's (and administrators') alone.

Each decorator notes on the request what the person may do (`staff_can_edit`,
`staff_can_invoice`), so the navigation shows only the pages that will open.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from bookings.permissions import is_accounting, is_booking_staff, reads_bookings

View = Callable[..., HttpResponse]

SAFE_METHODS = ("GET", "HEAD")


class StaffRequest(HttpRequest):
    """A request that passed one of the decorators below, with what the person may do."""

    staff_can_edit: bool
    staff_can_invoice: bool


def _note_roles(request: HttpRequest, *, can_edit: bool, can_invoice: bool) -> None:
    # The same object: the class only names the two notes the templates read.
    staff = cast(StaffRequest, request)
    staff.staff_can_edit, staff.staff_can_invoice = can_edit, can_invoice


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), reverse("frontend:staff-login"))


def booking_staff_required(view: View) -> View:
    """Booking staff and administrators only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return _login_redirect(request)
        if not is_booking_staff(request.user):
            raise PermissionDenied
        _note_roles(request, can_edit=True, can_invoice=is_accounting(request.user))
        return view(request, *args, **kwargs)

    return wrapped


def booking_reader_required(view: View) -> View:
    """Booking staff, and accounting for reading (GET) only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return _login_redirect(request)
        can_edit = is_booking_staff(request.user)
        can_invoice = is_accounting(request.user)
        if not (can_edit or can_invoice) or (request.method not in SAFE_METHODS and not can_edit):
            raise PermissionDenied
        _note_roles(request, can_edit=can_edit, can_invoice=can_invoice)
        return view(request, *args, **kwargs)

    return wrapped


def feed_owner_required(view: View) -> View:
    """Anyone who may read bookings manages their own private feeds (bookings.feeds
    gives feeds to the same people)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return _login_redirect(request)
        if not reads_bookings(request.user):
            raise PermissionDenied
        can_edit = is_booking_staff(request.user)
        can_invoice = is_accounting(request.user)
        _note_roles(request, can_edit=can_edit, can_invoice=can_invoice)
        return view(request, *args, **kwargs)

    return wrapped


def accounting_required(view: View) -> View:
    """Accounting and administrators only: invoices, payments and their files."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return _login_redirect(request)
        if not is_accounting(request.user):
            raise PermissionDenied
        _note_roles(request, can_edit=is_booking_staff(request.user), can_invoice=True)
        return view(request, *args, **kwargs)

    return wrapped
