"""Forms of the training admin's pages and actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold import widgets

from channelhub import tiers
from channelhub.formfields import ModelMultipleChoiceField
from channelhub.partners.models import PartnerType
from channelhub.tenancy.selectors import staff_users

from ..models import Course, TrainingPlan


class GenerateForm(forms.Form):
    """The 3-month programme: one on-site session a month, online lessons every week."""

    on_site_courses = ModelMultipleChoiceField(queryset=Course.objects.all(), label=_("on-site courses"),
                                               help_text=_("Rotated month by month."),
                                               widget=widgets.UnfoldAdminCheckboxSelectMultipleWidget)
    online_courses = ModelMultipleChoiceField(queryset=Course.objects.all(), label=_("online lesson courses"),
                                              help_text=_("Rotated lesson by lesson."),
                                              widget=widgets.UnfoldAdminCheckboxSelectMultipleWidget)
    location = forms.CharField(label=_("place of the on-site sessions"), max_length=300,
                               widget=widgets.UnfoldAdminTextInputWidget)
    online_url = forms.URLField(label=_("online lesson link"), widget=widgets.UnfoldAdminURLInputWidget)
    instructor = forms.ModelChoiceField(queryset=staff_users(), required=False, label=_("instructor"),
                                        widget=widgets.UnfoldAdminSelectWidget)
    on_site_days = forms.IntegerField(label=_("days per on-site session"), min_value=1, max_value=5, initial=2,
                                      widget=widgets.UnfoldAdminIntegerFieldWidget)
    online_per_week = forms.IntegerField(label=_("online lessons per week"), min_value=1, max_value=3, initial=1,
                                         widget=widgets.UnfoldAdminIntegerFieldWidget)
    capacity = forms.IntegerField(label=_("on-site capacity"), min_value=1, initial=30,
                                  widget=widgets.UnfoldAdminIntegerFieldWidget)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("Columns: kind, text, points, option_1 … option_6, correct."))


class TrainingPlanForm(forms.ModelForm):
    """The plan with its partner types as boxes to tick (the model keeps them as a list of codes)."""

    partner_types = forms.MultipleChoiceField(
        label=_("partner types"), choices=PartnerType.choices, required=False,
        widget=widgets.UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_("Partners of these types (in the regions below, if any) are trained; add named partners below."))

    tiers = forms.MultipleChoiceField(
        label=_("tiers"), choices=(), required=False, widget=widgets.UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_("Only partners holding one of these tiers (as performance evaluation last set them)."))

    class Meta:
        model = TrainingPlan
        fields = ("name", "goals", "starts_on", "ends_on", "partner_types", "tiers", "include_channel_staff",
                  "self_enrolment", "owner")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The tenant's tiers, read when the form is built (inside the request's tenant).
        self.fields["tiers"].choices = tiers.choices()
