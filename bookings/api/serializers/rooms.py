"""Rooms, their rules and availability, as the API shows them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.api.common import Day, Moment, StrictSerializer
from bookings.models import (
    OccupancyKind,
    Room,
)
from bookings.schedule import Rules


class EquipmentSerializer(serializers.Serializer):
    projector = serializers.BooleanField(source="has_projector")
    screen = serializers.BooleanField(source="has_screen")
    hybrid_meeting_kit = serializers.BooleanField(source="has_hybrid_kit")
    kitchen = serializers.BooleanField(source="has_kitchen")


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    alt = serializers.CharField()

    def get_url(self, photo: Any) -> str:
        return f"{settings.SITE_URL}{photo.image.url}"


class RulesSerializer(serializers.Serializer):
    slot_minutes = serializers.SerializerMethodField()
    min_duration_minutes = serializers.SerializerMethodField()
    max_duration_minutes = serializers.SerializerMethodField()
    min_notice_hours = serializers.SerializerMethodField()
    horizon_days = serializers.SerializerMethodField()

    def get_slot_minutes(self, rules: Rules) -> int:
        return int(rules.slot.total_seconds() // 60)

    def get_min_duration_minutes(self, rules: Rules) -> int:
        return int(rules.min_duration.total_seconds() // 60)

    def get_max_duration_minutes(self, rules: Rules) -> int:
        return int(rules.max_duration.total_seconds() // 60)

    def get_min_notice_hours(self, rules: Rules) -> int:
        return int(rules.min_notice.total_seconds() // 3600)

    def get_horizon_days(self, rules: Rules) -> int:
        return rules.horizon.days


class RoomSerializer(serializers.Serializer):
    """What anyone may see of a room."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    accessibility = serializers.CharField()
    capacity = serializers.IntegerField()
    floor_area = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    equipment = EquipmentSerializer(source="*")
    photos = PhotoSerializer(many=True)
    parts = serializers.SerializerMethodField(help_text=_("The rooms a combined room is made of."))
    rules = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_parts(self, room: Room) -> list[str]:
        return [part.slug for part in room.parts.all()]

    @extend_schema_field(RulesSerializer)
    def get_rules(self, room: Room) -> dict:
        return rules_data(self.context["rules_for"](room))

    def to_representation(self, instance: Room) -> dict[str, Any]:
        """The declared fields' answer, written out: DRF's field-by-field walk (a nested
        serializer per room for its equipment, photos and rules) was most of a 20-room
        finder answer. The declared fields stay for the schema; tests/api compare both."""
        room = instance
        floor_area = room.floor_area
        return {
            "slug": room.slug,
            "name": str(room.name),
            "description": str(room.description),
            "accessibility": str(room.accessibility),
            "capacity": int(room.capacity),
            "floor_area": None if floor_area is None else f"{floor_area:.1f}",
            "equipment": {
                "projector": room.has_projector,
                "screen": room.has_screen,
                "hybrid_meeting_kit": room.has_hybrid_kit,
                "kitchen": room.has_kitchen,
            },
            "photos": [
                {"url": f"{settings.SITE_URL}{photo.image.url}", "alt": str(photo.alt)}
                for photo in room.photos.all()
            ],
            "parts": [part.slug for part in room.parts.all()],
            "rules": rules_data(self.context["rules_for"](room)),
        }


def rules_data(rules: Rules) -> dict[str, int]:
    """RulesSerializer's answer for one room, without a serializer per room."""
    return {
        "slot_minutes": int(rules.slot.total_seconds() // 60),
        "min_duration_minutes": int(rules.min_duration.total_seconds() // 60),
        "max_duration_minutes": int(rules.max_duration.total_seconds() // 60),
        "min_notice_hours": int(rules.min_notice.total_seconds() // 3600),
        "horizon_days": rules.horizon.days,
    }


class StaffRoomSerializer(RoomSerializer):
    """Staff also see the room's settings and every translation."""

    id = serializers.IntegerField()
    is_public = serializers.BooleanField()
    is_active = serializers.BooleanField()
    name_fi = serializers.CharField()
    name_sv = serializers.CharField()
    name_en = serializers.CharField()
    setup_buffer_minutes = serializers.SerializerMethodField()
    cleanup_buffer_minutes = serializers.SerializerMethodField()

    def to_representation(self, instance: Room) -> dict[str, Any]:
        data = super().to_representation(instance)
        data.update(
            id=instance.pk,
            is_public=instance.is_public,
            is_active=instance.is_active,
            name_fi=instance.name_fi,
            name_sv=instance.name_sv,
            name_en=instance.name_en,
            setup_buffer_minutes=self.get_setup_buffer_minutes(instance),
            cleanup_buffer_minutes=self.get_cleanup_buffer_minutes(instance),
        )
        return data

    def get_setup_buffer_minutes(self, room: Room) -> int:
        return int(self.context["rules_for"](room).setup_buffer.total_seconds() // 60)

    def get_cleanup_buffer_minutes(self, room: Room) -> int:
        return int(self.context["rules_for"](room).cleanup_buffer.total_seconds() // 60)


class AvailabilityQuerySerializer(StrictSerializer):
    start = Day(required=False, help_text=_("First day (YYYY-MM-DD)."))
    end = Day(required=False, help_text=_("Last day, included."))

    def validate(self, attrs: dict) -> dict:
        first = attrs.get("start") or timezone.localdate()
        last = attrs.get("end") or first + timedelta(days=6)
        if last < first:
            raise serializers.ValidationError({"end": [_("The end must not be before the start.")]})
        if (last - first).days >= 92:
            raise serializers.ValidationError({"end": [_("Ask for at most 92 days at a time.")]})
        return {"start": first, "end": last}


class IntervalSerializer(serializers.Serializer):
    start = Moment()
    end = Moment()


class BusySerializer(IntervalSerializer):
    status = serializers.ChoiceField(choices=OccupancyKind.choices)


class AvailabilitySerializer(serializers.Serializer):
    room = serializers.SlugField()
    timezone = serializers.CharField()
    open = IntervalSerializer(many=True)
    busy = BusySerializer(many=True)
