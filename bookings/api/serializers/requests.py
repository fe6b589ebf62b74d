"""Public booking requests: what a renter sends and what they are shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.api.common import Day, Moment, StrictSerializer
from bookings.cancellation import cancellation_now
from bookings.models import LANGUAGE_CHOICES, Booking, BookingStatus
from bookings.recurrence import MAX_OCCURRENCES, Recurrence
from bookings.services import CONTACT_FIELDS, Extra, RenterDetails

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
    start = Moment()
    end = Moment()
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


class CancellationSerializer(serializers.Serializer):
    free_until = serializers.DateTimeField()
    fee_percent = serializers.IntegerField()
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class RenterBookingSerializer(serializers.Serializer):
    """One request as its renter sees it through the status link."""

    id = serializers.IntegerField()
    room = serializers.SlugField(source="room.slug")
    room_name = serializers.CharField(source="room.name")
    start = Moment()
    end = Moment()
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    title = serializers.CharField()
    attendees = serializers.IntegerField()
    organisation = serializers.CharField()
    contact_name = serializers.CharField()
    email = serializers.EmailField()
    decision_message = serializers.CharField()
    cancellation = serializers.SerializerMethodField(
        help_text=_(
            "The cancellation terms now: `free_until` (cancelling until then is free), "
            "`fee_percent` of the room price and `fee` (euros, VAT included) that "
            "cancelling now costs; a request not yet approved is withdrawn for free."
        )
    )

    @extend_schema_field(CancellationSerializer)
    def get_cancellation(self, booking: Booking) -> dict[str, Any]:
        terms = cancellation_now(booking, now=timezone.now())
        return {
            "free_until": terms.free_until.isoformat(),
            "fee_percent": terms.fee_percent,
            "fee": None if terms.fee is None else f"{terms.fee:.2f}",
        }


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
