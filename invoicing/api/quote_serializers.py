"""The public quote's input and answer (`POST quotes/`): what a booking would cost."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bookings.api.common import Moment, StrictSerializer
from invoicing.api.serializers import EARLIEST, LATEST, VatGroupSerializer, money_field, rate_field
from invoicing.models import Unit
from invoicing.vat import VatCode


class QuoteExtraSerializer(StrictSerializer):
    code = serializers.CharField(max_length=40)
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=10_000,
        required=False,
        help_text=_("Units, or persons for a per-person extra (default: the attendees)."),
    )


class QuoteInputSerializer(StrictSerializer):
    room = serializers.SlugField()
    start = Moment()
    end = Moment()
    business_id = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("A member organisation's business ID gets the member prices."),
    )
    extras = QuoteExtraSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # many=True makes a ListSerializer, which takes max_length
    attendees = serializers.IntegerField(min_value=1, max_value=100_000, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("start", "end"):
            if not EARLIEST <= attrs[name].year < LATEST:
                raise serializers.ValidationError(
                    {name: [_("Choose a time between the years 2000 and 2100.")]}
                )
        return attrs


class QuoteLineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("`room` or `extra`."))
    code = serializers.CharField()
    description = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit = serializers.ChoiceField(choices=Unit.choices)
    unit_price = money_field()
    vat_code = serializers.ChoiceField(choices=VatCode.choices)
    vat_rate = rate_field()
    net = money_field()
    vat = money_field()
    gross = money_field()


class QuoteSerializer(serializers.Serializer):
    customer_group = serializers.CharField()
    vat_registered = serializers.BooleanField()
    lines = QuoteLineSerializer(many=True)
    totals = VatGroupSerializer(many=True, help_text=_("Sums of the lines by VAT rate."))
    net = money_field()
    vat = money_field()
    gross = money_field()
