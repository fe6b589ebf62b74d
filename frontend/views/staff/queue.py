"""The request queue for triage: one row per request or per series (its dates inside),
with how long it has waited, what it would cost, who asks, what to notice, and, when
nothing clashes, the decision itself from the row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bookings.models import Booking, BookingStatus
from bookings.selectors import (
    QueueBadges,
    booking_queue,
    queue_badges,
    queue_keys,
    queue_page_bookings,
    renter_cancellations,
)
from frontend.forms_staff import QueueFilterForm
from frontend.series_words import series_in_words
from frontend.views.staff.access import StaffRequest, booking_reader_required
from frontend.views.staff.common import PriceEstimate, price_estimates_for

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueRow:
    first: Booking
    dates: list[tuple[Booking, QueueBadges]]
    badges: QueueBadges  # a series: what any of its dates shows
    series_words: str
    waiting_since: datetime
    estimate: PriceEstimate | None  # of one date, for requests with a renter
    decidable: bool  # every date waits and none clashes or competes

    @property
    def is_series(self) -> bool:
        return self.first.series_id is not None


def _filters(request: HttpRequest) -> QueueFilterForm:
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "requested"  # the queue's purpose: what waits for a decision
    return QueueFilterForm(data)


def _combined(badges: list[QueueBadges]) -> QueueBadges:
    return QueueBadges(
        clashes=any(b.clashes for b in badges),
        competing=sum(b.competing for b in badges),
        outside_hours=any(b.outside_hours for b in badges),
        over_capacity=any(b.over_capacity for b in badges),
        member=badges[0].member,
    )


def _row(
    dates: list[Booking], badges: dict[int, QueueBadges], estimates: dict[int, PriceEstimate]
) -> QueueRow:
    first = dates[0]
    row_badges = _combined([badges[item.pk] for item in dates])
    waiting = all(item.status == BookingStatus.REQUESTED for item in dates)
    has_renter = bool(first.organisation or first.email)
    return QueueRow(
        first=first,
        dates=[(item, badges[item.pk]) for item in dates],
        badges=row_badges,
        series_words=series_in_words(first.series.rrule, first.series.first_start)
        if first.series
        else "",
        waiting_since=min(item.created_at for item in dates),
        estimate=estimates.get(first.pk) if waiting and has_renter else None,
        decidable=waiting and not row_badges.clashes and not row_badges.competing,
    )


@require_safe
@booking_reader_required
def queue(request: StaffRequest) -> HttpResponse:
    form = _filters(request)
    filters = form.cleaned_data if form.is_valid() else {"status": "requested"}
    room = filters.get("room")
    matching = booking_queue(
        status=filters.get("status", ""),
        room_id=room.pk if room else None,
        first_day=filters.get("first_day"),
        last_day=filters.get("last_day"),
        search=filters.get("q", ""),
    )
    page = Paginator(queue_keys(matching), PAGE_SIZE).get_page(request.GET.get("page"))
    keys = list(page.object_list)
    by_key = queue_page_bookings(matching, keys)
    bookings = [booking for key in keys for booking in by_key[key]]
    badges = queue_badges(bookings)
    # One date of each row is priced: a series' dates cost alike.
    estimates = price_estimates_for([by_key[key][0] for key in keys if by_key[key]])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontend/staff/queue.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(by_key[key], badges, estimates) for key in keys if by_key[key]],
            "query": query.urlencode(),
            "renter_cancellations": list(renter_cancellations()),
            "can_edit": request.staff_can_edit,
        },
    )
