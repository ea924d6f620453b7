from __future__ import annotations

from django import forms

from .registry import kinds


class PreferencesForm(forms.Form):
    """One "also by e-mail" box per declared kind, labelled with the kind's name."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, email in rows:
            self.fields[kind.key] = forms.BooleanField(label=kind.label, required=False, initial=email)
        self.kinds = {kind.key: kind for kind in kinds()}
