"""Admin for the people the house deals with: customers and member organisations."""

from __future__ import annotations

from django.contrib import admin

from bookings.models import Customer, MemberOrganisation
from bookings.role_admin import RoleAdmin


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(RoleAdmin):
    list_display = ("name", "business_id")
    search_fields = ("name", "business_id")


@admin.register(Customer)
class CustomerAdmin(RoleAdmin):
    list_display = (
        "organisation",
        "business_id",
        "contact_name",
        "email",
        "language",
        "invoice_delivery",
    )
    list_filter = ("language", "invoice_delivery")
    search_fields = ("organisation", "business_id", "contact_name", "email")
