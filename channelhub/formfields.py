"""Form fields every chapter's forms use in place of Django's, for hostile input.

``ModelMultipleChoiceField`` looks the submitted keys up with ``pk__in=[…]``; on SQLite a
number past 64 bits cannot even be bound to the query (``OverflowError``, a 500) where
PostgreSQL simply finds nothing. Keys the model's own field would refuse (not a number,
outside its integer range) are reported as the usual "not a valid value" form error
before any query runs.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            options = self.queryset.model._meta
            key = options.get_field(self.to_field_name) if self.to_field_name else options.pk
            for item in value:
                try:
                    key.run_validators(key.to_python(item))
                except ValidationError:
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": item}) from None
        return super()._check_values(value)
