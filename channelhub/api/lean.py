"""``LeanRepresentation``: the same JSON as DRF's ModelSerializer for long lists, with less work.

A list of 50 partners spent most of its serializer time in DRF's per-value machinery and in
building the serializer's fields from the model again on every request. The mixin is
generic: any ModelSerializer that lists many rows may put it first in its bases.
"""

from __future__ import annotations

import copy
import functools
import inspect
import operator
import re

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.fields import is_simple_callable
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField


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


# Fields whose to_representation reads only the value (never the context, the parent or the
# request), so one plan serves every request of a class in a language and time zone.
_CONTEXT_FREE = (
    serializers.CharField, serializers.IntegerField, serializers.FloatField, serializers.DecimalField,
    serializers.BooleanField, serializers.DateTimeField, serializers.DateField, serializers.TimeField,
    serializers.ChoiceField, serializers.UUIDField, serializers.ReadOnlyField, PrimaryKeyRelatedField,
)


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

    def get_fields(self):
        # DRF builds a ModelSerializer's fields from the model at every instantiation (per
        # request), though they depend on the class alone: build them once, hand out copies.
        # ``Field.__deepcopy__`` re-instantiates each field from its arguments, as DRF copies its
        # declared fields; querysets stay lazy (the tenant is bound when they are compiled).
        cls = type(self)
        prototype = cls.__dict__.get("_lean_fields")
        if prototype is None:
            prototype = super().get_fields()
            cls._lean_fields = prototype
        return copy.deepcopy(prototype)

    def _build_plan(self) -> list[tuple]:
        model = getattr(getattr(self, "Meta", None), "model", None)
        return [
            (field.field_name, _lean_reader(field, model), _lean_converter(field), field)
            for field in self._readable_fields
        ]

    def _class_plan(self) -> list[tuple] | None:
        """The plan shared by every instance of the class in this language and time zone.

        Only when no field reads the serializer's context or parent (a method field, a link, a
        file URL or a nested serializer would): then the plan is built from a context-free
        instance, and a list's rows never build the serializer's fields at all.
        """
        cls = type(self)
        plans = cls.__dict__.get("_lean_plans")
        if plans is None:
            # A class that chooses its fields itself (per request, say) keeps a plan per instance.
            shared = cls.get_fields is LeanRepresentation.get_fields and all(
                isinstance(field, _CONTEXT_FREE) for field in cls()._readable_fields
            )
            plans = cls._lean_plans = {} if shared else False
        if plans is False:
            return None
        key = (translation.get_language(), timezone.get_current_timezone_name())
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = cls()._build_plan()
        return plan

    def to_representation(self, instance):
        plan = self.__dict__.get("_lean_plan")
        if plan is None:
            plan = self._lean_plan = self._class_plan() or self._build_plan()
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
