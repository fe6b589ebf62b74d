"""Lines and discounts accounting adds to a draft invoice, and takes off again (SPEC
§3.4). Each view parses its input and calls `invoicing.services.draft_lines`; the answer
is the draft with its new totals."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.api.common import StrictSerializer
from bookings.api.views.base import REFUSALS
from bookings.services import acting_user
from invoicing.api import serializers as shapes
from invoicing.api.views import InvoiceActionView, invoice_response
from invoicing.models import Unit
from invoicing.services import (
    DraftDiscount,
    DraftLine,
    invoice_draft_discount_add,
    invoice_draft_line_add,
    invoice_draft_line_remove,
)
from invoicing.vat import VatCode


class DraftLineInputSerializer(StrictSerializer):
    """A line typed by accounting; its VAT rate comes from the dated table."""

    description = serializers.CharField(max_length=300)
    service_start = serializers.DateField()
    service_end = serializers.DateField(
        required=False, help_text=_("The last day of the service; the first when left out.")
    )
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit = serializers.ChoiceField(choices=Unit.choices)
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("The unit price without VAT.")
    )
    vat_code = serializers.ChoiceField(choices=VatCode.choices)


class DraftDiscountInputSerializer(StrictSerializer):
    """`percent` of the line at `position` (of the whole draft without one), or a fixed
    `amount` without VAT of the lines of `vat_code`."""

    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    position = serializers.IntegerField(min_value=1, required=False)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, help_text=_("Without VAT.")
    )
    vat_code = serializers.ChoiceField(choices=VatCode.choices, required=False)
    description = serializers.CharField(max_length=300, required=False)


@extend_schema(
    tags=["invoices"],
    request=DraftLineInputSerializer,
    responses={201: shapes.InvoiceDetailSerializer, **REFUSALS},
)
class DraftLineCreateView(InvoiceActionView):
    """Add a line to a draft, priced as drafts are; an issued invoice is refused."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = DraftLineInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        invoice_draft_line_add(
            invoice=self.invoice(pk),
            actor=acting_user(request.user),
            line=DraftLine(**incoming.validated_data),
        )
        return invoice_response(pk, status.HTTP_201_CREATED)


@extend_schema(
    tags=["invoices"],
    request=DraftDiscountInputSerializer,
    responses={201: shapes.InvoiceDetailSerializer, **REFUSALS},
)
class DraftDiscountCreateView(InvoiceActionView):
    """Add a discount to a draft: a negative line per VAT rate it takes from."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = DraftDiscountInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        invoice_draft_discount_add(
            invoice=self.invoice(pk),
            actor=acting_user(request.user),
            discount=DraftDiscount(**incoming.validated_data),
        )
        return invoice_response(pk, status.HTTP_201_CREATED)


@extend_schema(tags=["invoices"], responses={200: shapes.InvoiceDetailSerializer, **REFUSALS})
class DraftLineDeleteView(InvoiceActionView):
    """Take a manual or discount line off a draft (a line's discounts go with it); the
    answer is the draft with its new totals."""

    def delete(self, request: Request, pk: int, position: int) -> Response:
        invoice_draft_line_remove(
            invoice=self.invoice(pk), actor=acting_user(request.user), position=position
        )
        return invoice_response(pk)
