"""Tracking tokens are stored hashed (SHA-256) in their own table; the raw column goes.

Existing tokens were already e-mailed to applicants: their hashes are copied first, so those
links keep working. Dropping the column also drops it from the audit table, where every
staff role could read the raw tokens.
"""

import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    Application = apps.get_model("recruitment", "Application")
    ApplicationTrackingToken = apps.get_model("recruitment", "ApplicationTrackingToken")
    rows = (
        Application._base_manager.exclude(tracking_token="")
        .values_list("pk", "tenant_id", "tracking_token", "created_at")
        .iterator(chunk_size=2000)
    )
    batch = []
    for pk, tenant_id, token, created_at in rows:
        batch.append(ApplicationTrackingToken(
            application_id=pk, tenant_id=tenant_id, created_at=created_at,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
        ))
        if len(batch) >= 2000:
            ApplicationTrackingToken._base_manager.bulk_create(batch)
            batch = []
    ApplicationTrackingToken._base_manager.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('recruitment', '0005_application_region_verbose_names'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApplicationTrackingToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(editable=False, max_length=64, verbose_name='token hash')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'tracking link',
                'verbose_name_plural': 'tracking links',
            },
        ),
        migrations.AddField(
            model_name='applicationtrackingtoken',
            name='application',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tracking_tokens', to='recruitment.application', verbose_name='application'),
        ),
        migrations.AddField(
            model_name='applicationtrackingtoken',
            name='tenant',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.tenant', verbose_name='tenant'),
        ),
        migrations.AddConstraint(
            model_name='applicationtrackingtoken',
            constraint=models.UniqueConstraint(fields=('tenant', 'token_hash'), name='applicationtrackingtoken_unique'),
        ),
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='application',
            name='application_unique_tracking_token',
        ),
        migrations.RemoveField(
            model_name='application',
            name='tracking_token',
        ),
        migrations.RemoveField(
            model_name='historicalapplication',
            name='tracking_token',
        ),
    ]
