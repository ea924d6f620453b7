"""Write-time guards that models alone cannot express."""

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .models import TenantOwnedBase


@receiver(m2m_changed)
def refuse_cross_tenant_m2m(sender, instance, action, model, pk_set, **kwargs) -> None:
    """Many-to-many links between tenant-owned rows stay inside one tenant."""
    if action != "pre_add" or not pk_set:
        return
    if not isinstance(instance, TenantOwnedBase) or not issubclass(model, TenantOwnedBase):
        return
    foreign = model.all_tenants.filter(pk__in=pk_set).exclude(tenant_id=instance.tenant_id)
    if foreign.exists():
        raise ValidationError(_("Select a valid choice. That choice does not exist."))
