"""Input and output shapes of the booking API. No rule lives here: input serializers check
types and sizes, the services decide."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.api.common import Day, Moment, StrictSerializer
from bookings.models import (
    LANGUAGE_CHOICES,
    Booking,
    BookingStatus,
    Closure,
    ClosureReason,
    Customer,
    OccupancyKind,
    Room,
)
from bookings.recurrence import MAX_OCCURRENCES, Recurrence
from bookings.schedule import Rules
from bookings.services import CONTACT_FIELDS, Extra, RenterDetails

# --- Rooms --------------------------------------------------------------------------------

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
        return RulesSerializer(self.context["rules_for"](room)).data


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
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class BusySerializer(IntervalSerializer):
    status = serializers.ChoiceField(choices=OccupancyKind.choices)


class AvailabilitySerializer(serializers.Serializer):
    room = serializers.SlugField()
    timezone = serializers.CharField()
    open = IntervalSerializer(many=True)
    busy = BusySerializer(many=True)


# --- Requests -----------------------------------------------------------------------------


class ExtraSerializer(StrictSerializer):
    code = serializers.CharField(max_length=40)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)


class RecurrenceSerializer(StrictSerializer):
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        max_length=7,
        help_text=_("0 = Monday … 6 = Sunday; empty: the weekday of the start."),
    )
    interval_weeks = serializers.IntegerField(min_value=1, max_value=52, default=1)
    until = Day(required=False, allow_null=True)
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_OCCURRENCES, required=False, allow_null=True
    )
    skip_unavailable = serializers.BooleanField(
        default=False,
        help_text=_("Request the free dates and report the rest, instead of refusing."),
    )

    def to_recurrence(self) -> Recurrence:
        data = self.validated_data
        return Recurrence(
            weekdays=tuple(sorted(set(data.get("weekdays") or ()))),
            interval_weeks=data["interval_weeks"],
            until=data.get("until"),
            count=data.get("count"),
        )


class RenterFieldsMixin(serializers.Serializer):
    # Organisation, contact person and e-mail are needed, but the booking service says so
    # (for every entry point alike); here they are only parsed.
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("Needed.")
    )
    business_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    contact_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("Needed.")
    )
    email = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, help_text=_("Needed.")
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    billing_address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    e_invoice_address = serializers.CharField(max_length=40, required=False, allow_blank=True)
    e_invoice_operator = serializers.CharField(max_length=40, required=False, allow_blank=True)
    buyer_reference = serializers.CharField(max_length=70, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, default="fi")

    def renter(self) -> RenterDetails:
        data = self.validated_data
        return RenterDetails(
            **{name: data.get(name, "") for name in CONTACT_FIELDS},
            language=data.get("language", "fi"),
        )


class ExtrasMixin(serializers.Serializer):
    extras = ExtraSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # many=True makes a ListSerializer, which takes max_length

    def extras_list(self) -> list[Extra]:
        return [Extra(**item) for item in self.validated_data.get("extras", [])]


class RenterInputSerializer(RenterFieldsMixin, StrictSerializer):
    pass


class BookingRequestInputSerializer(RenterFieldsMixin, ExtrasMixin, StrictSerializer):
    room = serializers.SlugField()
    start = Moment()
    end = Moment()
    title = serializers.CharField(max_length=200)
    attendees = serializers.IntegerField(min_value=1, max_value=100_000)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    recurrence = RecurrenceSerializer(required=False, allow_null=True)
    accept_terms = serializers.BooleanField()


class OccurrenceSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    free = serializers.BooleanField()
    booking_id = serializers.IntegerField(allow_null=True)
    clashes = serializers.ListField(child=serializers.DictField())
    problems = serializers.ListField(child=serializers.CharField())


class BookingRequestCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    status_url = serializers.URLField()
    series_id = serializers.IntegerField(required=False)
    occurrences = OccurrenceSerializer(many=True, required=False)


class RenterBookingSerializer(serializers.Serializer):
    """One request as its renter sees it through the status link."""

    id = serializers.IntegerField()
    room = serializers.SlugField(source="room.slug")
    room_name = serializers.CharField(source="room.name")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    title = serializers.CharField()
    attendees = serializers.IntegerField()
    organisation = serializers.CharField()
    contact_name = serializers.CharField()
    email = serializers.EmailField()
    decision_message = serializers.CharField()


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def revision_field(help_text: StrOrPromise = "") -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text=help_text
        or _("The revision (`sequence`) you saw; a booking changed since then is refused (409)."),
    )


class CancelInputSerializer(ReasonSerializer):
    expected_sequence = revision_field()
    following = serializers.BooleanField(
        default=False, help_text=_("Also cancel the later dates of the series.")
    )


# --- Staff: bookings ----------------------------------------------------------------------


class BookingSerializer(serializers.ModelSerializer):
    room: serializers.SlugRelatedField[Room] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "room",
            "start",
            "end",
            "status",
            "title",
            "attendees",
            "customer",
            *CONTACT_FIELDS,
            "extras",
            "message",
            "language",
            "series",
            "decision_message",
            "override_reason",
            "setup_buffer_minutes",
            "cleanup_buffer_minutes",
            "sequence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StaffBookingInputSerializer(ExtrasMixin, StrictSerializer):
    room = serializers.SlugField()
    start = Moment()
    end = Moment()
    title = serializers.CharField(max_length=200)
    attendees = serializers.IntegerField(min_value=1, max_value=100_000)
    override_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    renter = RenterInputSerializer(
        required=False,
        allow_null=True,
        help_text=_("The renter's details; leave out for a booking of the house itself."),
    )
    recurrence = RecurrenceSerializer(
        required=False,
        allow_null=True,
        help_text=_("Repeat the booking: the same shape as a renter's recurring request."),
    )

    def renter_details(self) -> RenterDetails | None:
        data = self.validated_data.get("renter")
        if not data:
            return None
        return RenterDetails(
            **{name: data.get(name, "") for name in CONTACT_FIELDS},
            language=data.get("language", "fi"),
        )


class StaffBookingCreatedSerializer(BookingSerializer):
    """A staff booking as made: for a series its first date, with every date's result."""

    series_id = serializers.IntegerField(required=False, read_only=True)
    occurrences = OccurrenceSerializer(many=True, required=False, read_only=True)

    class Meta(BookingSerializer.Meta):
        fields = [*BookingSerializer.Meta.fields, "series_id", "occurrences"]
        read_only_fields = fields


class BookingMoveSerializer(StrictSerializer):
    room = serializers.SlugField(required=False)
    start = Moment(required=False)
    end = Moment(required=False)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    override_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    expected_sequence = revision_field()
    sequence = revision_field(_("The older name of `expected_sequence`."))

    def expected(self) -> int | None:
        data = self.validated_data
        return data.get("expected_sequence", data.get("sequence"))


class ApproveInputSerializer(StrictSerializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    whole_series = serializers.BooleanField(
        default=False, help_text=_("Approve every requested date of the booking's series.")
    )
    skip_conflicts = serializers.BooleanField(
        default=False, help_text=_("With whole_series: reject clashing dates, approve the rest.")
    )
    expected_sequence = revision_field()
    reject_competing = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        default=list,
        max_length=200,
        help_text=_("Competing requests to reject with rejection_message."),
    )
    rejection_message = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )


class RejectInputSerializer(StrictSerializer):
    # Not required here: the service refuses an empty reason, for every entry point.
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    expected_sequence = revision_field()


# --- Staff: closures and customers --------------------------------------------------------


class ClosureSerializer(serializers.ModelSerializer):
    rooms: serializers.SlugRelatedField[Room] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = Closure
        fields = ["id", "rooms", "whole_house", "start", "end", "reason", "note", "removed_at"]
        read_only_fields = fields


class ClosureInputSerializer(StrictSerializer):
    rooms = serializers.ListField(child=serializers.SlugField(), required=False, max_length=100)
    whole_house = serializers.BooleanField(default=False)
    start = Moment()
    end = Moment()
    reason = serializers.ChoiceField(choices=ClosureReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    cancel_clashing = serializers.BooleanField(
        default=False,
        help_text=_(
            "Cancel the approved bookings the closure clashes with, e-mailing each renter; "
            "without it such a closure is refused with the clashes."
        ),
    )


class ClosureCreatedSerializer(ClosureSerializer):
    cancelled_bookings = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("The bookings cancelled with the closure."),
    )

    class Meta(ClosureSerializer.Meta):
        fields = [*ClosureSerializer.Meta.fields, "cancelled_bookings"]
        read_only_fields = fields


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "organisation",
            "business_id",
            "contact_name",
            "email",
            "phone",
            "billing_address",
            "e_invoice_address",
            "e_invoice_operator",
            "language",
            "created_at",
        ]
        read_only_fields = fields
