"""The booking API (SPEC §3.4): one small view per operation, each declaring who may use it.
Views parse input and call a service or a selector; the rules live there."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from bookings.api import serializers as api
from bookings.api.common import (
    BookingStaff,
    MomentFilter,
    Public,
    ReadsBookings,
    clash_data,
    error_response,
    renamed_errors,
)
from bookings.availability import schedule_stamp
from bookings.memo import Memo
from bookings.models import (
    Booking,
    BookingStatus,
    Closure,
    Customer,
    HouseRules,
    Room,
    RoomPhoto,
)
from bookings.permissions import is_booking_staff
from bookings.schedule import HELSINKI, Rules, rules_for
from bookings.selectors import Availability, public_rooms, room_availability
from bookings.services import (
    CONTACT_FIELDS,
    OccurrenceResult,
    SeriesUnavailable,
    acting_user,
    booking_approve_rejecting_competitors,
    booking_cancel,
    booking_move,
    booking_reject,
    booking_renter_cancel,
    booking_request_create,
    booking_series_approve,
    booking_series_cancel,
    booking_series_request_create,
    booking_staff_create,
    booking_staff_series_create,
    closure_create,
    closure_create_cancelling,
    closure_remove,
    status_token_hash,
)
from heideken.clients import client_address

ERROR = inline_serializer(
    "Error",
    {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)
CONFLICT = inline_serializer(
    "Conflict",
    {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        # A clash lists what it clashes with; a decision taken by someone else first
        # (state_conflict, stale) carries the booking's current status instead.
        "clashes": serializers.ListField(child=serializers.DictField(), required=False),
        "current_status": serializers.CharField(required=False),
        "occurrences": api.OccurrenceSerializer(many=True, required=False),
    },
)
REFUSALS = {
    400: OpenApiResponse(ERROR, description="Invalid input, with per-field errors."),
    401: OpenApiResponse(ERROR, description="Not signed in."),
    403: OpenApiResponse(ERROR, description="Not allowed for this role."),
    404: OpenApiResponse(ERROR, description="Not found."),
}


class PublicWriteThrottle(AnonRateThrottle):
    """Per-IP limit on anonymous writes so a script cannot flood the request queue.

    Counted by heideken.clients (never by a header the client chose) in the shared cache,
    so every worker and machine counts the same address together."""

    scope = "public_write"

    def get_ident(self, request: Request) -> str:
        return client_address(request)


def status_url(token: str) -> str:
    return f"{settings.SITE_URL}/request/{token}/"


class RulesContextMixin:
    """Rooms' effective rules with the house defaults read once per request."""

    def rules_context(self) -> dict[str, Any]:
        house = HouseRules.load()
        cache: dict[int, Rules] = {}

        def rules(room: Room) -> Rules:
            if room.pk not in cache:
                cache[room.pk] = rules_for(room, house)
            return cache[room.pk]

        return {"rules_for": rules}


def visible_rooms(request: Request) -> QuerySet[Room]:
    """Every room for booking staff; for everyone else the active public ones."""
    return Room.objects.all() if is_booking_staff(request.user) else public_rooms()


def rooms_for(request: Request) -> QuerySet[Room]:
    return visible_rooms(request).prefetch_related(
        Prefetch("photos", queryset=RoomPhoto.objects.order_by("sort_order", "pk")),
        Prefetch("parts", queryset=Room.objects.only("pk", "slug")),
    )


# --- Public: rooms and availability -------------------------------------------------------


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


@extend_schema(tags=["rooms"], responses={200: api.StaffRoomSerializer(many=True), **REFUSALS})
class RoomListView(RoomViewMixin, generics.ListAPIView):
    """Rooms that the public may request; booking staff see every room with its settings."""


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


def iso(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).isoformat()


# --- Public: booking requests -------------------------------------------------------------


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
        result = booking_request_create(**common)
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


# --- Staff: bookings ----------------------------------------------------------------------


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


# --- Staff: closures and customers --------------------------------------------------------


class ClosureFilter(django_filters.FilterSet):
    room = django_filters.CharFilter(method="filter_room", help_text=_("Room slug."))
    start = MomentFilter(field_name="end", lookup_expr="gt")
    end = MomentFilter(field_name="start", lookup_expr="lt")
    removed = django_filters.BooleanFilter(
        field_name="removed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Closure
        fields = ["room", "start", "end", "removed"]

    def filter_room(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(rooms__slug=value) | Q(whole_house=True)).distinct()


@extend_schema(tags=["closures"])
class ClosureListCreateView(generics.ListAPIView):
    """Closures of rooms or of the whole house; they block like approved bookings."""

    permission_classes = [BookingStaff]
    serializer_class = api.ClosureSerializer
    filterset_class = ClosureFilter
    queryset = Closure.objects.prefetch_related(
        Prefetch("rooms", queryset=Room.objects.only("pk", "slug"))
    ).order_by("start", "pk")

    @extend_schema(
        request=api.ClosureInputSerializer,
        responses={201: api.ClosureCreatedSerializer, 409: CONFLICT, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        incoming = api.ClosureInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        slugs = set(data.get("rooms", []))
        rooms = list(Room.objects.filter(slug__in=slugs))
        if len(rooms) != len(slugs):
            raise serializers.ValidationError({"rooms": [_("There is no such room.")]})
        common = {
            "actor": acting_user(request.user),
            "start": data["start"],
            "end": data["end"],
            "reason": data["reason"],
            "rooms": rooms,
            "whole_house": data["whole_house"],
            "note": data["note"],
        }
        cancelled: list[int] = []
        if data["cancel_clashing"]:
            emergency = closure_create_cancelling(**common)
            closure, cancelled = emergency.closure, [b.pk for b in emergency.cancelled]
        else:
            closure = closure_create(**common)
        body = {**api.ClosureSerializer(closure).data, "cancelled_bookings": cancelled}
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["closures"])
class ClosureDetailView(generics.RetrieveAPIView):
    permission_classes = [BookingStaff]
    serializer_class = api.ClosureSerializer
    queryset = ClosureListCreateView.queryset


@extend_schema(
    tags=["closures"],
    request=api.ReasonSerializer,
    responses={200: api.ClosureSerializer, 409: ERROR, **REFUSALS},
)
class ClosureRemoveView(APIView):
    """Lift a closure; it stays in the history."""

    permission_classes = [BookingStaff]

    def post(self, request: Request, pk: int) -> Response:
        closure = get_object_or_404(Closure, pk=pk)
        incoming = api.ReasonSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        removed = closure_remove(
            closure=closure,
            actor=acting_user(request.user),
            reason=incoming.validated_data["reason"],
        )
        return Response(api.ClosureSerializer(removed).data)


class CustomerFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text=_("Name or e-mail."))

    class Meta:
        model = Customer
        fields = ["search", "business_id"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(organisation__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(email__icontains=value)
        )


@extend_schema(tags=["customers"])
class CustomerListView(generics.ListAPIView):
    permission_classes = [ReadsBookings]
    serializer_class = api.CustomerSerializer
    filterset_class = CustomerFilter
    queryset = Customer.objects.order_by("organisation", "pk")


@extend_schema(tags=["customers"])
class CustomerDetailView(generics.RetrieveAPIView):
    permission_classes = [ReadsBookings]
    serializer_class = api.CustomerSerializer
    queryset = Customer.objects.all()
