"""Who a request is from, through the API: `GET`/`POST bookings/{id}/customer/`.

The same decision the staff booking page offers (bookings/services/customers.py): a
public request whose details name an existing customer is stored without one, and staff
either link it to that customer or make it a customer of its own before approving.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.common import BookingStaff, StrictSerializer
from bookings.api.views import REFUSALS
from bookings.models import Booking, Customer
from bookings.services import acting_user, booking_customer_confirm, booking_customer_match


class MatchSerializer(serializers.Serializer[Customer]):
    id = serializers.IntegerField()
    organisation = serializers.CharField()
    business_id = serializers.CharField()


class CustomerLinkSerializer(serializers.Serializer[Booking]):
    """Whether staff have decided, the customer linked now, and the existing customer
    the request's details name (until staff decide)."""

    customer = serializers.IntegerField(source="customer_id", allow_null=True)
    customer_confirmed = serializers.BooleanField()
    match = serializers.SerializerMethodField()

    @extend_schema_field(MatchSerializer(allow_null=True))
    def get_match(self, booking: Booking) -> dict[str, Any] | None:
        match = None if booking.customer_confirmed else booking_customer_match(booking)
        return None if match is None else dict(MatchSerializer(match).data)


class CustomerLinkInputSerializer(StrictSerializer):
    customer = serializers.ChoiceField(
        choices=[
            ("match", _("The existing customer the request's details name")),
            ("own", _("A customer of the request's own details")),
        ]
    )


@extend_schema(tags=["bookings"])
class BookingCustomerView(APIView):
    """A request's customer: read what its details match, and decide."""

    permission_classes = [BookingStaff]

    def booking(self, pk: int) -> Booking:
        return get_object_or_404(Booking.objects.select_related("customer"), pk=pk)

    @extend_schema(responses={200: CustomerLinkSerializer, **REFUSALS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(CustomerLinkSerializer(self.booking(pk)).data)

    @extend_schema(
        request=CustomerLinkInputSerializer,
        responses={200: CustomerLinkSerializer, **REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        booking = self.booking(pk)
        incoming = CustomerLinkInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        customer = None
        if incoming.validated_data["customer"] == "match":
            customer = booking_customer_match(booking)
            if customer is None:
                raise ValidationError(
                    {"customer": [_("The request's details match no existing customer.")]}
                )
        linked = booking_customer_confirm(
            booking=booking, actor=acting_user(request.user), customer=customer
        )
        return Response(CustomerLinkSerializer(linked).data)
