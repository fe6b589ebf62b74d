"""Create or refresh the demo staff logins, with new random passwords on every run."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from bookings.roles import ACCOUNTING, BOOKING_STAFF

# One login per staff role (SPEC §1), so a visitor can try both sides of the work.
DEMO_USERS = (("demo-staff", BOOKING_STAFF), ("demo-accounting", ACCOUNTING))


def demo_user(username: str, group_name: str) -> User:
    """The demo user, staff and active, in its group; created without a usable password
    (only this command hands out passwords)."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org", "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif not (user.is_staff and user.is_active):
        user.is_staff = user.is_active = True
        user.save(update_fields=["is_staff", "is_active"])
    # The roles are ensured after migrate; get_or_create covers a database flushed since.
    group, _created = Group.objects.get_or_create(name=group_name)
    user.groups.add(group)
    return user


def new_password() -> str:
    # 16 URL-safe characters, 96 bits: a printed demo password must not be guessable.
    return secrets.token_urlsafe(12)


class Command(BaseCommand):
    help = "Create or update the demo staff users and print their login with new passwords."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        logins = []
        for username, group_name in DEMO_USERS:
            user = demo_user(username, group_name)
            password = new_password()
            user.set_password(password)
            user.save(update_fields=["password"])
            logins.append((username, password, group_name))
        self.stdout.write(
            _(
                "Demo logins for the staff workspace at %(url)s and the admin at %(admin)s "
                "(the passwords change every time this runs):"
            )
            % {"url": f"{settings.SITE_URL}/staff/", "admin": f"{settings.SITE_URL}/admin/"}
        )
        for username, password, group_name in logins:
            self.stdout.write(f"  {username} / {password}  ({group_name})")
