"""Market feedback in the partner portal: the partner's own items with the tenant's answers, a form to send
one (with an attachment), and the attachment's download for the partner's own staff."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from channelhub.partners.models import Product, Region
from channelhub.portal.mixins import PortalMixin
from channelhub.portal.registry import portal_nav
from channelhub.writes import add_service_errors

from .. import selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import Feedback, FeedbackCategory

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
    attachment = forms.FileField(label=_("attachment (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class FeedbackAttachmentView(PortalMixin, DetailView):
    """The item's attachment, for the partner's own staff only."""

    model = Feedback

    def get_queryset(self):
        return Feedback.objects.filter(partner_id=self.partner.pk).exclude(attachment="")

    def get(self, request, *args, **kwargs):
        feedback = self.get_object()
        try:
            handle = feedback.attachment.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        return FileResponse(handle, as_attachment=True, filename=feedback.attachment_name,
                            content_type=feedback.attachment_type)
