"""Indexes for the applications API's keyset pages (``?cursor=``; issue #9). PostgreSQL only.

A cursor page continues after the last row's value of the ordering, which is cheap only when an
index that begins with the tenant gives the rows in that order. ``created_at`` has one
(``0007``); these two cover the other orderings a cursor accepts
(``recruitment.api.pagination.KEYSET_ORDERINGS``). As in ``0007``, the model state does not
change and SQLite gets nothing.
"""

from django.db import migrations

INDEXES = {
    "recruitment_application_tenant_state_changed":
        'ON "recruitment_application" ("tenant_id", "state_changed_at", "id")',
    "recruitment_application_tenant_legal_name":
        'ON "recruitment_application" ("tenant_id", "legal_name", "id")',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" {definition}')


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("recruitment", "0009_dashboard_figures"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
