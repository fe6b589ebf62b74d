"""Who may do what (SPEC §1, §2.10): the one place every entry point asks.

Two roles, held as Django groups (`bookings.roles` gives them their model permissions):
booking staff decide and change bookings; accounting reads bookings and owns invoices.
An active superuser (the administrator) holds both. The staff workspace pages, the API's
permission classes, the admin (`bookings.role_admin`) and the calendar feeds all call
these functions, so a role means the same on every path. A model permission given to a
person directly, without the role, opens nothing anywhere.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account

from bookings.roles import ACCOUNTING, BOOKING_STAFF, roles_granting

User = Account | AnonymousUser


def has_role(user: User, *roles: str) -> bool:
    """Whether an active user holds any of the roles (one query; none for superusers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=roles).exists()


def is_booking_staff(user: User) -> bool:
    """Decides, makes and changes bookings and closures; sees renters' data."""
    return has_role(user, BOOKING_STAFF)


def is_accounting(user: User) -> bool:
    """Invoices, credit notes and payments; reads bookings."""
    return has_role(user, ACCOUNTING)


def reads_bookings(user: User) -> bool:
    """Booking staff and accounting read bookings, renters' data included; this is also
    who may hold a private calendar feed (it shows that data)."""
    return has_role(user, BOOKING_STAFF, ACCOUNTING)


def writes_bookings(user: User, *, method: str) -> bool:
    """A request of this HTTP method on bookings: reads for both roles, writes for
    booking staff only."""
    if method in ("GET", "HEAD", "OPTIONS"):
        return reads_bookings(user)
    return is_booking_staff(user)


def roles_for_admin(model_label: str, action: str) -> tuple[str, ...]:
    """The roles that may `action` ("view", "add", "change", "delete") rows of a model
    ("app_label.model") in the admin: those `bookings.roles` gives that model permission,
    so the admin and the roles' model permissions never disagree. None for a model no
    role holds: only the administrator manages it."""
    return roles_granting(model_label, action)


def may_in_admin(user: User, action: str, model_label: str) -> bool:
    """Whether the user's role lets them `action` rows of the model in the admin."""
    return has_role(user, *roles_for_admin(model_label, action))
