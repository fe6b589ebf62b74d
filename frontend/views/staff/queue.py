"""The request queue: pending requests by start, with what staff must notice."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bookings.selectors import booking_queue, queue_badges, renter_cancellations
from frontend.forms_staff import QueueFilterForm
from frontend.views.staff.access import booking_reader_required

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> QueueFilterForm:
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "requested"  # the queue's purpose: what waits for a decision
    return QueueFilterForm(data)


@require_safe
@booking_reader_required
def queue(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    filters = form.cleaned_data if form.is_valid() else {"status": "requested"}
    room = filters.get("room")
    rows = booking_queue(
        status=filters.get("status", ""),
        room_id=room.pk if room else None,
        first_day=filters.get("first_day"),
        last_day=filters.get("last_day"),
        search=filters.get("q", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    bookings = list(page.object_list)
    badges = queue_badges(bookings)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontend/staff/queue.html",
        {
            "form": form,
            "page": page,
            "rows": [(booking, badges[booking.pk]) for booking in bookings],
            "query": query.urlencode(),
            "renter_cancellations": list(renter_cancellations()),
        },
    )
