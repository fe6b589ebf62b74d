"""Django admin for prices, extras, VAT rates and the seller settings; invoices and
payments are in admin_invoices.py (imported at the end so both register)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bookings.models import LANGUAGE_CHOICES
from bookings.role_admin import RoleAdmin, RoleTabularInline
from invoicing.models import Extra, PriceList, RoomPrice, SellerSettings, VatRate
from invoicing.services import SELLER_FIELDS


class RoomPriceInline(RoleTabularInline):
    model = RoomPrice
    extra = 1
    fields = ("room", "hourly_rate", "half_day_price", "full_day_price", "vat_code")


@admin.register(PriceList)
class PriceListAdmin(RoleAdmin):
    list_display = ("name", "customer_group", "valid_from", "valid_until")
    list_filter = ("customer_group",)
    inlines = [RoomPriceInline]


@admin.register(Extra)
class ExtraAdmin(RoleAdmin):
    list_display = ("code", "name_fi", "pricing", "price", "vat_code", "is_active")
    list_filter = ("is_active", "vat_code")
    search_fields = ("code", "name_fi", "name_sv", "name_en")


@admin.register(VatRate)
class VatRateAdmin(RoleAdmin):
    """A rate change is a new row from its date; old rows are never edited or removed,
    since quotes of services on earlier dates depend on them."""

    list_display = ("code", "valid_from", "rate")

    def has_change_permission(self, request: HttpRequest, obj: VatRate | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: VatRate | None = None) -> bool:
        return False


class SellerSettingsForm(forms.ModelForm):
    invoice_languages = forms.MultipleChoiceField(
        label=_("invoice languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SellerSettings
        fields = SELLER_FIELDS


@admin.register(SellerSettings)
class SellerSettingsAdmin(RoleAdmin):
    """One row: the list page opens it. Its form runs the model's validation, so a
    Y-tunnus, IBAN or BIC that fails its checksum is refused with the field's message."""

    form = SellerSettingsForm
    fieldsets = (
        (None, {"fields": ("name", "address", "business_id", "contact", "logo")}),
        (_("Payments"), {"fields": ("iban", "bic", "reference_form")}),
        (_("E-invoicing"), {"fields": ("e_invoice_address", "e_invoice_operator")}),
        (
            _("Invoices"),
            {
                "fields": (
                    "vat_registered",
                    "payment_term_days",
                    "penalty_interest_rate",
                    "reminder_fee",
                    "invoice_languages",
                )
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        seller = SellerSettings.load()
        return HttpResponseRedirect(
            reverse("admin:invoicing_sellersettings_change", args=[seller.pk])
        )


# Imported last so that both register; invoices and payments, reference rates and reminders.
from invoicing import admin_invoices, admin_reminders  # noqa: E402, F401
