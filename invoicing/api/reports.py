"""`GET reports/usage/` and `GET reports/revenue/` (SPEC §3.6), for booking staff and
accounting. The views parse the months and hand the selectors' rows to the serializers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.common import StrictSerializer, is_accounting, is_booking_staff
from bookings.api.views import REFUSALS
from bookings.selectors.reports import month_parse, months_between, usage_report
from invoicing.models import CustomerGroup
from invoicing.report_exports import revenue_data, usage_data
from invoicing.selectors.reports import revenue_report
from invoicing.vat import VatCode

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReadsReports(BasePermission):
    """Booking staff and accounting (and administrators), reading only."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_booking_staff(request.user) or is_accounting(request.user)


class MonthRangeQuerySerializer(StrictSerializer):
    """`?from=YYYY-MM&to=YYYY-MM`, both months included (`from` is a Python keyword,
    hence the fields are built here)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.CharField(help_text=_("First month (YYYY-MM).")),
            "to": serializers.CharField(help_text=_("Last month (YYYY-MM), included.")),
        }

    def validate(self, attrs: dict[str, str]) -> dict[str, date]:
        try:
            first = month_parse(attrs["from"], "from")
            last = month_parse(attrs["to"], "to")
            months_between(first, last)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return {"from": first, "to": last}


def month_range(request: Request) -> tuple[date, date]:
    query = MonthRangeQuerySerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data["from"], query.validated_data["to"]


def hours_field(help_text: StrOrPromise) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, help_text=help_text
    )


class UsageRowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    room = serializers.SlugField(help_text=_("The room's slug."))
    open_hours = hours_field(help_text=_("Hours open: opening hours less holidays and closures."))
    booked_hours = hours_field(help_text=_("Hours of approved bookings, buffers not counted."))
    utilisation = serializers.DecimalField(
        max_digits=8,
        decimal_places=4,
        coerce_to_string=False,
        allow_null=True,
        help_text=_("Booked hours over open hours (0.5 is half); null when never open."),
    )
    bookings = serializers.IntegerField()
    member_bookings = serializers.IntegerField()
    external_bookings = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    rows = UsageRowSerializer(many=True)


class RevenueRowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    room = serializers.SlugField(allow_null=True, help_text=_("The room's slug; null for extras."))
    group = serializers.ChoiceField(choices=CustomerGroup.choices)
    vat_code = serializers.ChoiceField(choices=VatCode.choices)
    net = serializers.CharField(help_text=_("Euros with two decimals."))
    vat = serializers.CharField(help_text=_("Euros with two decimals."))
    gross = serializers.CharField(help_text=_("Euros with two decimals."))


class RevenueSerializer(serializers.Serializer):
    rows = RevenueRowSerializer(many=True)


@extend_schema(
    tags=["reports"],
    parameters=[MonthRangeQuerySerializer],
    responses={200: UsageSerializer, **REFUSALS},
)
class UsageReportView(APIView):
    """Usage per room and month: open and booked hours, utilisation, bookings."""

    permission_classes = [ReadsReports]

    def get(self, request: Request) -> Response:
        first, last = month_range(request)
        rows = usage_data(usage_report(first_month=first, last_month=last))
        return Response(UsageSerializer({"rows": rows}).data)


@extend_schema(
    tags=["reports"],
    parameters=[MonthRangeQuerySerializer],
    responses={200: RevenueSerializer, **REFUSALS},
)
class RevenueReportView(APIView):
    """Revenue per month by room, extras and customer group, per VAT code: issued
    invoices minus credit notes, by issue date, as in the invoice CSV."""

    permission_classes = [ReadsReports]

    def get(self, request: Request) -> Response:
        first, last = month_range(request)
        rows = revenue_data(revenue_report(first_month=first, last_month=last))
        return Response(RevenueSerializer({"rows": rows}).data)
