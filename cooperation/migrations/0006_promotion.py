# Cooperation II: promotion support (MDF) budgets, requests and claims.
# Reserved in sequence so the sub-domains could be built side by side; filled as each lands.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cooperation", "0005_service"),
    ]

    operations = []
