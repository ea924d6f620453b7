"""The partners' lean ``to_representation`` (``LeanRepresentation``) answers exactly what DRF's
own serializer answers: same keys in the same order, same values, in every language."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework import serializers

from channelhub.partners import selectors
from channelhub.partners.api.serializers import (
    LeanRepresentation,
    PartnerContactSerializer,
    PartnerFacingContactSerializer,
    PartnerFacingPartnerSerializer,
    PartnerSerializer,
)
from channelhub.partners.models import Partner, PartnerStatus
from tests.conftest import make_member
from tests.factories import PartnerContactFactory, PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _drf(serializer_class, rows) -> list[dict]:
    """What DRF's ModelSerializer would answer (the mixin skipped in the MRO)."""
    serializer = serializer_class(rows, many=True)
    child = serializer.child
    return [super(LeanRepresentation, child).to_representation(row) for row in rows]


def _lean(serializer_class, rows) -> list[dict]:
    return serializer_class(rows, many=True).data


@pytest.fixture
def partners(in_tenant):
    from channelhub.tenancy.roles import Role

    owner = make_member(in_tenant, Role.CHANNEL_MANAGER, username="owner1")
    east = RegionFactory(name="华东", name_en="East China")
    made = [
        PartnerFactory(region=east, owner=owner, registered_capital=Decimal("1234.50"), website="https://a.cn",
                       notes="内部备注", english_name=""),
        PartnerFactory(region=east, owner=None, registered_capital=None, founding_year=None, staff_count=None,
                       short_name=""),
        PartnerFactory(partner_type="reseller"),
    ]
    Partner.objects.filter(pk=made[1].pk).update(status=PartnerStatus.ACTIVE)
    # A value outside the choices (written behind the model's back): Django's display answers it.
    Partner.objects.filter(pk=made[2].pk).update(partner_type="legacy_kind")
    for partner in made[:2]:
        PartnerContactFactory(partner=partner)
    return made


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("serializer_class", [PartnerSerializer, PartnerFacingPartnerSerializer])
def test_partners_serialize_as_drf_does(partners, serializer_class, language):
    with translation.override(language):
        rows = list(selectors.partner_list().order_by("pk"))
        lean, drf = _lean(serializer_class, rows), _drf(serializer_class, rows)
    assert [list(row) for row in lean] == [list(row) for row in drf]  # same keys, same order
    assert json.dumps(lean, sort_keys=False, default=str) == json.dumps(drf, sort_keys=False, default=str)
    assert lean[2]["partner_type_display"] == "legacy_kind"
    assert lean[0]["contact_count"] == 1


@pytest.mark.parametrize("serializer_class", [PartnerContactSerializer, PartnerFacingContactSerializer])
def test_contacts_serialize_as_drf_does(partners, serializer_class):
    rows = list(selectors.contact_list().order_by("pk"))
    assert _lean(serializer_class, rows) == _drf(serializer_class, rows)


def test_a_dotted_source_through_a_missing_object_falls_back_to_drf(in_tenant):
    class WithRegionName(LeanRepresentation, serializers.ModelSerializer):
        region_name = serializers.CharField(source="region.display_name", read_only=True, default="")

        class Meta:
            model = Partner
            fields = ["id", "region_name"]

    partner = PartnerFactory()
    partner.region = None  # not saved: only the attribute chain meets a None half-way
    serializer = WithRegionName(partner)
    assert serializer.data == super(LeanRepresentation, serializer).to_representation(partner)


def test_the_api_list_answers_what_drf_would(partners, manager_api, in_tenant):
    response = manager_api.get("/api/v1/partners/", {"page_size": 50, "ordering": "created_at"})
    rows = list(selectors.partner_list().order_by("created_at", "pk"))
    # In the response's language and the tenant's time zone, as the request ran.
    with translation.override(response["Content-Language"]), timezone.override(in_tenant.zone):
        expected = json.loads(json.dumps(_drf(PartnerSerializer, rows)))
    assert response.json()["results"] == expected


def test_fields_are_built_once_per_class_and_stay_bound_to_the_request_tenant(tenant, other_tenant):
    """The field prototype is shared by requests of every tenant and language: nothing of the
    first one may stick (querysets are compiled per request, messages translated per request)."""
    from channelhub.tenancy.context import tenant_scope

    with tenant_scope(tenant), translation.override("en"):
        theirs = RegionFactory()
        assert PartnerSerializer().fields["region"].queryset.filter(pk=theirs.pk).exists()
    assert "_lean_fields" in PartnerSerializer.__dict__
    with tenant_scope(other_tenant), translation.override("zh-hans"):
        ours = RegionFactory()
        built = PartnerSerializer()
        assert built.fields["region"] is not PartnerSerializer._lean_fields["region"]  # a copy each time
        refused = PartnerSerializer(data={"legal_name": "测试公司", "partner_type": "reseller", "region": theirs.pk})
        assert not refused.is_valid()
        assert "不存在" in str(refused.errors["region"][0])  # the other tenant's region does not exist here
        accepted = PartnerSerializer(data={"legal_name": "测试公司", "partner_type": "reseller", "region": ours.pk})
        assert accepted.is_valid(), accepted.errors


def test_a_list_shares_one_plan_per_language_and_never_builds_fields(partners):
    rows = list(selectors.partner_list().order_by("pk"))
    with translation.override("en"):
        PartnerSerializer(rows, many=True).data  # noqa: B018 (builds the class's plan)
        listing = PartnerSerializer(rows, many=True)
        english = listing.data
        assert "fields" not in listing.child.__dict__  # the rows never built the serializer's fields
    with translation.override("zh-hans"):
        chinese = PartnerSerializer(rows, many=True).data
    assert english[0]["status_display"] != chinese[0]["status_display"]  # each language its own plan
    assert len(PartnerSerializer._lean_plans) >= 2


def test_a_serializer_with_a_method_field_keeps_a_plan_per_instance(in_tenant):
    class WithMethod(LeanRepresentation, serializers.ModelSerializer):
        shout = serializers.SerializerMethodField()

        class Meta:
            model = Partner
            fields = ["id", "shout"]

        def get_shout(self, partner):
            return self.context["prefix"] + partner.legal_name

    partner = PartnerFactory(legal_name="华信")
    assert WithMethod(partner, context={"prefix": "A:"}).data["shout"] == "A:华信"
    assert WithMethod(partner, context={"prefix": "B:"}).data["shout"] == "B:华信"
    assert WithMethod._lean_plans is False
