"""Export (JSON) or erase one person's data by e-mail address, on their request."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from frontend.personal_data import personal_data_erase, personal_data_export


class Command(BaseCommand):
    help = "Export or erase the personal data kept about one e-mail address."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")

    def handle(self, *args, **options) -> None:
        if options["action"] == "export":
            data = personal_data_export(email=options["email"], actor=None)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            counts = personal_data_erase(email=options["email"], actor=None)
            kept = counts.pop("kept")
            self.stdout.write(json.dumps(counts))
            for reason in kept.values():
                self.stdout.write(f"Kept: {reason}")
