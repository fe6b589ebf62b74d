"""Public pages for renters: no account, nothing of other renters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bookings.models import Room


@require_safe
def room_list(request: HttpRequest) -> HttpResponse:
    rooms = Room.objects.filter(is_active=True, is_public=True).prefetch_related("photos")
    return render(request, "frontend/room_list.html", {"rooms": rooms})
