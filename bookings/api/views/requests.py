"""Public booking requests: a renter asks, looks at and cancels with the status token."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api import serializers as api
from bookings.api.common import (
    Public,
    clash_data,
    conflict_response,
    error_response,
)
from bookings.api.finder import alternatives_data
from bookings.api.views.base import (
    CONFLICT,
    ERROR,
    REFUSALS,
    PublicWriteThrottle,
    status_url,
)
from bookings.errors import BookingConflict
from bookings.models import (
    Booking,
    Room,
)
from bookings.permissions import is_booking_staff
from bookings.services import (
    OccurrenceResult,
    SeriesUnavailable,
    booking_renter_cancel,
    booking_request_create,
    booking_series_request_create,
    status_token_hash,
)


def occurrence_data(result: OccurrenceResult) -> dict[str, Any]:
    return {
        "start": result.start,
        "end": result.end,
        "free": result.free,
        "booking_id": result.booking.pk if result.booking else None,
        "clashes": [clash_data(clash, for_staff=False) for clash in result.clashes],
        "problems": list(result.problems),
    }


@extend_schema(
    tags=["booking requests"],
    request=api.BookingRequestInputSerializer,
    responses={
        201: api.BookingRequestCreatedSerializer,
        409: OpenApiResponse(CONFLICT, description="The time is taken; the clashes are listed."),
        429: OpenApiResponse(ERROR, description="Too many requests from this address."),
        **REFUSALS,
    },
)
class BookingRequestCreateView(APIView):
    """Send a booking request, single or recurring. The answer carries the renter's secret
    status link; the link is the only way back to the request."""

    permission_classes = [Public]
    throttle_classes = [PublicWriteThrottle]

    def post(self, request: Request) -> Response:
        incoming = api.BookingRequestInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        room = Room.objects.filter(slug=data["room"]).first()
        if room is None:
            return error_response(
                "invalid",
                _("Check the highlighted fields."),
                status.HTTP_400_BAD_REQUEST,
                errors={"room": [str(_("There is no such room."))]},
            )
        common = {
            "room": room,
            "start": data["start"],
            "end": data["end"],
            "title": data["title"],
            "attendees": data["attendees"],
            "renter": incoming.renter(),
            "accept_terms": data["accept_terms"],
            "extras": incoming.extras_list(),
            "message": data.get("message", ""),
        }
        if data.get("recurrence"):
            return self.create_series(common, data["recurrence"])
        try:
            result = booking_request_create(**common)
        except BookingConflict as conflict:
            # What to offer instead (SPEC §3.6): other rooms, and other times of this room.
            offered = alternatives_data(
                room=room, start=data["start"], end=data["end"], attendees=data["attendees"]
            )
            return conflict_response(
                conflict, for_staff=is_booking_staff(request.user), alternatives=offered
            )
        body = {
            "id": result.booking.pk,
            "status": result.booking.status,
            "status_url": status_url(result.status_token),
        }
        return Response(body, status=status.HTTP_201_CREATED)

    def create_series(self, common: dict[str, Any], recurrence_data: dict) -> Response:
        recurrence = api.RecurrenceSerializer(data=recurrence_data)
        recurrence.is_valid(raise_exception=True)
        try:
            result = booking_series_request_create(
                **common,
                recurrence=recurrence.to_recurrence(),
                skip_unavailable=recurrence_data.get("skip_unavailable", False),
            )
        except SeriesUnavailable as unavailable:
            return error_response(
                "conflict",
                unavailable.message,
                status.HTTP_409_CONFLICT,
                clashes=[clash_data(clash, for_staff=False) for clash in unavailable.clashes],
                occurrences=[occurrence_data(item) for item in unavailable.occurrences],
            )
        first = result.bookings[0]
        body = {
            "id": first.pk,
            "status": first.status,
            "status_url": status_url(result.status_token),
            "series_id": result.series.pk,
            "occurrences": [occurrence_data(item) for item in result.occurrences],
        }
        return Response(api.BookingRequestCreatedSerializer(body).data, status=201)


def renter_bookings(token: str) -> QuerySet[Booking]:
    return Booking.objects.filter(status_token_hash=status_token_hash(token)).select_related("room")


@extend_schema(
    tags=["booking requests"], responses={200: api.RenterBookingSerializer(many=True), **REFUSALS}
)
class RenterRequestView(APIView):
    """The renter's own request (every date of a series), found by the secret status token."""

    permission_classes = [Public]

    def get(self, request: Request, token: str) -> Response:
        bookings = list(renter_bookings(token).order_by("start"))
        if not bookings:
            return error_response("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
        return Response(api.RenterBookingSerializer(bookings, many=True).data)


@extend_schema(
    tags=["booking requests"],
    request=api.ReasonSerializer,
    responses={
        200: api.RenterBookingSerializer(many=True),
        409: OpenApiResponse(
            ERROR,
            description="Nothing left to cancel: `started` when the dates left have started "
            "or are over, `state_conflict` when they are already decided.",
        ),
        **REFUSALS,
    },
)
class RenterCancelView(APIView):
    """The renter withdraws the request or cancels the booking: every active date that has
    not started. A date that has started or is over is kept (it was used)."""

    permission_classes = [Public]
    throttle_classes = [PublicWriteThrottle]

    def post(self, request: Request, token: str) -> Response:
        incoming = api.ReasonSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if not renter_bookings(token).exists():
            return error_response("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
        # Every date not started, in one transaction: one e-mail, like the status page.
        booking_renter_cancel(status_token=token, reason=incoming.validated_data["reason"])
        bookings = list(renter_bookings(token).order_by("start"))
        return Response(api.RenterBookingSerializer(bookings, many=True).data)
