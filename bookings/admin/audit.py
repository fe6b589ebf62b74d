"""Admin for the audit trail: read-only, since only the services write it."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bookings.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is written by the services only; here it can only be read."""

    list_display = ("at", "who", "action", "booking", "closure", "room", "reason")
    list_filter = ("action",)
    list_select_related = ("booking__room", "closure", "room")
    search_fields = ("actor_label", "reason", "booking__title")
    date_hierarchy = "at"

    @admin.display(description=_("by"), ordering="actor_label")
    def who(self, entry: AuditEntry) -> str:
        return entry.actor_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
