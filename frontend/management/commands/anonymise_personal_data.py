"""The retention run of SPEC §2.11 (see frontend/personal_data.py for the rule)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from frontend.personal_data import personal_data_anonymise


class Command(BaseCommand):
    help = "Anonymise renters' contact data after the retention period (default 12 months)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--months", type=int, default=getattr(settings, "PERSONAL_DATA_RETENTION_MONTHS", 12)
        )

    def handle(self, *args, **options) -> None:
        counts = personal_data_anonymise(months=options["months"])
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
