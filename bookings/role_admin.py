"""The admin asks the roles, like every other path (SPEC §2.10).

Django's admin decides by model permissions, which a person can also be given directly;
every ModelAdmin and inline of the apps derives from the classes here instead, which ask
`bookings.permissions`: booking staff change bookings and closures, accounting invoices
and payments, whatever permissions a person holds without the role. The administrator
(an active superuser) may everything; the admin site itself still asks for `is_staff`.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.contrib import admin
from django.db.models import Model
from django.db.models.options import Options
from django.http import HttpRequest

from bookings.permissions import has_role, roles_for_admin

ACTIONS = ("view", "add", "change", "delete")

# One admin page asks dozens of times (the sidebar lists every model): per request, each
# set of roles is asked of the database once.
_ANSWERS: WeakKeyDictionary[HttpRequest, dict[tuple[str, ...], bool]] = WeakKeyDictionary()


def role_may(request: HttpRequest, opts: Options[Any], action: str) -> bool:
    """Whether the person's role lets them `action` rows of the model in the admin."""
    roles = roles_for_admin(opts.label_lower, action)
    answers = _ANSWERS.setdefault(request, {})
    if roles not in answers:
        answers[roles] = has_role(request.user, *roles)
    return answers[roles]


class RolePermissions:
    """Viewing, changing and deleting as the roles allow (adding differs by signature
    between a ModelAdmin and an inline, so each class below says it)."""

    opts: Options[Any]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # As in Django: whoever may change a row may also see it.
        return role_may(request, self.opts, "view") or role_may(request, self.opts, "change")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_may(request, self.opts, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_may(request, self.opts, "delete")


class RoleAdmin(RolePermissions, admin.ModelAdmin):
    """A ModelAdmin whose every permission is a role's."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return role_may(request, self.opts, "add")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return any(role_may(request, self.opts, action) for action in ACTIONS)


class RoleTabularInline(RolePermissions, admin.TabularInline):
    """An inline whose every permission is a role's."""

    # The stubs, like Django, give the inline's method one more argument than the base's.
    def has_add_permission(  # type: ignore[override]
        self, request: HttpRequest, obj: Model | None
    ) -> bool:
        return role_may(request, self.opts, "add")
