# Cooperation II: deal registration, conflict cases and the tenant's direct accounts.
# Reserved in sequence so the sub-domains could be built side by side; filled as each lands.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cooperation", "0003_targets"),
    ]

    operations = []
