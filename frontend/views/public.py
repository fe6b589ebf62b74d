"""Public pages for renters: no account, nothing of other renters (SPEC §1, §2.10, §3.3)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bookings.errors import BookingConflict, Clash
from bookings.feeds import room_feed_url, webcal_url
from bookings.finder import clash_alternatives
from bookings.models import HouseRules, Room
from bookings.schedule import HELSINKI, local, rules_for
from bookings.selectors import next_free_slot, public_rooms
from bookings.services import SeriesUnavailable, booking_request_problems
from bookings.validators import within_years, years_message
from frontend.forms_public import SERVICE_FIELDS, BookingRequestForm, EstimateForm
from frontend.price_words import price_words
from frontend.views.public_grid import (
    LABELS,
    TIME_TEXTS,
    day_by_day,
    time_state,
    week_grid,
    week_start,
)
from frontend.views.public_starts import start_times
from heideken.clients import client_address
from invoicing.models import CustomerGroup, RoomPrice
from invoicing.quotes import quote
from invoicing.vat import EXEMPTION_TEXT, VatCode

logger = logging.getLogger(__name__)

MEMBER_NOTE = gettext_lazy("Member price: provisional until booking staff confirm the membership.")


def _room(slug: str) -> Room:
    return get_object_or_404(public_rooms(), slug=slug)


def _prices_today(rooms: list[Room]) -> dict[int, dict[str, RoomPrice]]:
    """Each room's price in each customer group's list valid today (one query)."""
    today = timezone.localdate()
    rows = (
        RoomPrice.objects.valid_on(today)
        .filter(room__in=rooms)
        .select_related("price_list")
        .order_by("price_list__valid_from")
    )
    prices: dict[int, dict[str, RoomPrice]] = {}
    for row in rows:  # later lists overwrite earlier ones
        prices.setdefault(row.room_id, {})[row.price_list.customer_group] = row
    return prices


def _price_rows(prices: dict[str, RoomPrice]) -> list[dict[str, Any]]:
    labels = {CustomerGroup.EXTERNAL: _("Price"), CustomerGroup.MEMBER: _("Member price")}
    return [
        {"label": labels[group], "price": prices[group], "vat_note": _vat_note(prices[group])}
        for group in (CustomerGroup.EXTERNAL, CustomerGroup.MEMBER)
        if group in prices
    ]


def _vat_note(price: RoomPrice) -> str:
    # An exempt price is shown with its legal ground, never as "0 %" (SPEC §2.6).
    return str(EXEMPTION_TEXT) if price.vat_code == VatCode.EXEMPT else _("without VAT")


def with_prices(rooms: list[Room]) -> list[Room]:
    prices = _prices_today(rooms)
    for room in rooms:
        # For the templates only: the model does not declare this attribute.
        room.__dict__["price_rows"] = _price_rows(prices.get(room.pk, {}))
    return rooms


def _week_from(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return week_start(timezone.localdate())
    if not within_years(day):
        raise BadRequest(years_message())  # a far year would overflow the week's dates
    return week_start(day)


@require_safe
def room_detail(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room(slug)
    with_prices([room])
    monday = _week_from(request)
    rows = week_grid(room, monday)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    feed_url = room_feed_url(room.slug, get_language())
    context = {
        **start_times(request, room, days),
        "room": room,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": days,
        "rows": rows,
        "week_days": day_by_day(rows),
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "legend": LABELS,
        "feed_url": feed_url,
    }
    context["feed_webcal_url"] = webcal_url(feed_url)
    return render(request, "frontend/public/room_detail.html", context)


# --- The request form ---------------------------------------------------------------------


def rate_limited(request: HttpRequest) -> bool:
    """Per-address count of form posts in a fixed window, kept in the shared cache; the
    address is the one heideken.clients vouches for, so behind the TLS proxy each person
    is counted alone.

    `RENTER_FORM_RATE_LIMIT` = (posts, seconds); default 20 posts an hour."""
    limit, window = getattr(settings, "RENTER_FORM_RATE_LIMIT", (20, 3600))
    key = f"renter-form-posts:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def _initial(request: HttpRequest) -> dict[str, Any]:
    """A free cell of the week grid links here with its date and time."""
    initial: dict[str, Any] = {"repeat": "", "interval_weeks": 1}
    fields = (("date", "date"), ("start_time", "start"), ("end_time", "end"))
    for name, query in (*fields, ("attendees", "attendees")):
        if request.GET.get(query):
            initial[name] = request.GET[query][:10]
    if "start_time" in initial and "end_time" not in initial:
        try:
            start = datetime.strptime(initial["start_time"], "%H:%M")  # noqa: DTZ007 (a clock)
            initial["end_time"] = (start + timedelta(hours=2)).strftime("%H:%M")
        except ValueError:
            pass
    return initial


def _clash_context(
    room: Room,
    form: BookingRequestForm,
    conflict: BookingConflict,
    attendees: int | None = None,
    times: tuple[datetime, datetime] | None = None,
) -> dict:
    start, end = times or form.times()
    attendees = attendees or form.cleaned_data.get("attendees") or 1
    suggestion = next_free_slot(room=room, start=start, end=end)
    offered = clash_alternatives(room=room, start=start, end=end, attendees=attendees)
    return {
        "clashes": [_clash_times(clash) for clash in conflict.clashes],
        "suggestion": suggestion and (local(suggestion[0]), local(suggestion[1])),
        "alternative_rooms": offered.rooms,
        "alternative_times": [(local(first), local(last)) for first, last in offered.times],
        "attendees": attendees,
        "asked": (local(start), local(end)),
    }


def _clash_times(clash: Clash) -> dict[str, Any]:
    return {"start": local(clash.start), "end": local(clash.end), "label": LABELS_OF[clash.status]}


LABELS_OF = {"approved": LABELS["reserved"], "closed": LABELS["closed"]}


def _form_context(room: Room, form: BookingRequestForm, **extra: Any) -> dict[str, Any]:
    rules = rules_for(room, HouseRules.load())
    with_prices([room])
    return {
        "room": room,
        "form": form,
        "slot_minutes": int(rules.slot.total_seconds() // 60),
        "setup_minutes": int(rules.setup_buffer.total_seconds() // 60),
        "cleanup_minutes": int(rules.cleanup_buffer.total_seconds() // 60),
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room(slug)
    language = get_language() or settings.LANGUAGE_CODE
    if request.method != "POST":
        form = BookingRequestForm(initial=_initial(request), room=room, language=language)
        return render(request, "frontend/public/request_form.html", _form_context(room, form))
    if rate_limited(request):
        return render(request, "frontend/public/rate_limited.html", {"room": room}, status=429)
    form = BookingRequestForm(request.POST, room=room, language=language)
    if "preview" in request.POST:
        return _preview(request, room, form)
    if form.is_spam:
        logger.info("honeypot filled on the request form; nothing stored")
        return render(request, "frontend/public/request_sent.html", {"room": room})
    return _request_submit(request, room, form)


def _request_submit(request: HttpRequest, room: Room, form: BookingRequestForm) -> HttpResponse:
    extra: dict[str, Any] = {}
    valid = form.is_valid()
    typed = dict(form.cleaned_data)  # what could be read, before refusals take fields out
    if valid:
        try:
            result = form.submit()
        except SeriesUnavailable as unavailable:
            extra["occurrences"] = [_occurrence(item) for item in unavailable.occurrences]
            form.add_error("repeat", unavailable.message)
        except BookingConflict as conflict:
            extra.update(_clash_context(room, form, conflict))
            form.add_error("start_time", conflict.message)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("frontend:request-sent", token=result.status_token)
    if "clashes" not in extra and "occurrences" not in extra:
        _one_pass(room, form, typed, extra)
    form.mark_invalid_fields()
    context = _form_context(room, form, **extra)
    return render(request, "frontend/public/request_form.html", context, status=400)


def _one_pass(
    room: Room, form: BookingRequestForm, data: dict[str, Any], extra: dict[str, Any]
) -> None:
    """Every problem at once (issue 14): what the service would still refuse in the
    fields that could be read, and the clash with its alternatives, beside the form's own
    errors, so the renter never fixes the form in rounds."""
    times: tuple[datetime, datetime] | tuple[None, None] = (None, None)
    if all(data.get(name) for name in form.TIME_FIELDS):
        times = form.times_of(data)
    problems = booking_request_problems(
        room=room,
        start=times[0],
        end=times[1],
        attendees=data.get("attendees"),
        business_id=data.get("business_id", ""),
        accept_terms=bool(data.get("accept_terms")),
        renter=form.renter_of(data),
    )
    for name, messages in problems.errors.items():
        field = SERVICE_FIELDS.get(name, name)
        if field in form.fields and field not in form.errors:
            for message in messages:
                form.add_error(field, message)
    if problems.clashes and times[0] is not None and times[1] is not None:
        conflict = BookingConflict(problems.clashes)
        extra.update(_clash_context(room, form, conflict, data.get("attendees"), times))
        if "start_time" not in form.errors:
            form.add_error("start_time", conflict.message)


def _preview(request: HttpRequest, room: Room, form: BookingRequestForm) -> HttpResponse:
    """Without JavaScript: the chosen time's availability and price, nothing written.
    The form is shown again unbound-looking (no errors), with what was typed."""
    check = EstimateForm(request.POST)
    preview: dict[str, str] = {}
    if check.is_valid():
        start, end = _estimate_times(check.cleaned_data)
        if end > start:
            state = time_state(room, start, end)
            preview["state"] = state
            preview["availability"] = str(TIME_TEXTS[state])
        body = _estimate(room, check.cleaned_data, _extras_from(request.POST))
        preview["estimate"] = body.get("text") or body.get("error", "")
        preview["member_note"] = body.get("member_note", "")
    else:
        preview["estimate"] = _("Choose a date and a time.")
    form = BookingRequestForm(initial=request.POST.dict(), room=room, language=form.language)
    context = _form_context(room, form, preview=preview)
    return render(request, "frontend/public/request_form.html", context)


def _occurrence(result: Any) -> dict[str, Any]:
    return {
        "start": local(result.start),
        "end": local(result.end),
        "free": not (result.clashes or result.problems),
        "clashes": [_clash_times(clash) for clash in result.clashes],
        "problems": result.problems,
    }


# --- The price estimate (JSON for the form's script) -------------------------------------


@require_safe
def estimate(request: HttpRequest, slug: str) -> JsonResponse:
    """The price of a room and time before sending, from invoicing's quote."""
    room = _room(slug)
    form = EstimateForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": _("Choose a date and a time.")}, status=400)
    body = _estimate(room, form.cleaned_data, _extras_from(request.GET))
    return JsonResponse(body, status=400 if "error" in body else 200)


def _estimate_times(data: dict[str, Any]) -> tuple[datetime, datetime]:
    return (
        datetime.combine(data["date"], data["start_time"], tzinfo=HELSINKI),
        datetime.combine(data["date"], data["end_time"], tzinfo=HELSINKI),
    )


def _estimate(room: Room, data: dict[str, Any], extras: list[dict[str, Any]]) -> dict[str, Any]:
    start, end = _estimate_times(data)
    try:
        priced = quote(
            room=room,
            start=start,
            end=end,
            extras=extras,
            business_id=data["business_id"],
            attendees=data.get("attendees"),
        )
    except ValidationError as error:
        return {"error": " ".join(error.messages)}
    return _estimate_body(priced)


def _extras_from(query: Any) -> list[dict[str, Any]]:
    extras = []
    for key, value in query.items():
        if (
            key.startswith("extra_")
            and value.isascii()
            and value.isdigit()
            and 0 < int(value) <= 10_000
        ):
            extras.append({"code": key[6:46], "quantity": int(value)})
    return extras[:20]


def _estimate_body(priced: Any) -> dict[str, Any]:
    language = get_language() or settings.LANGUAGE_CODE
    gross = f"{priced.gross:.2f}".replace(".", "," if language != "en" else ".")
    words = price_words(priced)
    text = _("Estimate: %(amount)s €") % {"amount": gross}
    if words:
        text = f"{text} ({words})"
    return {
        "gross": str(priced.gross),
        "net": str(priced.net),
        "vat": str(priced.vat),
        "customer_group": priced.customer_group,
        "lines": [
            {"description": line.description(language), "gross": str(line.gross)}
            for line in priced.lines
        ],
        "text": text,
        # A member price holds once staff confirm the membership (SPEC §2.6).
        "member_note": str(MEMBER_NOTE) if priced.customer_group == CustomerGroup.MEMBER else "",
    }


# --- Terms and privacy --------------------------------------------------------------------


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/public/terms.html", {"language": _language()})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/public/privacy.html", {"language": _language()})


def _language() -> str:
    language = (get_language() or "fi")[:2]
    return language if language in ("fi", "sv", "en") else "fi"
