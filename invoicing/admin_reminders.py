"""Admin for the reference rate table accounting keeps (penalty interest) and the
payment reminders sent, which are shown, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bookings.role_admin import RoleAdmin
from invoicing.models import ReferenceRate, Reminder


@admin.register(ReferenceRate)
class ReferenceRateAdmin(RoleAdmin):
    list_display = ("valid_from", "rate")


@admin.register(Reminder)
class ReminderAdmin(RoleAdmin):
    list_display = ("invoice", "sequence", "reminded_on", "total", "method", "recipient")
    list_filter = ("method", "reminded_on")
    exclude = ("pdf",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a reminder is sent from the accounting page or the API

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
