"""Staff: closures of rooms or the whole house."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q, QuerySet
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
)
from bookings.api.views.base import CONFLICT, ERROR, REFUSALS
from bookings.models import (
    Closure,
    Room,
)
from bookings.services import (
    acting_user,
    closure_create,
    closure_create_cancelling,
    closure_remove,
)


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
