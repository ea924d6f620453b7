"""Service tickets get a number counted within the tenant and year (ST-2026-000001), like deals.

Existing tickets are numbered per tenant and year in the order they were opened, and each
series continues after them (``channelhub.numbering``).
"""

from collections import defaultdict

from django.db import migrations, models


def number_tickets(apps, schema_editor):
    ServiceTicket = apps.get_model("cooperation", "ServiceTicket")
    NumberSequence = apps.get_model("tenancy", "NumberSequence")
    last: dict[tuple[int, int], int] = defaultdict(int)
    for ticket in ServiceTicket._base_manager.order_by("opened_at", "pk").only("pk", "tenant_id", "opened_at"):
        key = (ticket.tenant_id, ticket.opened_at.year)
        last[key] += 1
        ServiceTicket._base_manager.filter(pk=ticket.pk).update(number=f"ST-{key[1]}-{last[key]:06d}")
    for (tenant_id, year), n in last.items():
        _continue_after(NumberSequence, tenant_id, f"cooperation.ST.{year}", n)


def _continue_after(NumberSequence, tenant_id: int, key: str, highest: int) -> None:
    """The series continues after ``highest``; a series that exists already (a migration run again
    after going back) is only ever raised."""
    row, created = NumberSequence._base_manager.get_or_create(tenant_id=tenant_id, key=key,
                                                              defaults={"last": highest})
    if not created and row.last < highest:
        NumberSequence._base_manager.filter(pk=row.pk).update(last=highest)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0009_number_series"),
    ]

    operations = [
        migrations.AddField(
            model_name="serviceticket", name="number",
            field=models.CharField(default="", editable=False, max_length=20, verbose_name="number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalserviceticket", name="number",
            field=models.CharField(default="", editable=False, max_length=20, verbose_name="number"),
            preserve_default=False,
        ),
        migrations.RunPython(number_tickets, migrations.RunPython.noop),
    ]
