"""Credit notes in parts and the product of each line (for its ledger account).

An invoice may now have several credit notes (the one-to-one link becomes a foreign
key), each crediting chosen lines (`credited_line`) or amounts by VAT rate. A line
records what it sells (`product`), which picks its ledger account; a discount line on a
draft names the line it discounts, and the audit trail records those draft edits.

Existing lines get their product from what they already show: no booking, a line typed
by hand; a booking the renter cancelled, its cancellation fee (extras are not billed
then); room time (hours, half days, days), the room; anything else, an extra. Filling
the new column is no change to what an issued invoice says, so the immutability
triggers of 0003 are lifted for it and then set again (SQLite also drops them when it
rebuilds the altered tables).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

immutable = importlib.import_module("invoicing.migrations.0003_issued_invoices_immutable")

ROOM_UNITS = ("h", "half_day", "day")
ACTIONS = [
    "issued",
    "sent",
    "credited",
    "payment_manual",
    "payment_reference",
    "payment_statement",
    "reminded",
    "line_added",
    "discount_added",
    "line_removed",
]
ACTION_LABELS = {
    "issued": "Issued",
    "sent": "Sent",
    "credited": "Credited",
    "payment_manual": "Payment recorded by hand",
    "payment_reference": "Payment matched by reference",
    "payment_statement": "Payment from a bank statement",
    "reminded": "Payment reminder",
    "line_added": "Line added to the draft",
    "discount_added": "Discount added to the draft",
    "line_removed": "Line removed from the draft",
}


def fill_products(apps, schema_editor):
    line_model = apps.get_model("invoicing", "InvoiceLine")
    lines = line_model.objects.all()
    lines.filter(booking__isnull=True).update(product="manual")
    booked = lines.filter(booking__isnull=False)
    booked.filter(booking__status="cancelled").update(product="cancellation_fee")
    booked.exclude(booking__status="cancelled").filter(unit__in=ROOM_UNITS).update(product="room")
    booked.exclude(booking__status="cancelled").exclude(unit__in=ROOM_UNITS).update(
        product="extra"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0009_cancellation_terms"),
        ("invoicing", "0006_payment_reminders"),
    ]

    operations = [
        migrations.RunPython(immutable.drop_triggers, immutable.create_triggers),
        migrations.AddField(
            model_name="invoiceline",
            name="credited_line",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="credits",
                to="invoicing.invoiceline",
            ),
        ),
        migrations.AddField(
            model_name="invoiceline",
            name="discounted_line",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="discounts",
                to="invoicing.invoiceline",
            ),
        ),
        migrations.AddField(
            model_name="invoiceline",
            name="product",
            field=models.CharField(
                choices=[
                    ("room", "Room rental"),
                    ("extra", "Extra"),
                    ("cancellation_fee", "Cancellation fee"),
                    ("manual", "Manual line"),
                    ("discount", "Discount"),
                ],
                default="manual",
                max_length=20,
                verbose_name="product",
            ),
        ),
        migrations.AlterField(
            model_name="invoice",
            name="credited_invoice",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="credit_notes",
                to="invoicing.invoice",
                verbose_name="credits invoice",
            ),
        ),
        migrations.AddConstraint(
            model_name="invoiceline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("product__in", ["room", "extra", "cancellation_fee", "manual", "discount"])
                ),
                name="line_product_valid",
            ),
        ),
        # Lines and discounts typed on drafts are in the audit trail too.
        migrations.RemoveConstraint(model_name="invoiceevent", name="invoice_event_action_valid"),
        migrations.AlterField(
            model_name="invoiceevent",
            name="action",
            field=models.CharField(
                choices=list(ACTION_LABELS.items()), max_length=20, verbose_name="action"
            ),
        ),
        migrations.AddConstraint(
            model_name="invoiceevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", ACTIONS)), name="invoice_event_action_valid"
            ),
        ),
        migrations.RunPython(fill_products, migrations.RunPython.noop),
        migrations.RunPython(immutable.create_triggers, immutable.drop_triggers),
    ]
