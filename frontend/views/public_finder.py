"""The front page: every public room, or with a search the room finder's answer (SPEC
§2.12, §3.3): the rooms free for the whole time first, smallest first, each with its price
for that time; then the ones that fit but are busy, with their next free time."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bookings.finder import FinderResult, room_finder
from bookings.models import Room, RoomPhoto
from bookings.schedule import local
from bookings.selectors import public_rooms
from frontend.forms_finder import FINDER_PARAMETERS, RoomFinderForm
from frontend.price_words import price_words
from frontend.views.public import with_prices
from invoicing.quotes import Quote, room_quotes


@require_safe
def room_list(request: HttpRequest) -> HttpResponse:
    if not any(name in request.GET for name in FINDER_PARAMETERS):
        return _every_room(request)
    form = RoomFinderForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "searched": True}
        return render(request, "frontend/public/room_list.html", context, status=400)
    start, end = form.times()
    found = room_finder(
        start=start,
        end=end,
        attendees=form.cleaned_data["attendees"],
        equipment=form.cleaned_data["equipment"],
        with_photos=True,
    )
    context = {"form": form, "searched": True, **_finder_context(found, form)}
    return render(request, "frontend/public/room_list.html", context)


def _every_room(request: HttpRequest) -> HttpResponse:
    rooms = with_prices(
        list(
            public_rooms().prefetch_related(
                Prefetch("photos", queryset=RoomPhoto.objects.order_by("sort_order", "pk"))
            )
        )
    )
    # The VAT words are the same on most cards: said once above them when they are.
    notes = {row["vat_note"] for room in rooms for row in room.__dict__["price_rows"]}
    context = {
        "form": RoomFinderForm(),
        "rooms": rooms,
        "vat_note_once": notes.pop() if len(notes) == 1 else "",
    }
    return render(request, "frontend/public/room_list.html", context)


def _finder_context(found: FinderResult, form: RoomFinderForm) -> dict[str, Any]:
    quotes = room_quotes(rooms=found.free, start=found.start, end=found.end)
    attendees = form.cleaned_data["attendees"]
    free = [_free_room(room, quotes.get(room.pk), found, attendees) for room in found.free]
    busy = [
        {
            "room": entry.room,
            "next_free": entry.next_free and (local(entry.next_free[0]), local(entry.next_free[1])),
        }
        for entry in found.busy
    ]
    return {"free": free, "busy": busy, "start": local(found.start), "end": local(found.end)}


def _free_room(room: Room, quote: Quote | None, found: FinderResult, attendees: int) -> dict:
    return {
        "room": room,
        "price": quote and quote.gross,
        "price_words": quote and price_words(quote),
        "attendees": attendees,
    }
