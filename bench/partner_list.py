"""The cost of tenant scoping and of the partner list endpoint.

1. A tenant-scoped query (the compile-time ``CurrentTenantId`` filter) against the same
   query written by hand with ``all_tenants.filter(tenant_id=…)``: scoping should be free.
2. ``GET /api/v1/partners/`` (one page of 50, with region, owner and contact counts) against
   a hand-written ``values()`` query plus ``json.dumps`` of the same page: the price of
   the API stack (auth, permissions, filters, serializers).
"""

from __future__ import annotations

import json
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from channelhub.partners.models import Partner, PartnerContact, PartnerType, Region
from channelhub.partners.validators import make_credit_code
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import membership_grant, tenant_create

from .harness import compare, report

PARTNERS_PER_TENANT = 5000


def _build(slug: str, rng: random.Random):
    tenant = tenant_create(name=slug.title(), slug=slug)
    user = membership_grant(
        tenant=tenant, actor=None, email=f"bench@{slug}.example", role=Role.CHANNEL_MANAGER,
        password="bench-Pass-123", send_invitation=False,
    ).membership.user
    with tenant_scope(tenant), transaction.atomic():
        regions = [Region(code=f"R{i}", name=f"区域{i}", level=Region.Level.AREA, path=f"/R{i}/",
                          tenant=tenant) for i in range(20)]
        Region.objects.bulk_create(regions)
        regions = list(Region.objects.all())
        partners = [
            Partner(
                tenant=tenant, legal_name=f"{slug}伙伴{i:05d}有限公司", partner_type=rng.choice(PartnerType.values),
                region=rng.choice(regions), registered_capital=Decimal(rng.randint(50, 5000)),
                credit_code=make_credit_code(f"9131{i:06d}MA{rng.randint(0, 9999999):07d}"[:17]),
            )
            for i in range(PARTNERS_PER_TENANT)
        ]
        Partner.objects.bulk_create(partners, batch_size=1000)
        contacts = [PartnerContact(tenant=tenant, partner=p, name=f"联系人{p.pk}")
                    for p in Partner.objects.all()[:PARTNERS_PER_TENANT // 2]]
        PartnerContact.objects.bulk_create(contacts, batch_size=1000)
    return tenant, user


def run() -> None:
    rng = random.Random(7)
    tenant, user = _build("benchalpha", rng)
    _build("benchbeta", rng)
    print(f"partner_list: {PARTNERS_PER_TENANT} partners in each of 2 tenants")

    with tenant_scope(tenant):
        scoped, by_hand = compare(
            lambda: list(Partner.objects.filter(partner_type="reseller")[:200]),
            lambda: list(Partner.all_tenants.filter(tenant_id=tenant.pk, partner_type="reseller")[:200]),
        )
    report("scoped query (200 rows)", scoped, "hand-filtered query", by_hand)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    def api_page():
        response = client.get("/api/v1/partners/", {"page_size": 50})
        assert response.status_code == 200, response.status_code

    def hand_page():
        rows = list(
            Partner.all_tenants.filter(tenant_id=tenant.pk)
            .annotate(contact_count=Count("contacts"))
            .order_by("legal_name")
            .values("id", "legal_name", "credit_code", "partner_type", "status", "region__name",
                    "owner_id", "contact_count")[:50]
        )
        json.dumps(rows, default=str)

    api, baseline = compare(api_page, hand_page, repeat=20)
    report("GET /api/v1/partners/ (page of 50)", api, "values() + json.dumps", baseline)
