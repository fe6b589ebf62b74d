"""Admin for the audit trail: read-only, since only the services write it."""

from __future__ import annotations

from django.contrib import admin

from bookings.admin.common import LogAdmin
from bookings.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(LogAdmin):
    list_display = ("at", "who", "action", "booking", "closure", "room", "reason")
    list_filter = ("action",)
    list_select_related = ("booking__room", "closure", "room")
    search_fields = ("actor_label", "reason", "booking__title")
    date_hierarchy = "at"
