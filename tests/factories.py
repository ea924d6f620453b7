"""factory-boy factories. Tenant-owned factories build inside the current tenant scope.

Use them inside ``tenant_scope(tenant)`` (the ``in_tenant`` fixture does that); the row
takes the current tenant, exactly as production code does.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from channelhub.partners.models import Partner, PartnerContact, PartnerType, Product, Region
from channelhub.partners.validators import make_credit_code
from channelhub.tenancy.models import ApiKey, Membership, Tenant, User
from channelhub.tenancy.roles import Role

_credit_serial = itertools.count(1)


def next_credit_code() -> str:
    return make_credit_code(f"91310000MA{next(_credit_serial):07d}")


class TenantFactory(DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tenant {n}")
    slug = factory.Sequence(lambda n: f"tenant-{n}")
    default_language = "en"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = "Test"
    password = factory.PostGenerationMethodCall("set_password", "pw-Secret-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"区域{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    level = Region.Level.AREA
    parent = None


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    legal_name = factory.Sequence(lambda n: f"测试伙伴{n}有限公司")
    short_name = factory.Sequence(lambda n: f"伙伴{n}")
    english_name = factory.Sequence(lambda n: f"Partner {n} Ltd.")
    credit_code = factory.LazyFunction(next_credit_code)
    partner_type = PartnerType.DISTRIBUTOR
    region = factory.SubFactory(RegionFactory)
    registered_capital = Decimal("500.00")
    founding_year = 2010
    staff_count = 25


class PartnerContactFactory(DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    title = "Sales"
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")
    phone = "13800000000"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"产品{n}")
    name_en = factory.Sequence(lambda n: f"Product {n}")
    category = "Phones"
    list_price = Decimal("1999.00")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.CHANNEL_MANAGER
    partner = None


class ApiKeyFactory(DjangoModelFactory):
    """Builds a key row directly; use ``api_key_create`` when the secret is needed."""

    class Meta:
        model = ApiKey

    name = factory.Sequence(lambda n: f"integration-{n}")
    role = Role.CHANNEL_MANAGER
    prefix = factory.Sequence(lambda n: f"{n:08x}")
    key_hash = "0" * 64
    service_user = factory.SubFactory(UserFactory)
