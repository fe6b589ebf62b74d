"""Private calendar feeds: each staff member manages their own tokens (SPEC §2.8).

The secret address is shown once, in the answer to the POST that made it, and never
stored: the page that shows it is marked not to be cached.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bookings.feeds import (
    FeedTokenResult,
    feed_token_create,
    feed_token_revoke,
    feed_token_rotate,
)
from bookings.models import FeedToken
from bookings.selectors import public_rooms
from bookings.services import acting_user
from frontend.forms_staff import FeedTokenForm, add_service_errors
from frontend.views.staff.access import feed_owner_required


def _public_feeds() -> list[dict]:
    rooms = public_rooms()
    feeds = []
    for room in rooms:
        url = settings.SITE_URL + reverse("ical-room-feed", kwargs={"slug": room.slug})
        feeds.append({"room": room, "url": url, "webcal": "webcal://" + url.split("://", 1)[1]})
    return feeds


def _page(
    request: HttpRequest, form: FeedTokenForm, shown: FeedTokenResult | None = None
) -> HttpResponse:
    tokens = FeedToken.objects.filter(user=acting_user(request.user)).prefetch_related("rooms")
    return render(
        request,
        "frontend/staff/feeds.html",
        {"form": form, "tokens": tokens, "shown": shown, "public_feeds": _public_feeds()},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@feed_owner_required
def feeds(request: HttpRequest) -> HttpResponse:
    form = FeedTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = feed_token_create(
                user=acting_user(request.user),
                name=form.cleaned_data["name"],
                rooms=form.cleaned_data["rooms"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _page(request, FeedTokenForm(), shown=made)
    return _page(request, form)


def _own_token(request: HttpRequest, pk: int) -> FeedToken:
    # Someone else's token answers 404, as if it did not exist.
    return get_object_or_404(FeedToken, pk=pk, user=acting_user(request.user))


@never_cache
@require_POST
@feed_owner_required
def feed_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        made = feed_token_rotate(feed_token=_own_token(request, pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("frontend:staff-feeds"))
    return _page(request, FeedTokenForm(), shown=made)


@require_POST
@feed_owner_required
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    feed_token_revoke(feed_token=_own_token(request, pk))
    messages.success(request, _("The feed was revoked: its address no longer works."))
    return redirect(reverse("frontend:staff-feeds"))
