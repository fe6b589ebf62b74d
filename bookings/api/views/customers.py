"""Staff: the customers who have booked."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from bookings.api import serializers as api
from bookings.api.common import ReadsBookings
from bookings.models import Customer


class CustomerFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text=_("Name or e-mail."))

    class Meta:
        model = Customer
        fields = ["search", "business_id"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(organisation__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(email__icontains=value)
        )


@extend_schema(tags=["customers"])
class CustomerListView(generics.ListAPIView):
    permission_classes = [ReadsBookings]
    serializer_class = api.CustomerSerializer
    filterset_class = CustomerFilter
    queryset = Customer.objects.order_by("organisation", "pk")


@extend_schema(tags=["customers"])
class CustomerDetailView(generics.RetrieveAPIView):
    permission_classes = [ReadsBookings]
    serializer_class = api.CustomerSerializer
    queryset = Customer.objects.all()
