"""Admin for when the house is open and its booking rules: the house rules, weekly
opening hours and openings on public holidays."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bookings.models import HolidayOpening, HouseInfo, HouseRules, OpeningHours
from bookings.role_admin import RoleAdmin
from bookings.schedule import finnish_holidays


class HouseRulesForm(forms.ModelForm):
    class Meta:
        model = HouseRules
        fields = HouseRules.RULE_FIELDS + HouseRules.CANCELLATION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in HouseRules.RULE_FIELDS + HouseRules.CANCELLATION_FIELDS:
            self.fields[name].required = True  # the house default is what rooms fall back to


@admin.register(HouseRules)
class HouseRulesAdmin(RoleAdmin):
    form = HouseRulesForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A single row, made by a migration; it can only be edited.
        return super().has_add_permission(request) and not HouseRules.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(HouseInfo)
class HouseInfoAdmin(RoleAdmin):
    fieldsets = (
        (None, {"fields": ("address", "decision_working_days")}),
        (_("Finnish"), {"fields": ("entry_fi", "contact_fi")}),
        (_("Swedish"), {"fields": ("entry_sv", "contact_sv")}),
        (_("English"), {"fields": ("entry_en", "contact_en")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not HouseInfo.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(OpeningHours)
class OpeningHoursAdmin(RoleAdmin):
    list_display = ("room_or_house", "weekday", "opens", "closes")
    list_filter = ("weekday", "room")
    list_select_related = ("room",)

    @admin.display(description=_("room"), ordering="room")
    def room_or_house(self, hours: OpeningHours) -> str:
        return str(hours.room) if hours.room_id else str(_("House default"))


class HolidayOpeningForm(forms.ModelForm):
    class Meta:
        model = HolidayOpening
        fields = ("room", "date")

    # Only a public holiday can be opened: HolidayOpening.clean says so, for every path.


@admin.register(HolidayOpening)
class HolidayOpeningAdmin(RoleAdmin):
    form = HolidayOpeningForm
    list_display = ("date", "holiday", "room")
    list_filter = ("room",)
    list_select_related = ("room",)
    date_hierarchy = "date"

    @admin.display(description=_("holiday"))
    def holiday(self, opening: HolidayOpening) -> str:
        return finnish_holidays(opening.date.year).get(opening.date, "")
