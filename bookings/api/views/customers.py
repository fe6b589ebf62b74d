"""Staff and accounting: the customers, one per organisation, with their contacts; and
merging duplicates (accounting; bookings/services/customer_merge.py)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api import serializers as api
from bookings.api.common import Accounting, ReadsBookings
from bookings.models import Customer
from bookings.services import acting_user, customers_merge


class CustomerFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text=_("Name or e-mail."))

    class Meta:
        model = Customer
        fields = ["search", "business_id"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        matching = Customer.objects.filter(
            Q(organisation__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(email__icontains=value)
            | Q(contacts__email__icontains=value)
            | Q(contacts__name__icontains=value)
        )
        return queryset.filter(pk__in=matching.values("pk"))


@extend_schema(tags=["customers"])
class CustomerListView(generics.ListAPIView):
    permission_classes = [ReadsBookings]
    serializer_class = api.CustomerSerializer
    filterset_class = CustomerFilter
    # Merged duplicates are left out: their own pages still answer (issued invoices
    # name them), with `merged_into` saying which customer they are now.
    queryset = Customer.objects.live().prefetch_related("contacts").order_by("organisation", "pk")


@extend_schema(tags=["customers"])
class CustomerDetailView(generics.RetrieveAPIView):
    permission_classes = [ReadsBookings]
    serializer_class = api.CustomerSerializer
    queryset = Customer.objects.prefetch_related("contacts")


@extend_schema(
    tags=["customers"],
    request=api.CustomerMergeInputSerializer,
    responses={200: api.CustomerSerializer},
)
class CustomerMergeView(APIView):
    """Merge the duplicates into this customer: their contacts, bookings and draft
    invoices move to it; issued invoices stay with the record they were made out to."""

    permission_classes = [Accounting]

    def post(self, request: Request, pk: int) -> Response:
        keep = get_object_or_404(Customer, pk=pk)
        incoming = api.CustomerMergeInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ids = incoming.validated_data["duplicates"]
        found = Customer.objects.in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise ValidationError({"duplicates": [_("There is no such customer.")]})
        result = customers_merge(
            keep=keep, duplicates=[found[pk] for pk in ids], actor=acting_user(request.user)
        )
        kept = Customer.objects.prefetch_related("contacts").get(pk=result.kept.pk)
        return Response(api.CustomerSerializer(kept).data)
