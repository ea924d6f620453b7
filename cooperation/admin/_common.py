"""What the cooperation admin modules share: refusals, role sets, the audience form fields."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from channelhub import tiers as tier_contract
from channelhub.admin.autocomplete import SafeAutocompleteSelectMultiple
from channelhub.admin.base import TenantScopedInline
from channelhub.formfields import ModelMultipleChoiceField
from channelhub.partners.models import Partner, PartnerType, Region
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.workflow import IllegalTransition

from ..models import AudiencePartner

REFUSALS = (ValidationError, IllegalTransition, PermissionDenied)


def staff_roles(permission) -> frozenset[str]:
    return permission.roles & STAFF_ROLES


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IllegalTransition):
        return error.message
    return str(error)


def report_refusal(request, error: Exception) -> None:
    messages.error(request, refusal_text(error))


class ReadOnlyInline(TenantScopedInline):
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AudienceForm(forms.ModelForm):
    """The audience of a publication, as four fields beside the publication's own."""

    audience_all = forms.BooleanField(label=_("for all partners"), required=False, initial=True)
    audience_types = forms.MultipleChoiceField(label=_("partner types"), choices=PartnerType.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    audience_tiers = forms.MultipleChoiceField(label=_("tiers"), choices=(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    audience_regions = ModelMultipleChoiceField(label=_("regions"), queryset=Region.objects.none(),
                                                required=False)
    # Searched as the manager types (the admin's autocomplete): a tenant may have 100,000 partners.
    audience_partners = ModelMultipleChoiceField(label=_("named partners"), queryset=Partner.objects.none(),
                                                 required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_tiers"].choices = tier_contract.choices()
        self.fields["audience_regions"].queryset = Region.objects.order_by("path")
        # The widget first: setting the queryset hands the widget its choices.
        self.fields["audience_partners"].widget = SafeAutocompleteSelectMultiple(
            AudiencePartner._meta.get_field("partner"), admin.site)
        self.fields["audience_partners"].queryset = Partner.objects.order_by("legal_name")
        audience = getattr(self.instance, "audience", None) if self.instance.pk else None
        if audience is not None:
            self.initial.update({
                "audience_all": audience.audience_all, "audience_types": audience.partner_type_list,
                "audience_tiers": audience.tier_list,
                "audience_regions": list(audience.region_rows.values_list("region_id", flat=True)),
                "audience_partners": list(audience.partner_rows.values_list("partner_id", flat=True)),
            })

    def audience_fields(self) -> dict:
        data = self.cleaned_data
        return {"audience_all": data.get("audience_all", False), "partner_types": data.get("audience_types") or [],
                "tiers": data.get("audience_tiers") or [],
                "regions": list(data.get("audience_regions") or []),
                "partners": list(data.get("audience_partners") or [])}


AUDIENCE_FIELDSET = (_("Audience"), {"fields": ("audience_all", "audience_types", "audience_tiers",
                                                "audience_regions", "audience_partners")})


class AudienceAdminMixin:
    """Saves the audience fields with the publication (through its service)."""

    def save_model(self, request, obj, form, change) -> None:
        self._audience = form.audience_fields() if hasattr(form, "audience_fields") else {}
        super().save_model(request, obj, form, change)

    def _with_audience(self, fields: dict) -> dict:
        return {**fields, **getattr(self, "_audience", {})}
