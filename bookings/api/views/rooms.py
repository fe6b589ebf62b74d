"""Public rooms and their availability."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from bookings.api import serializers as api
from bookings.api.common import Public
from bookings.api.finder import RoomFinderQuerySerializer, finder_rooms
from bookings.api.views.base import REFUSALS, RulesContextMixin, iso, visible_rooms
from bookings.availability import schedule_stamp
from bookings.memo import Memo
from bookings.models import (
    Room,
    RoomPhoto,
)
from bookings.permissions import is_booking_staff
from bookings.schedule import HELSINKI
from bookings.selectors import Availability, room_availability


def rooms_for(request: Request) -> QuerySet[Room]:
    return visible_rooms(request).prefetch_related(
        Prefetch("photos", queryset=RoomPhoto.objects.order_by("sort_order", "pk")),
        Prefetch("parts", queryset=Room.objects.only("pk", "slug")),
    )


class RoomViewMixin(RulesContextMixin, generics.GenericAPIView):
    permission_classes = [Public]
    filter_backends = []

    def get_queryset(self) -> QuerySet[Room]:
        return rooms_for(self.request)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return (
            api.StaffRoomSerializer if is_booking_staff(self.request.user) else api.RoomSerializer
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **self.rules_context()}


@extend_schema(
    tags=["rooms"],
    parameters=[RoomFinderQuerySerializer],
    responses={200: api.StaffRoomSerializer(many=True), **REFUSALS},
)
class RoomListView(RoomViewMixin, generics.ListAPIView):
    """Rooms that the public may request; booking staff see every room with its settings.
    With the finder's parameters, only the rooms that fit and can be requested for that
    whole time, smallest first."""

    def get_queryset(self) -> QuerySet[Room] | list[Room]:  # type: ignore[override]
        return finder_rooms(self.request, super().get_queryset())


@extend_schema(tags=["rooms"], responses={200: api.StaffRoomSerializer, **REFUSALS})
class RoomDetailView(RoomViewMixin, generics.RetrieveAPIView):
    """One room; booking staff also see rooms that are not public."""

    lookup_field = "slug"


@extend_schema(
    tags=["rooms"],
    parameters=[api.AvailabilityQuerySerializer],
    responses={200: api.AvailabilitySerializer, **REFUSALS},
)
class AvailabilityView(APIView):
    """Open and busy times of a room per day, parts and combinations included; no personal
    data. Busy times include the setup and cleanup buffers."""

    permission_classes = [Public]

    def get(self, request: Request, slug: str) -> HttpResponse:
        stamp = schedule_stamp(slug=slug)
        if stamp is None or not (stamp.public or is_booking_staff(request.user)):
            raise Http404
        query = api.AvailabilityQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["start"], query.validated_data["end"]
        # The hottest read of the API: an answer is computed once per schedule stamp and
        # served from the memo until anything it is made of changes.
        key = (stamp, first, last)
        body = _availability_answers.get(key)
        if body is None:
            result = room_availability(room=stamp.room(), first_day=first, last_day=last)
            body = _availability_answers.put(key, JSONRenderer().render(availability_data(result)))
        return HttpResponse(body, content_type="application/json")


_availability_answers: Memo[bytes] = Memo(seconds=60, size=500)


def availability_data(result: Availability) -> dict[str, Any]:
    # Written out directly: a serializer per interval costs more than the query behind it.
    return {
        "room": result.room.slug,
        "timezone": str(HELSINKI),
        "open": [{"start": iso(start), "end": iso(end)} for start, end in result.open],
        "busy": [
            {"start": iso(busy.start), "end": iso(busy.end), "status": busy.status}
            for busy in result.busy
        ],
    }
