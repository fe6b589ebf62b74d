"""Who may open which staff page (SPEC §2.10).

Anonymous visitors go to the staff login; a signed-in person without a staff role gets
403. Booking staff may do everything here; accounting may read bookings but not change
them, so a page that accounting may read refuses accounting's POSTs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from bookings.api.common import is_accounting, is_booking_staff

View = Callable[..., HttpResponse]

SAFE_METHODS = ("GET", "HEAD")


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
        request.staff_can_edit = True
        return view(request, *args, **kwargs)

    return wrapped


def booking_reader_required(view: View) -> View:
    """Booking staff, and accounting for reading (GET) only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return _login_redirect(request)
        can_edit = is_booking_staff(request.user)
        may_read = can_edit or is_accounting(request.user)
        if not may_read or (request.method not in SAFE_METHODS and not can_edit):
            raise PermissionDenied
        request.staff_can_edit = can_edit
        return view(request, *args, **kwargs)

    return wrapped


def feed_owner_required(view: View) -> View:
    """Anyone who may read bookings manages their own private feeds (bookings.feeds
    gives feeds to the same people)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return _login_redirect(request)
        can_edit = is_booking_staff(request.user)
        if not (can_edit or is_accounting(request.user)):
            raise PermissionDenied
        request.staff_can_edit = can_edit
        return view(request, *args, **kwargs)

    return wrapped
