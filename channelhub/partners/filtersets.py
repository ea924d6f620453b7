"""One FilterSet per list, shared by the API, the admin and the portal."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Partner, PartnerContact, PartnerStatus, PartnerType, Product, Region
from .selectors import channel_managers


class PartnerFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PartnerStatus.choices)
    partner_type = django_filters.MultipleChoiceFilter(choices=PartnerType.choices)
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("region (and below)")
    )
    # Declared, not generated: the generated filter would offer every user of the platform as a
    # choice (the browsable API renders it), not this tenant's staff.
    owner = django_filters.ModelChoiceFilter(queryset=channel_managers(), label=_("channel manager"))
    credit_code = django_filters.CharFilter(lookup_expr="iexact")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="filter_q", label=_("name or credit code contains"))

    class Meta:
        model = Partner
        fields = ["status", "partner_type", "region", "owner", "credit_code"]

    def filter_region(self, queryset, name, region: Region | None):
        if region is None:
            return queryset
        return queryset.filter(region__path__startswith=region.path)

    def filter_q(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(legal_name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(english_name__icontains=value)
            | Q(credit_code__iexact=value)
        )


class PartnerContactFilterSet(django_filters.FilterSet):
    class Meta:
        model = PartnerContact
        fields = ["partner", "is_primary"]


class RegionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["level", "parent"]


class ProductFilterSet(django_filters.FilterSet):
    min_price = django_filters.NumberFilter(field_name="list_price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="list_price", lookup_expr="lte")

    class Meta:
        model = Product
        fields = ["category", "is_active"]
