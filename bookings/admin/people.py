"""Admin for the people the house deals with: customers and member organisations."""

from __future__ import annotations

from django.contrib import admin

from bookings.models import Customer, MemberOrganisation


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "business_id")
    search_fields = ("name", "business_id")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
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
