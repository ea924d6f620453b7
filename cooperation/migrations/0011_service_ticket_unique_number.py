"""The ticket numbers given by 0010 are unique within the tenant (a migration of its own: PostgreSQL
does not alter a table in the transaction that just updated its rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0010_service_ticket_numbers"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="serviceticket",
            constraint=models.UniqueConstraint(fields=("tenant", "number"), name="coop_ticket_unique_number"),
        ),
    ]
