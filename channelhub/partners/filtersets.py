"""One FilterSet per list, shared by the API, the admin and the portal."""

from __future__ import annotations

import re

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import search_smart_split

from .models import Partner, PartnerContact, PartnerStatus, PartnerType, Product, Region
from .search import search, search_terms_q
from .selectors import channel_managers
from .validators import normalise_credit_code

SEARCH_FIELDS = ("legal_name", "short_name", "english_name", "credit_code")
# Four or more characters of a unified social credit code, starting with its two digits.
CREDIT_CODE_PREFIX = re.compile(r"[0-9]{2}[0-9A-HJ-NP-RT-UW-Y]{2,16}")
CONTACT_SEARCH_FIELDS = ("name", "title", "email", "phone")


class PartnerFilterSet(django_filters.FilterSet):
    # distinct=False: the filter reads one column of the partner row, so it cannot duplicate rows;
    # django-filter's default (True) made it a SELECT DISTINCT over every column, sorted on disk.
    status = django_filters.MultipleChoiceFilter(choices=PartnerStatus.choices, distinct=False)
    partner_type = django_filters.MultipleChoiceFilter(choices=PartnerType.choices, distinct=False)
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_region", label=_("region (and below)")
    )
    # Declared, not generated: the generated filter would offer every user of the platform as a
    # choice (the browsable API renders it), not this tenant's staff.
    owner = django_filters.ModelChoiceFilter(queryset=channel_managers(), label=_("channel manager"))
    credit_code = django_filters.CharFilter(method="filter_credit_code")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(
        method="filter_q", label=_("name (Chinese, pinyin or English) or credit code contains")
    )
    # DRF's ?search= (UPPER(col) LIKE over the view's search_fields, which no index answers):
    # the indexed search column narrows the rows first; the SearchFilter's answer is unchanged.
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = Partner
        fields = ["status", "partner_type", "region", "owner", "credit_code"]

    def filter_region(self, queryset, name, region: Region | None):
        if region is None:
            return queryset
        return queryset.filter(region__path__startswith=region.path)

    def filter_credit_code(self, queryset, name, value: str):
        # Codes are stored normalised (upper case): an exact match uses the unique index.
        code = normalise_credit_code(value)
        return queryset.filter(credit_code=code) if code else queryset

    def filter_q(self, queryset, name, value: str):
        code = normalise_credit_code(value)
        if CREDIT_CODE_PREFIX.fullmatch(code):
            # A credit-code prefix: a btree prefix scan (migration 0008), not trigrams of digits
            # that half the tenant's codes share.
            return queryset.filter(credit_code__startswith=code)
        # Trigram-indexed search column on PostgreSQL, LIKE on SQLite (see .search).
        return search(queryset, value, fields=SEARCH_FIELDS)

    def filter_search(self, queryset, name, value: str):
        return queryset.filter(search_terms_q(search_smart_split(value), fields=SEARCH_FIELDS))


class PartnerContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("name, title, e-mail or phone contains"))
    # As on partners: the indexed column narrows what DRF's ?search= then checks.
    search = django_filters.CharFilter(method="filter_search", label=_("search"))

    class Meta:
        model = PartnerContact
        fields = ["partner", "is_primary"]

    def filter_q(self, queryset, name, value: str):
        return search(queryset, value, fields=CONTACT_SEARCH_FIELDS)

    def filter_search(self, queryset, name, value: str):
        return queryset.filter(search_terms_q(search_smart_split(value), fields=CONTACT_SEARCH_FIELDS))


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
