"""The dated VAT rate table (FINNISH_INVOICING.md; HE 93/2025 for 1.1.2026).

General rate 24 % until 31.8.2024 and 25.5 % from 1.9.2024; food, restaurant and catering
14 % until 31.12.2025 and 13.5 % from 1.1.2026. Letting premises is exempt (VAT Act 27 §)
and has no row. A later change is a new row with its start date.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

RATES = [
    ("general", date(2013, 1, 1), Decimal("24.00")),
    ("general", date(2024, 9, 1), Decimal("25.50")),
    ("catering", date(2013, 1, 1), Decimal("14.00")),
    ("catering", date(2026, 1, 1), Decimal("13.50")),
]


def load_rates(apps, schema_editor):
    VatRate = apps.get_model("invoicing", "VatRate")
    for code, valid_from, rate in RATES:
        VatRate.objects.get_or_create(code=code, valid_from=valid_from, defaults={"rate": rate})


def unload_rates(apps, schema_editor):
    VatRate = apps.get_model("invoicing", "VatRate")
    for code, valid_from, _rate in RATES:
        VatRate.objects.filter(code=code, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]

    operations = [migrations.RunPython(load_rates, unload_rates)]
