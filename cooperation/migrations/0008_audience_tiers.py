# A publication's audience by tier (channelhub.tiers).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cooperation", "0007_leads_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalaudience",
            name="tiers",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="tiers"),
        ),
        migrations.AddField(
            model_name="audience",
            name="tiers",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="tiers"),
        ),
    ]
