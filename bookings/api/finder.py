"""The room finder in the API (SPEC §3.6): `GET rooms/?free_start=&free_end=&attendees=
&equipment=projector,screen` lists only the rooms that fit and can be requested for the
whole interval, smallest first. Parsing and bounds live here; `bookings.finder` decides."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from bookings.api.common import Moment
from bookings.finder import (
    EQUIPMENT_FIELDS,
    FITTING_ORDER,
    clash_alternatives,
    room_finder,
    rooms_that_fit,
)
from bookings.models import Room

FINDER_PARAMETERS = ("free_start", "free_end", "attendees", "equipment")
# A search is about one stay in a room: at most a day long, from now to five years ahead.
LONGEST = timedelta(days=1)
FURTHEST_AHEAD = timedelta(days=5 * 365)


class EquipmentCodesField(serializers.CharField):
    """Comma-separated equipment codes, the keys of a room's `equipment` object."""

    def to_internal_value(self, data: Any) -> list[str]:  # type: ignore[override]
        # A list of codes, not the text: DRF's CharField is typed to answer a str.
        text = super().to_internal_value(data)
        codes = sorted({code.strip() for code in text.split(",") if code.strip()})
        unknown = [code for code in codes if code not in EQUIPMENT_FIELDS]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown equipment: %(codes)s. Known: %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(EQUIPMENT_FIELDS)}
            )
        return codes


class RoomFinderQuerySerializer(serializers.Serializer):
    free_start = Moment(
        required=False,
        help_text=_("With free_end: only rooms that can be requested from this time."),
    )
    free_end = Moment(required=False, help_text=_("The end of that time."))
    attendees = serializers.IntegerField(
        required=False, min_value=1, max_value=10_000, help_text=_("Only rooms that take them.")
    )
    equipment = EquipmentCodesField(
        required=False,
        max_length=200,
        help_text=_("Comma-separated: only rooms with all of it (projector, screen, …)."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("free_start"), attrs.get("free_end")
        if (start is None) != (end is None):
            missing = "free_end" if end is None else "free_start"
            raise serializers.ValidationError({missing: [_("Give both free_start and free_end.")]})
        if start is not None and end is not None:
            _check_interval(start, end)
        return attrs


def _check_interval(start: datetime, end: datetime) -> None:
    now = timezone.now()
    if end <= start:
        raise serializers.ValidationError({"free_end": [_("The end must be after the start.")]})
    if end - start > LONGEST:
        raise serializers.ValidationError({"free_end": [_("Search at most one day at a time.")]})
    if start < now - LONGEST or end > now + FURTHEST_AHEAD:
        raise serializers.ValidationError(
            {"free_start": [_("Choose a time from today to five years ahead.")]}
        )


def finder_rooms(request: Request, rooms: QuerySet[Room]) -> QuerySet[Room] | list[Room]:
    """The rooms the query asks for, in the finder's order; all of them without a query.
    Raises a DRF ValidationError (400) for a bad query."""
    if not any(name in request.query_params for name in FINDER_PARAMETERS):
        return rooms
    given = request.query_params
    query = RoomFinderQuerySerializer(
        data={name: given[name] for name in FINDER_PARAMETERS if name in given}
    )
    query.is_valid(raise_exception=True)
    data = query.validated_data
    fits = {"attendees": data.get("attendees", 1), "equipment": data.get("equipment", [])}
    if "free_start" not in data:
        return rooms.filter(pk__in=rooms_that_fit(**fits)).order_by(*FITTING_ORDER)
    found = room_finder(start=data["free_start"], end=data["free_end"], **fits).free
    # The finder's own rows, with what the list shows of them (photos, parts) in bulk.
    prefetch_related_objects(found, *rooms._prefetch_related_lookups)  # type: ignore[attr-defined]
    return found


# --- Alternatives on a clash (the 409 of POST booking-requests/) ---------------------------


class TimeSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class AlternativesSerializer(serializers.Serializer):
    rooms = serializers.ListField(
        child=serializers.SlugField(),
        help_text=_("Other rooms that take the attendees and are free at the same time."),
    )
    times = TimeSerializer(
        many=True, help_text=_("Free times of the same length in the same room, in order.")
    )


def alternatives_data(*, room: Room, start: datetime, end: datetime, attendees: int) -> dict:
    offered = clash_alternatives(room=room, start=start, end=end, attendees=attendees)
    return {
        "rooms": [other.slug for other in offered.rooms],
        "times": [{"start": _iso(first), "end": _iso(last)} for first, last in offered.times],
    }


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat()
