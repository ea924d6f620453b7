"""Numbers counted per tenant (``channelhub.numbering``): each series continues after the numbers given so far.

Deal registrations and conflict cases were numbered by their global row id, agreements by
the tenant's highest number of the year; the series start after the highest existing one.
"""

from collections import defaultdict

from django.db import migrations

SERIES = (("Agreement", "AGR"), ("DealRegistration", "DR"), ("ConflictCase", "CC"))


def continue_numbers(apps, schema_editor):
    NumberSequence = apps.get_model("tenancy", "NumberSequence")
    highest: dict[tuple[int, str], int] = defaultdict(int)
    for model_name, prefix in SERIES:
        model = apps.get_model("cooperation", model_name)
        for tenant_id, number in model._base_manager.filter(number__startswith=f"{prefix}-").values_list(
                "tenant_id", "number"):
            parts = number.split("-")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                key = (tenant_id, f"cooperation.{prefix}.{parts[1]}")
                highest[key] = max(highest[key], int(parts[2]))
    for (tenant_id, key), last in highest.items():
        _continue_after(NumberSequence, tenant_id, key, last)


def _continue_after(NumberSequence, tenant_id: int, key: str, highest: int) -> None:
    """The series continues after ``highest``; a series that exists already (a migration run again
    after going back) is only ever raised."""
    row, created = NumberSequence._base_manager.get_or_create(tenant_id=tenant_id, key=key,
                                                              defaults={"last": highest})
    if not created and row.last < highest:
        NumberSequence._base_manager.filter(pk=row.pk).update(last=highest)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0008_audience_tiers"),
        ("tenancy", "0005_number_sequences"),
    ]

    operations = [migrations.RunPython(continue_numbers, migrations.RunPython.noop)]
