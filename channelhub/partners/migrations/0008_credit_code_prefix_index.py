"""A prefix index on the credit code for ``?q=9131…`` (PostgreSQL only; a no-op on SQLite).

The database's collation is not "C", so the unique (tenant, credit_code) index cannot answer
``LIKE 'prefix%'``; ``varchar_pattern_ops`` can.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS "partners_partner_credit_prefix" ON "partners_partner" '
            '("tenant_id", "credit_code" varchar_pattern_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "partners_partner_credit_prefix"')


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0007_duplicate_check_gist"),
    ]

    operations = [migrations.RunPython(create, drop)]
