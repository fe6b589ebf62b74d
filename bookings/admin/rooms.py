"""Admin for rooms: details, photos, own opening hours and the parts of a combined room.

The parts decide which spaces every booking holds, so they are written only through
`room_parts_set`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bookings.admin.common import ServiceAdmin, validate_by_dry_run
from bookings.models import HouseRules, OpeningHours, Room, RoomPhoto
from bookings.role_admin import RoleTabularInline
from bookings.services import acting_user, room_parts_set


class RoomPhotoInline(RoleTabularInline):
    model = RoomPhoto
    extra = 0
    fields = ("image", "alt_fi", "alt_sv", "alt_en", "sort_order")


class RoomOpeningHoursInline(RoleTabularInline):
    model = OpeningHours
    extra = 0
    fields = ("weekday", "opens", "closes")
    verbose_name_plural = _("opening hours of this room (empty: the house default)")


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        # The admin lays the fields out by its fieldsets; parts is the one that matters here.
        fields = ("slug", "name_fi", "capacity", "parts")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        room = self.instance
        # A new room holds nothing yet, so only a change of an existing one can clash.
        if room.pk is not None and "parts" in self.changed_data and not self.errors:
            validate_by_dry_run(
                self, lambda: room_parts_set(room=room, parts=cleaned["parts"], actor=None)
            )
        return cleaned


@admin.register(Room)
class RoomAdmin(ServiceAdmin):
    form = RoomForm
    inlines = [RoomPhotoInline, RoomOpeningHoursInline]
    list_display = ("name_fi", "slug", "capacity", "parts_text", "is_public", "is_active")
    list_filter = ("is_public", "is_active")
    search_fields = ("name_fi", "name_sv", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_fi",)}
    filter_horizontal = ("parts",)
    fieldsets = (
        (None, {"fields": ("slug", "capacity", "floor_area", "is_public", "is_active")}),
        (_("Finnish"), {"fields": ("name_fi", "description_fi", "accessibility_fi")}),
        (_("Swedish"), {"fields": ("name_sv", "description_sv", "accessibility_sv")}),
        (_("English"), {"fields": ("name_en", "description_en", "accessibility_en")}),
        (
            _("Equipment"),
            {"fields": ("has_projector", "has_screen", "has_hybrid_kit", "has_kitchen")},
        ),
        (_("Combined room"), {"fields": ("parts",)}),
        (
            _("Booking rules"),
            {
                "fields": HouseRules.RULE_FIELDS,
                "description": _("Leave a rule empty to use the house default."),
            },
        ),
        (
            _("Cancellation terms"),
            {
                "fields": HouseRules.CANCELLATION_FIELDS,
                "description": _("Leave a term empty to use the house default."),
            },
        ),
        (_("Listing"), {"fields": ("sort_order",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Room]:
        return super().get_queryset(request).prefetch_related("parts")

    @admin.display(description=_("parts"))
    def parts_text(self, room: Room) -> str:
        return ", ".join(str(part) for part in room.parts.all())

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        # The parts decide which spaces every booking holds: room_parts_set re-lays the
        # occupancy with them, so the form must never write the m2m on its own.
        parts = form.cleaned_data.pop("parts", None)
        super().save_related(request, form, formsets, change)
        if parts is not None and "parts" in form.changed_data:
            room_parts_set(room=form.instance, parts=parts, actor=acting_user(request.user))
