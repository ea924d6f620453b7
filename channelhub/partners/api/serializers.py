"""Shape partners, contacts, regions and products for the API. Validation of rules lives in services."""

from __future__ import annotations

import functools
import inspect
import operator
import re

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import is_simple_callable
from rest_framework.relations import PKOnlyObject, RelatedField

from ..models import Partner, PartnerContact, PartnerStatus, Product, Region
from ..selectors import channel_managers
from ..validators import normalise_credit_code


class _Fallback(Exception):
    """A value the lean path does not handle: DRF's own ``get_attribute`` decides (default, skip…)."""


_DISPLAY = re.compile(r"^get_(\w+)_display$")


def _choice_labels(model, attrs: list[str]) -> tuple[str, dict] | None:
    """``get_<field>_display`` of a model field with choices: the field's name and its labels."""
    match = _DISPLAY.match(attrs[0]) if model is not None and len(attrs) == 1 else None
    if match is None:
        return None
    try:
        model_field = model._meta.get_field(match[1])
    except FieldDoesNotExist:
        return None
    if not model_field.choices or not hasattr(model_field, "attname"):
        return None
    # As Model._get_FIELD_display, in the active language (a serializer lives for one request).
    return model_field.attname, {key: str(label) for key, label in model_field.flatchoices
                                 if isinstance(key, str)}


def _plain_column(model, attrs: list[str]) -> bool:
    """``attrs`` names one concrete column of ``model`` (read as a plain attribute, never callable)."""
    if model is None or len(attrs) != 1:
        return False
    try:
        model_field = model._meta.get_field(attrs[0])
    except FieldDoesNotExist:
        return False
    return model_field.concrete and not model_field.is_relation and model_field.attname == attrs[0]


def _lean_reader(field, model):
    """How to read ``field``'s value from an instance without DRF's per-value checks (see below)."""
    if isinstance(field, RelatedField) and field.use_pk_only_optimization() and len(field.source_attrs) == 1:
        name = field.source_attrs[0]
        return lambda instance: instance.serializable_value(name)  # the foreign key's id, no join
    attrs = field.source_attrs
    if _plain_column(model, attrs):
        return operator.attrgetter(attrs[0])
    display = _choice_labels(model, attrs)
    if display is not None:
        attname, labels = display

        def read_label(instance):
            value = getattr(instance, attname)
            if isinstance(value, str) and value in labels:
                return labels[value]
            return getattr(instance, attrs[0])()  # a value outside the choices: Django's own answer

        return read_label
    simple: dict = {}

    def read(instance):
        value = instance
        for position, attr in enumerate(attrs):
            if value is None:
                raise _Fallback
            owner = type(value)
            try:
                value = getattr(value, attr)
            except ObjectDoesNotExist:
                return None
            except AttributeError as error:
                raise _Fallback from error
            if inspect.ismethod(value) or inspect.isfunction(value) or isinstance(value, functools.partial):
                # DRF calls a callable taking no arguments: ask inspect once per class and attribute,
                # not once per row (``get_FOO_display`` is a new partial object on every access).
                key = (position, owner)
                if key not in simple:
                    simple[key] = is_simple_callable(value)
                if simple[key]:
                    value = value()
        return value

    return read


def _lean_converter(field):
    """The field's ``to_representation``, or nothing to do where it would hand the value back."""
    if isinstance(field, RelatedField) and field.use_pk_only_optimization():
        if getattr(field, "pk_field", None) is None:
            return None  # PrimaryKeyRelatedField answers the id it is given
        return lambda value: field.to_representation(PKOnlyObject(pk=value))
    if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
        # DRF asks for the active time zone per value; it is the request's for every row.
        field.timezone = field.default_timezone()
    return field.to_representation


class LeanRepresentation:
    """``to_representation`` for long lists: the same JSON as DRF's, a fraction of the work.

    DRF reads each value through ``Field.get_attribute``, which runs ``inspect.signature`` on
    every bound method it meets (``get_status_display`` twice per row) and walks its error
    handling per value; a page of 50 partners spent most of its time there. Here each field's
    reader and converter are chosen once per serializer (a list reuses one child for every
    row): a column is one ``attrgetter``, a foreign key its id, a method is asked once whether
    it takes no arguments, and anything unusual (a ``None`` half-way along a dotted source, a
    missing attribute) goes back to DRF's path. Values still go through the field's own
    ``to_representation`` (time zones, decimals) except where it would return them unchanged.
    """

    def to_representation(self, instance):
        plan = self.__dict__.get("_lean_plan")
        if plan is None:
            model = getattr(getattr(self, "Meta", None), "model", None)
            plan = self._lean_plan = [
                (field.field_name, _lean_reader(field, model), _lean_converter(field), field)
                for field in self._readable_fields
            ]
        ret = {}
        for name, read, convert, field in plan:
            try:
                value = read(instance)
            except _Fallback:
                # Exactly DRF's Serializer.to_representation for this one value.
                try:
                    attribute = field.get_attribute(instance)
                except serializers.SkipField:
                    continue
                check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                ret[name] = None if check_for_none is None else field.to_representation(attribute)
                continue
            ret[name] = value if value is None or convert is None else convert(value)
        return ret


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), allow_null=True, required=False
    )
    partner_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "name_en", "level", "parent", "path", "partner_count"]
        read_only_fields = ["path"]


class PartnerSerializer(LeanRepresentation, serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.display_name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=channel_managers(), allow_null=True, required=False
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    partner_type_display = serializers.CharField(source="get_partner_type_display", read_only=True)
    contact_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id", "legal_name", "short_name", "english_name", "credit_code", "partner_type",
            "partner_type_display", "status", "status_display", "status_changed_at", "region",
            "region_name", "address", "registered_capital", "founding_year", "staff_count",
            "website", "owner", "notes", "contact_count", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "status_changed_at", "created_at", "updated_at"]

    def validate_credit_code(self, value: str | None) -> str | None:
        return normalise_credit_code(value) or None if value is not None else None


# What the vendor writes about a partner for itself: which channel manager owns the account and
# the internal notes. Partner staff read their own partner through the API without these.
PARTNER_INTERNAL_FIELDS = ("owner", "notes")


class PartnerFacingPartnerSerializer(PartnerSerializer):
    """A partner as its own staff see it (read-only for them: only managers write partners)."""

    class Meta(PartnerSerializer.Meta):
        fields = [name for name in PartnerSerializer.Meta.fields if name not in PARTNER_INTERNAL_FIELDS]
        read_only_fields = fields


class PartnerTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=PartnerStatus.choices, label=_("to status"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PartnerContactSerializer(LeanRepresentation, serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())

    class Meta:
        model = PartnerContact
        fields = ["id", "partner", "name", "title", "email", "phone", "is_primary", "notes"]


class PartnerFacingContactSerializer(PartnerContactSerializer):
    """A contact as partner staff see and edit it: the vendor's internal ``notes`` stay out."""

    class Meta(PartnerContactSerializer.Meta):
        fields = [name for name in PartnerContactSerializer.Meta.fields if name != "notes"]


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = [
            "id", "sku", "name", "name_en", "category", "list_price", "is_active", "description",
        ]
