"""Mark requests whose start has passed undecided as expired (SPEC §2.3); run from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from bookings.services import bookings_expire


class Command(BaseCommand):
    help = "Expire booking requests whose start has passed without a decision."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = bookings_expire()
        self.stdout.write(
            ngettext("%(count)d request expired.", "%(count)d requests expired.", expired)
            % {"count": expired}
        )
