"""Market feedback in the partner portal: the partner's own items with the tenant's answers and files, a form to
send one (with several files), and each file's download for the partner's own staff."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from channelhub.formfields import MultipleFileField, MultipleFileInput
from channelhub.partners.models import Product, Region
from channelhub.portal.mixins import PortalMixin
from channelhub.portal.registry import portal_nav
from channelhub.uploads import max_document_bytes
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import FEEDBACK_MAX_FILES, Feedback, FeedbackCategory, FeedbackFile
from ..storage import private_download

portal_nav("cooperation.feedback", label=pgettext_lazy("portal navigation", "Market feedback"),
           url_name="cooperation-portal:feedback-list", order=42, group="business")


class FeedbackListView(PortalMixin, ListView):
    model = Feedback
    template_name = "cooperation/portal/feedback_list.html"
    context_object_name = "items"
    paginate_by = 50

    def get_queryset(self):
        return selectors.feedback_list(partner_id=self.partner.pk).order_by("-submitted_at", "-pk")


class FeedbackForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=FeedbackCategory.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("what you see in the market"), widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=10000)
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.none(), required=False)
    product = forms.ModelChoiceField(label=_("product"), queryset=Product.objects.none(), required=False)
    files = MultipleFileField(label=_("files (PDF, JPEG or PNG)"), required=False,
                              widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are read when the form is built (settings may change them), not at import.
        self.fields["files"].help_text = _("Photos, price lists, reports: up to %(count)d files, %(size)s each.") % {
            "count": FEEDBACK_MAX_FILES, "size": filesizeformat(max_document_bytes())}
        self.fields["region"].queryset = Region.objects.order_by("path")
        self.fields["product"].queryset = Product.objects.filter(is_active=True).order_by("sku")


class FeedbackCreateView(PortalMixin, FormView):
    form_class = FeedbackForm
    template_name = "cooperation/portal/feedback_form.html"

    def get_initial(self):
        return {"region": self.partner.region_id}

    def form_valid(self, form):
        try:
            feedback = services.feedback_submit(tenant=self.request.tenant, actor=self.request.user,
                                                partner=self.partner, **form.cleaned_data)
        except REFUSALS as error:
            add_service_errors(form, error) if hasattr(error, "message_dict") else form.add_error(
                None, refusal_text(error))
            return self.form_invalid(form)
        messages.success(self.request, gettext("Thank you: your channel manager reads it and answers here."))
        return redirect("cooperation-portal:feedback", pk=feedback.pk)


class FeedbackDetailView(PortalMixin, DetailView):
    model = Feedback
    template_name = "cooperation/portal/feedback.html"
    context_object_name = "item"

    def get_queryset(self):
        return selectors.feedback_list(partner_id=self.partner.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(files=list(selectors.feedback_files(self.object)), **kwargs)


class FeedbackFileView(PortalMixin, DetailView):
    """One file of the partner's own feedback, for the partner's own staff only (anything else: 404)."""

    model = FeedbackFile

    def get_queryset(self):
        return FeedbackFile.objects.filter(partner_id=self.partner.pk)

    def get(self, request, *args, **kwargs):
        row = self.get_object()
        return private_download(row.file, filename=row.original_name, content_type=row.content_type)
