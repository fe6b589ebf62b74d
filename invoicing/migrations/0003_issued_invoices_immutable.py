"""Issued invoices cannot change: triggers make the database itself refuse (SPEC §2.7).

The services never write to an issued invoice, the admin shows it read-only, and the
models refuse too; these triggers close every other path (raw SQL, a bulk update, a
future bug). Both databases refuse any UPDATE of an issued invoice, of the lines of an
issued invoice (and new lines on it) and of a stored PDF.

Deletes: PostgreSQL refuses deleting an issued invoice, its lines or a stored PDF.
SQLite gets no DELETE triggers, because Django empties SQLite tables with DELETE (the
`flush` that tests and developers use), while PostgreSQL uses TRUNCATE, which row
triggers do not see; on SQLite the models and the queryset refuse the delete instead.

Caveat for later migrations: SQLite rebuilds a table when a migration alters it, which
drops its triggers; tests/invoicing/test_immutability.py fails if that happens, and the
statements below must then be run again (they are idempotent).
"""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION invoicing_refuse_issued_invoice() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'issued' THEN
        RAISE EXCEPTION 'issued invoice % cannot be changed or deleted', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION invoicing_refuse_issued_line() RETURNS trigger AS $$
DECLARE
    target bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN target := NEW.invoice_id; ELSE target := OLD.invoice_id; END IF;
    IF EXISTS (SELECT 1 FROM invoicing_invoice WHERE id = target AND status = 'issued')
       OR (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM invoicing_invoice WHERE id = NEW.invoice_id AND status = 'issued'))
    THEN
        RAISE EXCEPTION 'the lines of issued invoice % cannot be changed', target
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION invoicing_refuse_pdf_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a stored invoice PDF is never rewritten or deleted'
        USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS invoice_issued_immutable ON invoicing_invoice;
CREATE TRIGGER invoice_issued_immutable BEFORE UPDATE OR DELETE ON invoicing_invoice
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_issued_invoice();
DROP TRIGGER IF EXISTS invoice_line_issued_immutable ON invoicing_invoiceline;
CREATE TRIGGER invoice_line_issued_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON invoicing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_issued_line();
DROP TRIGGER IF EXISTS invoice_pdf_immutable ON invoicing_invoicepdf;
CREATE TRIGGER invoice_pdf_immutable BEFORE UPDATE OR DELETE ON invoicing_invoicepdf
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_pdf_change();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS invoice_issued_immutable ON invoicing_invoice;
DROP TRIGGER IF EXISTS invoice_line_issued_immutable ON invoicing_invoiceline;
DROP TRIGGER IF EXISTS invoice_pdf_immutable ON invoicing_invoicepdf;
DROP FUNCTION IF EXISTS invoicing_refuse_issued_invoice();
DROP FUNCTION IF EXISTS invoicing_refuse_issued_line();
DROP FUNCTION IF EXISTS invoicing_refuse_pdf_change();
"""

SQLITE = [
    "DROP TRIGGER IF EXISTS invoice_issued_immutable",
    """CREATE TRIGGER invoice_issued_immutable BEFORE UPDATE ON invoicing_invoice
    FOR EACH ROW WHEN OLD.status = 'issued'
    BEGIN SELECT RAISE(ABORT, 'an issued invoice cannot be changed'); END""",
    "DROP TRIGGER IF EXISTS invoice_line_update_immutable",
    """CREATE TRIGGER invoice_line_update_immutable BEFORE UPDATE ON invoicing_invoiceline
    FOR EACH ROW WHEN
        (SELECT status FROM invoicing_invoice WHERE id = OLD.invoice_id) = 'issued'
        OR (SELECT status FROM invoicing_invoice WHERE id = NEW.invoice_id) = 'issued'
    BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice cannot be changed'); END""",
    "DROP TRIGGER IF EXISTS invoice_line_insert_immutable",
    """CREATE TRIGGER invoice_line_insert_immutable BEFORE INSERT ON invoicing_invoiceline
    FOR EACH ROW WHEN (SELECT status FROM invoicing_invoice WHERE id = NEW.invoice_id) = 'issued'
    BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice cannot be changed'); END""",
    "DROP TRIGGER IF EXISTS invoice_pdf_immutable",
    """CREATE TRIGGER invoice_pdf_immutable BEFORE UPDATE ON invoicing_invoicepdf
    FOR EACH ROW
    BEGIN SELECT RAISE(ABORT, 'a stored invoice PDF is never rewritten'); END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS invoice_issued_immutable",
    "DROP TRIGGER IF EXISTS invoice_line_update_immutable",
    "DROP TRIGGER IF EXISTS invoice_line_insert_immutable",
    "DROP TRIGGER IF EXISTS invoice_pdf_immutable",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0002_vat_rates")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
