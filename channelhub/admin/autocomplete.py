"""Autocomplete widgets that survive a re-rendered form whose value is junk.

Django's ``AutocompleteSelect`` re-renders an invalid form by looking its submitted value
up with ``pk__in=[value]``: a value that is not a number ("abc", "\u202e") raises
``ValueError`` in the template and the page answers 500 instead of showing the form error.
Values the target field cannot even parse, or that lie outside its integer range, are
dropped before the lookup; the form field has already reported them ("Select a valid
choice").
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ParsedValuesOnly:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.attname)
        parsed = []
        for item in value:
            try:
                # The range validators too: SQLite cannot even bind an integer past 64 bits.
                target.run_validators(target.to_python(item))
            except ValidationError:
                continue
            parsed.append(item)
        return super().optgroups(name, parsed, attr)


class SafeAutocompleteSelect(_ParsedValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ParsedValuesOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For ``ModelAdmin`` and inlines: ``autocomplete_fields`` get the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
