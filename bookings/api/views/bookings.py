"""Staff: the bookings list, staff-made bookings, moves and decisions."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api import serializers as api
from bookings.api.common import (
    BookingStaff,
    MomentFilter,
    ReadsBookings,
    clash_data,
    error_response,
    renamed_errors,
)
from bookings.api.views.base import CONFLICT, ERROR, REFUSALS
from bookings.api.views.requests import occurrence_data
from bookings.models import (
    Booking,
    BookingStatus,
    Room,
)
from bookings.services import (
    CONTACT_FIELDS,
    SeriesUnavailable,
    acting_user,
    booking_approve_rejecting_competitors,
    booking_cancel,
    booking_move,
    booking_reject,
    booking_series_approve,
    booking_series_cancel,
    booking_staff_create,
    booking_staff_series_create,
)


class BookingFilter(django_filters.FilterSet):
    room = django_filters.CharFilter(field_name="room__slug", help_text=_("Room slug."))
    status = django_filters.MultipleChoiceFilter(choices=BookingStatus.choices)
    # Bounded, so an absurd number is a 400 and never reaches the database driver.
    customer = django_filters.NumberFilter(
        field_name="customer_id", min_value=1, max_value=2**63 - 1, decimal_places=0
    )
    start = MomentFilter(
        field_name="end", lookup_expr="gt", help_text=_("Bookings that end after this time.")
    )
    end = MomentFilter(
        field_name="start", lookup_expr="lt", help_text=_("Bookings that start before this time.")
    )

    class Meta:
        model = Booking
        fields = ["room", "status", "customer", "start", "end"]


@extend_schema(tags=["bookings"])
class BookingListCreateView(generics.ListAPIView):
    """Bookings in every state; booking staff also book directly (approved at once)."""

    permission_classes = [ReadsBookings]
    serializer_class = api.BookingSerializer
    filterset_class = BookingFilter
    queryset = Booking.objects.select_related("room").order_by("start", "pk")

    @extend_schema(
        request=api.StaffBookingInputSerializer,
        responses={201: api.StaffBookingCreatedSerializer, 409: CONFLICT, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        incoming = api.StaffBookingInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        common = {
            "actor": acting_user(request.user),
            "room": room_by_slug(data["room"]),
            "start": data["start"],
            "end": data["end"],
            "title": data["title"],
            "attendees": data["attendees"],
            "renter": incoming.renter_details(),
            "override_reason": data.get("override_reason", ""),
            "message": data.get("message", ""),
            "extras": incoming.extras_list(),
        }
        try:
            if data.get("recurrence"):
                return self.create_series(common, data["recurrence"])
            booking = booking_staff_create(**common)
        except DjangoValidationError as error:
            # The renter's fields are nested in this API's input.
            raise renamed_errors(error, RENTER_ERROR_NAMES) from None
        return Response(api.BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    def create_series(self, common: dict[str, Any], recurrence_data: dict) -> Response:
        recurrence = api.RecurrenceSerializer(data=recurrence_data)
        recurrence.is_valid(raise_exception=True)
        try:
            result = booking_staff_series_create(
                **common,
                recurrence=recurrence.to_recurrence(),
                skip_unavailable=recurrence_data.get("skip_unavailable", False),
            )
        except SeriesUnavailable as unavailable:
            return error_response(
                "conflict",
                unavailable.message,
                status.HTTP_409_CONFLICT,
                clashes=[clash_data(clash, for_staff=True) for clash in unavailable.clashes],
                occurrences=[occurrence_data(item) for item in unavailable.occurrences],
            )
        body = dict(api.BookingSerializer(result.bookings[0]).data)
        body["series_id"] = result.series.pk
        body["occurrences"] = api.OccurrenceSerializer(
            [occurrence_data(item) for item in result.occurrences], many=True
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


RENTER_ERROR_NAMES = {name: f"renter.{name}" for name in (*CONTACT_FIELDS, "language")}


def room_by_slug(slug: str) -> Room:
    room = Room.objects.filter(slug=slug).first()
    if room is None:
        raise serializers.ValidationError({"room": [_("There is no such room.")]})
    return room


@extend_schema(tags=["bookings"])
class BookingDetailView(generics.RetrieveAPIView):
    permission_classes = [ReadsBookings]
    serializer_class = api.BookingSerializer
    queryset = Booking.objects.select_related("room")

    @extend_schema(
        request=api.BookingMoveSerializer,
        responses={200: api.BookingSerializer, 409: CONFLICT, **REFUSALS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Move or resize: a new room and/or time, re-checked for clashes."""
        booking = self.get_object()
        incoming = api.BookingMoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        moved = booking_move(
            booking=booking,
            actor=acting_user(request.user),
            room=room_by_slug(data["room"]) if "room" in data else None,
            start=data.get("start"),
            end=data.get("end"),
            reason=data.get("reason", ""),
            override_reason=data.get("override_reason", ""),
            expected_sequence=incoming.expected(),
        )
        return Response(api.BookingSerializer(moved).data)


class BookingActionView(APIView):
    permission_classes = [BookingStaff]

    def booking(self, pk: int) -> Booking:
        return get_object_or_404(Booking.objects.select_related("room"), pk=pk)


@extend_schema(
    tags=["bookings"],
    request=api.ApproveInputSerializer,
    responses={200: api.BookingSerializer(many=True), 409: CONFLICT, **REFUSALS},
)
class BookingApproveView(BookingActionView):
    """Approve a request (or every requested date of its series); a clash is a 409 naming
    the booking or closure it clashes with."""

    def post(self, request: Request, pk: int) -> Response:
        booking = self.booking(pk)
        incoming = api.ApproveInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data["whole_series"] and booking.series is not None:
            outcome = booking_series_approve(
                series=booking.series,
                actor=acting_user(request.user),
                message=data["message"],
                skip_conflicts=data["skip_conflicts"],
                seen=booking,
                expected_sequence=data.get("expected_sequence"),
            )
            approved = outcome.approved
        else:
            decision = booking_approve_rejecting_competitors(
                booking=booking,
                actor=acting_user(request.user),
                message=data["message"],
                expected_sequence=data.get("expected_sequence"),
                reject=list(Booking.objects.filter(pk__in=data["reject_competing"])),
                rejection_message=data["rejection_message"],
            )
            approved = [decision.approved]
        return Response(api.BookingSerializer(approved, many=True).data)


@extend_schema(
    tags=["bookings"],
    request=api.RejectInputSerializer,
    responses={200: api.BookingSerializer, 409: ERROR, **REFUSALS},
)
class BookingRejectView(BookingActionView):
    def post(self, request: Request, pk: int) -> Response:
        booking = self.booking(pk)
        incoming = api.RejectInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            rejected = booking_reject(
                booking=booking,
                actor=acting_user(request.user),
                message=data["reason"],
                expected_sequence=data.get("expected_sequence"),
            )
        except DjangoValidationError as error:
            raise renamed_errors(error, {"message": "reason"}) from None
        return Response(api.BookingSerializer(rejected).data)


@extend_schema(
    tags=["bookings"],
    request=api.CancelInputSerializer,
    responses={200: api.BookingSerializer(many=True), 409: ERROR, **REFUSALS},
)
class BookingCancelView(BookingActionView):
    def post(self, request: Request, pk: int) -> Response:
        booking = self.booking(pk)
        incoming = api.CancelInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        service = booking_series_cancel if data["following"] else booking_cancel
        done = service(
            booking=booking,
            actor=acting_user(request.user),
            reason=data["reason"],
            expected_sequence=data.get("expected_sequence"),
        )
        cancelled = done if isinstance(done, list) else [done]
        return Response(api.BookingSerializer(cancelled, many=True).data)
