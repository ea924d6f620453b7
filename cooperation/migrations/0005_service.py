# Cooperation II: after-sales service tickets and SLA policies.
# Reserved in sequence so the sub-domains could be built side by side; filled as each lands.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cooperation", "0004_deals"),
    ]

    operations = []
