"""The rooms' written-out answer (RoomSerializer.to_representation, kept fast for the room
finder) says exactly what DRF's walk of the declared fields says, for the public and for
staff: the schema is built from those fields, so the two must never drift apart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers

from bookings.api.serializers import RoomSerializer, RulesSerializer, StaffRoomSerializer
from bookings.api.views.base import RulesContextMixin
from bookings.models import RoomPhoto
from tests.factories import make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    east = make_room(slug="ita", capacity=20, has_projector=True, floor_area=Decimal("45.25"))
    west = make_room(slug="lansi", capacity=20, has_kitchen=True, slot_minutes=15)
    hall = make_room(slug="sali", capacity=40, parts=[east, west], name_en="Hall")
    photo = RoomPhoto(room=hall, alt_fi="Sali", alt_en="The hall", sort_order=1)
    photo.image.save("sali.png", SimpleUploadedFile("sali.png", b"\x89PNG"), save=True)
    return [east, west, hall]


@pytest.mark.parametrize("serializer_class", [RoomSerializer, StaffRoomSerializer])
def test_the_written_out_answer_is_the_declared_fields(rooms, serializer_class):
    context = RulesContextMixin().rules_context()
    for room in rooms:
        serializer = serializer_class(room, context=context)
        walked = serializers.Serializer.to_representation(serializer, room)
        assert serializer.data == walked
        assert list(serializer.data) == list(walked)  # the same order too
        assert serializer.data["rules"] == RulesSerializer(context["rules_for"](room)).data
