"""Import definitions of cooperation's admin: every row checked by the service's rules, written through it."""

from __future__ import annotations

from import_export import fields, resources, widgets

from channelhub.partners.models import Region
from channelhub.partners.validators import normalise_credit_code
from channelhub.tenancy.context import current_tenant_id
from channelhub.tenancy.models import Tenant

from .. import services
from ..models import DirectAccount
from ..names import customer_key

DIRECT_ACCOUNT_FIELDS = ("name", "credit_code", "region", "note", "is_active")


class DirectAccountResource(resources.ModelResource):
    """The vendor's direct accounts (直销客户) as CSV/XLSX: ``name, credit_code, region_code, note, is_active``.

    A row names an existing account by its credit code, or, without one, by its normalised
    name (so 鼎盛电子（上海） updates 上海鼎盛电子科技有限公司's row rather than adding a twin);
    anything else is a new account. Every row passes the service's checks in the preview and
    is written through ``direct_account_create/update`` (permission, history) on confirm.
    """

    region = fields.Field(attribute="region", column_name="region_code",
                          widget=widgets.ForeignKeyWidget(Region, field="code"))

    class Meta:
        model = DirectAccount
        fields = DIRECT_ACCOUNT_FIELDS
        export_order = ("name", "credit_code", "region", "note", "is_active")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def get_instance(self, instance_loader, row):
        code = normalise_credit_code(str(row.get("credit_code") or ""))
        if code:
            return DirectAccount.objects.filter(credit_code=code).first()
        key = customer_key(str(row.get("name") or ""))
        return DirectAccount.objects.filter(name_key=key, credit_code="").first() if key else None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique=False)
        services.direct_account_check(instance)

    def save_instance(self, instance, is_create, row, **kwargs):
        values = {name: getattr(instance, name) for name in DIRECT_ACCOUNT_FIELDS}
        if is_create:
            tenant = Tenant.objects.get(pk=current_tenant_id())
            saved = services.direct_account_create(tenant=tenant, actor=kwargs.get("user"), **values)
            instance.pk = saved.pk
        else:
            services.direct_account_update(account=instance, actor=kwargs.get("user"), **values)
