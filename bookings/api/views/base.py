"""What the booking API's views share: the refusals they document, the public write throttle,
the rooms a requester may see and how moments are written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from bookings.api import serializers as api
from bookings.api.finder import AlternativesSerializer
from bookings.models import (
    HouseRules,
    Room,
)
from bookings.permissions import is_booking_staff
from bookings.schedule import HELSINKI, Rules, rules_for
from bookings.selectors import public_rooms
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
        "alternatives": AlternativesSerializer(
            required=False, help_text=_("A single request's clash: what is free instead.")
        ),
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


def iso(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).isoformat()
