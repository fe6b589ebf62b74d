"""The house-wide rule defaults, and on PostgreSQL the overlap guarantee (SPEC §2.4).

The exclusion constraint is PostgreSQL-only: SQLite has no such constraint, and there the
services serialise check-and-write in IMMEDIATE transactions instead.
"""

from django.db import migrations

CREATE_CONSTRAINT = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_occupancy
    ADD CONSTRAINT occupancy_no_overlap
    EXCLUDE USING gist (space_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (kind IN ('approved', 'closed'));
"""

DROP_CONSTRAINT = "ALTER TABLE bookings_occupancy DROP CONSTRAINT occupancy_no_overlap;"


def add_overlap_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_CONSTRAINT)


def drop_overlap_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_CONSTRAINT)


def create_house_rules(apps, schema_editor):
    HouseRules = apps.get_model("bookings", "HouseRules")
    HouseRules.objects.get_or_create(
        pk=1,
        defaults={
            "slot_minutes": 30,
            "min_duration_minutes": 60,
            "max_duration_minutes": 12 * 60,
            "setup_buffer_minutes": 15,
            "cleanup_buffer_minutes": 15,
            "min_notice_hours": 48,
            "horizon_days": 365,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        migrations.RunPython(create_house_rules, migrations.RunPython.noop),
        migrations.RunPython(add_overlap_constraint, drop_overlap_constraint),
    ]
