"""Form fields every chapter's forms use in place of Django's, for hostile input (and the one Django lacks).

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


class MultipleFileInput(forms.ClearableFileInput):
    """``<input type="file" multiple>``: Django 5.2 refuses ``multiple`` unless the widget allows it."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's "Uploading multiple files"): ``clean`` returns a list.

    Each file is cleaned like a single ``FileField``'s (empty parts skipped); checking the content
    and counting the files is the service's (or the form's) business.
    """

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files
