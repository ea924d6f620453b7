"""A 1,000-value histogram for the applications' search expression (PostgreSQL only). Issue #9.

As for the partners' search column (``partners.0010``): the planner's estimate of a rare term
decides between the trigram index and walking the list's order index row by row.
"""

from django.db import migrations

INDEX = "recruitment_application_search_trgm"


def finer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{INDEX}" ALTER COLUMN 1 SET STATISTICS 1000')


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{INDEX}" ALTER COLUMN 1 SET STATISTICS -1')


class Migration(migrations.Migration):

    dependencies = [
        ("recruitment", "0007_scale_indexes"),
    ]

    operations = [
        migrations.RunPython(finer, default, elidable=False),
    ]
