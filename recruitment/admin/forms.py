"""The forms of the recruitment admin's actions (reviewers, scorecard, decisions, moves)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.formfields import ModelMultipleChoiceField

from .. import selectors
from ..models import ApplicationState, ReturnTarget


class ReviewersForm(forms.Form):
    reviewers = ModelMultipleChoiceField(
        label=_("reviewers"), queryset=selectors.staff_users(), widget=forms.CheckboxSelectMultiple
    )


class RemoveReviewersForm(forms.Form):
    """Reviewers to take off the selected applications: those assigned to any of them."""

    reviewers = ModelMultipleChoiceField(
        label=_("reviewers"), queryset=selectors.staff_users().none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = selectors.reviewers_of(applications=applications)


class ScorecardForm(forms.Form):
    """A reviewer's scorecard in the admin: a score (0..scale) for every criterion, and a comment.

    The bounds are checked here row by row, so each bad score gets its own message next to its
    criterion and nothing reaches the service; ``services.scorecard_submit`` checks again and
    records the scorecard.
    """

    comment = forms.CharField(
        label=_("comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the approvers should know about your scores."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for item in self.criteria:
            criterion = item.criterion
            bounds = gettext("Give a score from 0 to %(max)s.") % {"max": criterion.scale_max}
            self.fields[self.field_name(criterion)] = forms.DecimalField(
                label=criterion.name, min_value=0, max_value=criterion.scale_max, max_digits=5, decimal_places=2,
                error_messages={"required": gettext("Give a score."), "min_value": bounds, "max_value": bounds,
                                "invalid": gettext("Enter a number, e.g. 4 or 3.5.")},
                widget=forms.NumberInput(attrs={
                    "min": 0, "max": criterion.scale_max, "step": "any", "inputmode": "decimal",
                    "class": "score-input",
                }),
            )

    @staticmethod
    def field_name(criterion) -> str:
        return f"score_{criterion.pk}"

    def rows(self) -> list[dict]:
        """One row per criterion for the template: the criterion, its weight here and its bound field."""
        return [{"criterion": item.criterion, "weight": item.weight, "field": self[self.field_name(item.criterion)]}
                for item in self.criteria]

    def scores(self) -> dict[int, object]:
        return {item.criterion.pk: self.cleaned_data[self.field_name(item.criterion)] for item in self.criteria}


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ReturnForm(DecisionForm):
    return_to = forms.ChoiceField(label=_("return to"), choices=ReturnTarget.choices, initial=ReturnTarget.SCORING)


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("new state"))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [
            (state, label) for state, label in ApplicationState.choices
            if state not in (ApplicationState.DRAFT, ApplicationState.APPROVED)
        ]


class ActivateForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


# --------------------------------------------------------------------------- plans and campaigns
