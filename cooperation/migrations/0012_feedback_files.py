"""Market feedback takes several files: ``FeedbackFile`` rows replace the item's single attachment.

Every existing attachment becomes the item's first ``FeedbackFile`` (the stored file stays where it is; the
row points at it), then the four attachment columns go. Running the copy again adds nothing twice. Going
back copies each item's first file into the attachment columns again (further files keep their stored
bytes but lose their rows).
"""

import cooperation.models.feedback
import cooperation.storage
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def copy_attachments(apps, schema_editor):
    Feedback = apps.get_model("cooperation", "Feedback")
    FeedbackFile = apps.get_model("cooperation", "FeedbackFile")
    done = set(FeedbackFile._base_manager.values_list("feedback_id", flat=True))
    rows = (Feedback._base_manager.exclude(attachment="").exclude(attachment__isnull=True).order_by("pk")
            .only("pk", "tenant_id", "partner_id", "attachment", "attachment_name", "attachment_type",
                  "attachment_size", "submitted_by_id", "submitted_at"))
    files = [
        FeedbackFile(tenant_id=row.tenant_id, feedback_id=row.pk, partner_id=row.partner_id,
                     file=row.attachment.name,
                     original_name=(row.attachment_name or row.attachment.name.rsplit("/", 1)[-1])[-200:],
                     content_type=row.attachment_type or "application/octet-stream", size=row.attachment_size or 0,
                     uploaded_by_id=row.submitted_by_id, uploaded_at=row.submitted_at)
        for row in rows.iterator(chunk_size=2000) if row.pk not in done
    ]
    FeedbackFile._base_manager.bulk_create(files, batch_size=500)
    _checks_now(schema_editor)


def copy_first_file_back(apps, schema_editor):
    Feedback = apps.get_model("cooperation", "Feedback")
    FeedbackFile = apps.get_model("cooperation", "FeedbackFile")
    seen: set[int] = set()
    for row in FeedbackFile._base_manager.order_by("feedback_id", "pk").iterator(chunk_size=2000):
        if row.feedback_id in seen:
            continue
        seen.add(row.feedback_id)
        Feedback._base_manager.filter(pk=row.feedback_id).update(
            attachment=row.file.name, attachment_name=row.original_name, attachment_type=row.content_type,
            attachment_size=row.size)
    _checks_now(schema_editor)


def _checks_now(schema_editor) -> None:
    """PostgreSQL refuses to alter a table with pending (deferred) foreign-key checks in the same
    transaction: run them now, before the columns and tables change."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ('cooperation', '0011_service_ticket_unique_number'),
        ('partners', '0010_search_statistics'),
        ('tenancy', '0005_number_sequences'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalFeedbackFile',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('file', models.TextField(max_length=300, verbose_name='file')),
                ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                ('content_type', models.CharField(max_length=100, verbose_name='content type')),
                ('size', models.PositiveIntegerField(verbose_name='size')),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('feedback', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.feedback', verbose_name='market feedback')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('partner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='partner')),
                ('tenant', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.tenant', verbose_name='tenant')),
                ('uploaded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'historical feedback file',
                'verbose_name_plural': 'historical feedback files',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='FeedbackFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=300, storage=cooperation.storage.PrivateStorage(), upload_to=cooperation.models.feedback.feedback_upload_to, verbose_name='file')),
                ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                ('content_type', models.CharField(max_length=100, verbose_name='content type')),
                ('size', models.PositiveIntegerField(verbose_name='size')),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded at')),
                ('feedback', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='cooperation.feedback', verbose_name='market feedback')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='partner')),
                ('tenant', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.tenant', verbose_name='tenant')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'feedback file',
                'verbose_name_plural': 'feedback files',
                'ordering': ['feedback', 'pk'],
                'indexes': [models.Index(fields=['tenant', 'feedback'], name='coop_feedbackfile_feedback')],
            },
        ),
        migrations.RunPython(copy_attachments, copy_first_file_back),
        migrations.RemoveField(
            model_name='feedback',
            name='attachment',
        ),
        migrations.RemoveField(
            model_name='feedback',
            name='attachment_name',
        ),
        migrations.RemoveField(
            model_name='feedback',
            name='attachment_size',
        ),
        migrations.RemoveField(
            model_name='feedback',
            name='attachment_type',
        ),
        migrations.RemoveField(
            model_name='historicalfeedback',
            name='attachment',
        ),
        migrations.RemoveField(
            model_name='historicalfeedback',
            name='attachment_name',
        ),
        migrations.RemoveField(
            model_name='historicalfeedback',
            name='attachment_size',
        ),
        migrations.RemoveField(
            model_name='historicalfeedback',
            name='attachment_type',
        ),
    ]
