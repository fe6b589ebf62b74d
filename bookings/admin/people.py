"""Admin for the people the house deals with: customers and member organisations."""

from __future__ import annotations

from django.contrib import admin

from bookings.models import Customer, CustomerContact, MemberOrganisation
from bookings.role_admin import RoleAdmin, RoleTabularInline


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(RoleAdmin):
    list_display = ("name", "business_id")
    search_fields = ("name", "business_id")


class CustomerContactInline(RoleTabularInline):
    model = CustomerContact
    extra = 0
    fields = ("name", "email", "phone")


@admin.register(Customer)
class CustomerAdmin(RoleAdmin):
    # Merging moves bookings and drafts along: the accounting pages' merge does that
    # (bookings/services/customer_merge.py), so here it is shown, not edited.
    readonly_fields = ("merged_into", "merged_at")
    inlines = [CustomerContactInline]
    list_display = (
        "organisation",
        "business_id",
        "contact_name",
        "email",
        "language",
        "invoice_delivery",
    )
    list_filter = ("language", "invoice_delivery", ("merged_into", admin.EmptyFieldListFilter))
    search_fields = ("organisation", "business_id", "contact_name", "email")
