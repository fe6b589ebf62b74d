"""A read-only admin for logs that only their services write, shared by the apps."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bookings.models import Acted
from bookings.role_admin import RoleAdmin


class LogAdmin(RoleAdmin):
    """A log that only its services write (the audit trail, the personal-data log): it can
    be read here, never added to, changed or deleted."""

    @admin.display(description=_("by"), ordering="actor_label")
    def who(self, entry: Acted) -> str:
        return entry.actor_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
