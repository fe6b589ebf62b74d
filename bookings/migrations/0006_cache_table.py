"""The database cache's table (settings.CACHE_TABLE), so that `migrate` alone gives every
process the shared cache the throttles and the login protection count in."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "heideken_cache"


def create(apps, schema_editor):
    # Django's own createcachetable, for this one table; it leaves an existing one alone.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0005_audit_details_changed")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
