"""Finer statistics for the search columns (PostgreSQL only; a no-op on SQLite). Issue #9.

With the default statistics (a 100-value histogram) PostgreSQL guessed that ``search_text LIKE
'%dingsheng%'`` matches 1 % of 100,000 partners (82 do), so for a page of 50 in name order it
walked the whole ``(tenant, legal_name, id)`` index filtering row by row (560 ms) instead of
asking the trigram index for the few rows and sorting them. A 1,000-value histogram brings the
estimate of a rare term down to ~100 rows and the plan to the trigram index. Same for contacts
and for the applications' search expression (``recruitment.0008``).
"""

from django.db import migrations

STATEMENTS = [
    'ALTER TABLE "partners_partner" ALTER COLUMN "search_text" SET STATISTICS 1000',
    'ALTER TABLE "partners_partnercontact" ALTER COLUMN "search_text" SET STATISTICS 1000',
]
UNDO = [
    'ALTER TABLE "partners_partner" ALTER COLUMN "search_text" SET STATISTICS -1',
    'ALTER TABLE "partners_partnercontact" ALTER COLUMN "search_text" SET STATISTICS -1',
]


def finer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STATEMENTS:
            schema_editor.execute(statement)


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0009_historicalpartnerchangerequest_partnerchangerequest"),
    ]

    operations = [
        migrations.RunPython(finer, default, elidable=False),
    ]
