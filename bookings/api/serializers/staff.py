"""Staff: bookings, decisions, closures and customers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bookings.api.common import Moment, StrictSerializer
from bookings.api.serializers.requests import (
    ExtrasMixin,
    OccurrenceSerializer,
    RecurrenceSerializer,
    RenterInputSerializer,
    revision_field,
)
from bookings.models import (
    Booking,
    Closure,
    ClosureReason,
    Customer,
    CustomerContact,
    Room,
)
from bookings.services import CONTACT_FIELDS, RenterDetails


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


class CustomerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerContact
        fields = ["name", "email", "phone"]
        read_only_fields = fields


class CustomerSerializer(serializers.ModelSerializer):
    contacts = CustomerContactSerializer(many=True, read_only=True)

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
            "contacts",
            "merged_into",
            "created_at",
        ]
        read_only_fields = fields


class CustomerMergeInputSerializer(StrictSerializer):
    duplicates = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=20,
        help_text=_("The customers merged into this one."),
    )
