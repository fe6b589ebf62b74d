from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from bookings.roles import roles_ensure

        # No sender: every app's permissions reach the roles once that app is migrated.
        post_migrate.connect(roles_ensure, dispatch_uid="bookings.roles.roles_ensure")
