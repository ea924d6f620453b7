from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.roles import Role


class InviteStaffForm(forms.Form):
    email = forms.EmailField(label=_("e-mail"))
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("role"),
        choices=[(Role.PARTNER_USER.value, Role.PARTNER_USER.label),
                 (Role.PARTNER_ADMIN.value, Role.PARTNER_ADMIN.label)],
        initial=Role.PARTNER_USER,
    )
