"""The two staff roles (SPEC §1, §2.10) as Django groups with model permissions.

The groups are ensured after every `migrate`, so a fresh installation has them and a new
model's permissions reach the roles as soon as its migration runs. Permissions are only
added, never removed: an administrator's additions to a group survive the next migrate.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS

BOOKING_STAFF = "Booking staff"
ACCOUNTING = "Accounting"

EDIT = ("view", "add", "change")
# Configuration rows that carry no history: staff must be able to remove a wrong one.
EDIT_AND_REMOVE = (*EDIT, "delete")
VIEW = ("view",)

# Group name -> "app_label.model" -> actions. Labels are strings, so the roles can name
# models of apps above bookings without importing them.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    BOOKING_STAFF: {
        "bookings.room": EDIT,
        "bookings.roomphoto": EDIT_AND_REMOVE,
        "bookings.openinghours": EDIT_AND_REMOVE,
        "bookings.holidayopening": EDIT_AND_REMOVE,
        "bookings.closure": EDIT,
        "bookings.customer": EDIT,
        "bookings.memberorganisation": EDIT_AND_REMOVE,
        "bookings.booking": EDIT,
        "bookings.houserules": EDIT,
        "bookings.auditentry": VIEW,
        "invoicing.pricelist": EDIT,
        "invoicing.roomprice": EDIT_AND_REMOVE,
        "invoicing.extra": EDIT,
        "invoicing.bookingprice": VIEW,
    },
    ACCOUNTING: {
        "bookings.booking": VIEW,
        "bookings.customer": VIEW,
        "bookings.room": VIEW,
        "bookings.memberorganisation": VIEW,
        # Invoices are issued, credited and paid through the invoicing services; issued
        # ones refuse every change whatever the permission says.
        "invoicing.invoice": EDIT,
        "invoicing.invoiceline": VIEW,
        "invoicing.payment": ("view", "add"),
        "invoicing.sellersettings": EDIT,
        "invoicing.pricelist": VIEW,
        "invoicing.roomprice": VIEW,
        "invoicing.extra": VIEW,
        "invoicing.bookingprice": VIEW,
        "invoicing.vatrate": VIEW,
    },
}


def roles_granting(model_label: str, action: str) -> tuple[str, ...]:
    """The roles given the permission to `action` rows of a model ("app_label.model")."""
    return tuple(
        role for role, models in ROLE_PERMISSIONS.items() if action in models.get(model_label, ())
    )


def role_codenames(role: str, app_label: str) -> set[str]:
    """The permission codenames a role holds on one app's models."""
    codenames: set[str] = set()
    for label, actions in ROLE_PERMISSIONS[role].items():
        model_app, model = label.split(".")
        if model_app == app_label:
            codenames.update(f"{action}_{model}" for action in actions)
    return codenames


def roles_ensure(
    app_config: AppConfig,
    apps: Apps | None = None,
    using: str = DEFAULT_DB_ALIAS,
    **kwargs: Any,
) -> None:
    """post_migrate receiver: give each role its permissions on the migrated app.

    It runs once per app, after django.contrib.auth has created that app's permissions
    (auth's receiver is connected first), so every permission it asks for exists.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return  # auth is not migrated yet
    for role in ROLE_PERMISSIONS:
        codenames = role_codenames(role, app_config.label)
        if not codenames:
            continue
        group, _created = group_model.objects.using(using).get_or_create(name=role)
        permissions = permission_model.objects.using(using).filter(
            content_type__app_label=app_config.label, codename__in=codenames
        )
        group.permissions.add(*permissions)
