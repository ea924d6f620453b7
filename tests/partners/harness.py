"""The partners app's entries in the isolation harness (see ``channelhub.testing``).

Imported by ``channelhub.testing.autodiscover()`` as ``tests.partners.harness``. Rows are
built through the factory-boy factories of ``tests/factories.py``, with the side's marker in
every text a page shows, and validated as a form would.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from channelhub.partners.models import (
    PartnerChangeRequest,
    PartnerFigure,
    PartnerStatus,
    PartnerStatusSnapshot,
    PartnerType,
    Region,
)
from channelhub.tenancy.roles import Role
from channelhub.testing import register_action_payload, register_model
from tests.factories import (
    PartnerContactFactory,
    PartnerFactory,
    ProductFactory,
    RegionFactory,
    next_credit_code,
)


def saved(instance):
    instance.full_clean()
    instance.save()
    return instance


register_model(
    RegionFactory._meta.model,
    build=lambda side, marker: saved(RegionFactory.build(
        code=marker, name=marker, name_en=marker, level=Region.Level.AREA)),
    payload=lambda side, marker: {
        "code": marker, "name": marker, "level": Region.Level.PROVINCE, "parent": side.get(Region).pk,
    },
)
register_model(
    PartnerFactory._meta.model,
    build=lambda side, marker: saved(PartnerFactory.build(
        legal_name=f"{marker} Trading Co.", short_name=marker, english_name=marker,
        region=side.get(Region))),
    payload=lambda side, marker: {
        "legal_name": f"{marker} Trading Co.", "short_name": marker,
        "credit_code": next_credit_code(), "partner_type": PartnerType.RESELLER,
        "region": side.get(Region).pk, "owner": side.user(Role.CHANNEL_MANAGER).pk,
    },
)
register_model(
    PartnerContactFactory._meta.model,
    build=lambda side, marker: saved(PartnerContactFactory.build(
        partner=side.partner, name=marker, email=f"{marker.lower()}@example.com")),
    payload=lambda side, marker: {
        "partner": side.partner.pk, "name": marker, "email": f"{marker.lower()}@example.com",
    },
)
register_model(
    ProductFactory._meta.model,
    build=lambda side, marker: saved(ProductFactory.build(
        sku=marker, name=marker, name_en=marker, list_price="10.00")),
    payload=lambda side, marker: {"sku": marker, "name": marker, "category": "Phones", "list_price": "10.00"},
)
register_model(
    PartnerStatusSnapshot,
    build=lambda side, marker: PartnerStatusSnapshot.objects.create(
        day=date.today() - timedelta(days=int(marker[-4:])), status=PartnerStatus.ACTIVE, count=1),
)
register_model(
    PartnerFigure,
    build=lambda side, marker: PartnerFigure.objects.create(
        dimension=PartnerFigure.Dimension.STATUS, key=marker, count=1, computed_at=timezone.now()),
)
register_model(
    PartnerFigure,
    # The dashboard rollup's row; one per (dimension, key), so the key is the marker.
    build=lambda side, marker: PartnerFigure.objects.create(
        dimension=PartnerFigure.Dimension.TYPE, key=marker, count=1, computed_at=timezone.now()),
)
register_action_payload(
    "partners-api:partner-transition", lambda side, obj: {"to_status": PartnerStatus.ONBOARDING}
)


def build_change_request(side, marker):
    partner = side.partner
    if PartnerChangeRequest.objects.filter(partner=partner).exists():
        # One waits per partner: a further fresh row (the role matrix asks for them) gets its own.
        partner = PartnerFactory(legal_name=f"{marker} 有限公司")
    return saved(PartnerChangeRequest(
        partner=partner, changes={"legal_name": f"{marker} Holdings Co."},
        previous={"legal_name": partner.legal_name}, comment=marker))


# A partner's request to change its legal details (made in the portal, decided in the admin):
# one waits per partner, so every side builds at most one through ``get``.
register_model(PartnerChangeRequest, build=build_change_request)
