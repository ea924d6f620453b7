# Cooperation II: after-sales service tickets and SLA policies (service levels per priority, tickets,
# comments). Reserved in sequence so the sub-domains could be built side by side.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0004_deals'),
        ('partners', '0010_search_statistics'),
        ('tenancy', '0003_job_cadences_quarterly_yearly'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalServiceLevel',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], max_length=8, verbose_name='priority')),
                ('response_hours', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(2160)], verbose_name='response within (hours)')),
                ('resolution_hours', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(8760)], verbose_name='resolution within (hours)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('tenant', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.tenant', verbose_name='tenant')),
            ],
            options={
                'verbose_name': 'historical service level',
                'verbose_name_plural': 'historical service levels',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalServiceTicket',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('customer_name', models.CharField(max_length=200, verbose_name='end customer')),
                ('customer_contact', models.CharField(blank=True, help_text='Name, telephone or e-mail of the person to call back.', max_length=200, verbose_name='customer contact')),
                ('subject', models.CharField(max_length=200, verbose_name='subject')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], default='normal', max_length=8, verbose_name='priority')),
                ('state', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('waiting_customer', 'Waiting for the customer'), ('resolved', 'Resolved'), ('closed', 'Closed')], default='open', editable=False, max_length=16, verbose_name='state')),
                ('state_changed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='state changed at')),
                ('raised_by_vendor', models.BooleanField(default=False, editable=False, verbose_name='raised by the vendor')),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='opened at')),
                ('response_due_at', models.DateTimeField(editable=False, verbose_name='response due')),
                ('resolution_due_at', models.DateTimeField(editable=False, verbose_name='resolution due')),
                ('first_response_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first response at')),
                ('resolved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='resolved at')),
                ('closed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='closed at')),
                ('breached_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='SLA breach recorded at')),
                ('resolution', models.TextField(blank=True, editable=False, verbose_name='resolution')),
                ('resolution_hours', models.DecimalField(blank=True, decimal_places=2, editable=False, max_digits=9, null=True, verbose_name='hours to resolve')),
                ('resolved_in_time', models.BooleanField(blank=True, editable=False, null=True, verbose_name='resolved within the SLA')),
                ('satisfaction', models.PositiveSmallIntegerField(blank=True, editable=False, help_text='1 (very unhappy) to 5 (very happy).', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='customer satisfaction')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('partner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='partner')),
                ('product', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.product', verbose_name='product')),
                ('raised_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                ('tenant', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.tenant', verbose_name='tenant')),
            ],
            options={
                'verbose_name': 'historical service ticket',
                'verbose_name_plural': 'historical service tickets',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ServiceTicket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('customer_name', models.CharField(max_length=200, verbose_name='end customer')),
                ('customer_contact', models.CharField(blank=True, help_text='Name, telephone or e-mail of the person to call back.', max_length=200, verbose_name='customer contact')),
                ('subject', models.CharField(max_length=200, verbose_name='subject')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], default='normal', max_length=8, verbose_name='priority')),
                ('state', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('waiting_customer', 'Waiting for the customer'), ('resolved', 'Resolved'), ('closed', 'Closed')], default='open', editable=False, max_length=16, verbose_name='state')),
                ('state_changed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='state changed at')),
                ('raised_by_vendor', models.BooleanField(default=False, editable=False, verbose_name='raised by the vendor')),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='opened at')),
                ('response_due_at', models.DateTimeField(editable=False, verbose_name='response due')),
                ('resolution_due_at', models.DateTimeField(editable=False, verbose_name='resolution due')),
                ('first_response_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first response at')),
                ('resolved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='resolved at')),
                ('closed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='closed at')),
                ('breached_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='SLA breach recorded at')),
                ('resolution', models.TextField(blank=True, editable=False, verbose_name='resolution')),
                ('resolution_hours', models.DecimalField(blank=True, decimal_places=2, editable=False, max_digits=9, null=True, verbose_name='hours to resolve')),
                ('resolved_in_time', models.BooleanField(blank=True, editable=False, null=True, verbose_name='resolved within the SLA')),
                ('satisfaction', models.PositiveSmallIntegerField(blank=True, editable=False, help_text='1 (very unhappy) to 5 (very happy).', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='customer satisfaction')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='partner')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.product', verbose_name='product')),
                ('raised_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                ('tenant', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.tenant', verbose_name='tenant')),
            ],
            options={
                'verbose_name': 'service ticket',
                'verbose_name_plural': 'service tickets',
                'ordering': ['-opened_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='TicketComment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_vendor', models.BooleanField(default=False, verbose_name='from the vendor')),
                ('is_internal', models.BooleanField(default=False, help_text="Seen by the vendor's staff only, never by the partner.", verbose_name='internal note')),
                ('body', models.TextField(verbose_name='comment')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='written at')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partners.partner', verbose_name='partner')),
                ('tenant', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.tenant', verbose_name='tenant')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='cooperation.serviceticket', verbose_name='service ticket')),
            ],
            options={
                'verbose_name': 'ticket comment',
                'verbose_name_plural': 'ticket comments',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ServiceLevel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priority', models.CharField(choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High'), ('urgent', 'Urgent')], max_length=8, verbose_name='priority')),
                ('response_hours', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(2160)], verbose_name='response within (hours)')),
                ('resolution_hours', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(8760)], verbose_name='resolution within (hours)')),
                ('tenant', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.tenant', verbose_name='tenant')),
            ],
            options={
                'verbose_name': 'service level',
                'verbose_name_plural': 'service levels',
                'ordering': ['resolution_hours'],
                'constraints': [models.UniqueConstraint(fields=('tenant', 'priority'), name='coop_servicelevel_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='serviceticket',
            index=models.Index(fields=['tenant', 'state', 'resolution_due_at'], name='coop_ticket_due'),
        ),
        migrations.AddIndex(
            model_name='serviceticket',
            index=models.Index(fields=['tenant', 'breached_at', 'state'], name='coop_ticket_breached'),
        ),
        migrations.AddIndex(
            model_name='serviceticket',
            index=models.Index(fields=['tenant', 'partner', 'opened_at'], name='coop_ticket_partner'),
        ),
        migrations.AddIndex(
            model_name='serviceticket',
            index=models.Index(fields=['tenant', 'resolved_at', 'partner'], name='coop_ticket_resolved'),
        ),
        migrations.AddConstraint(
            model_name='serviceticket',
            constraint=models.CheckConstraint(condition=models.Q(('satisfaction__isnull', True), models.Q(('satisfaction__gte', 1), ('satisfaction__lte', 5)), _connector='OR'), name='coop_ticket_satisfaction_1_5'),
        ),
        migrations.AddIndex(
            model_name='ticketcomment',
            index=models.Index(fields=['tenant', 'ticket', 'created_at'], name='coop_ticketcomment_ticket'),
        ),
        migrations.AddConstraint(
            model_name='ticketcomment',
            constraint=models.CheckConstraint(condition=models.Q(('is_internal', False), ('from_vendor', True), _connector='OR'), name='coop_ticketcomment_internal_is_vendor'),
        ),
    ]
