"""Agreement templates and agreements in the admin, with the record's buttons.

The agreement page offers each button only to the roles and states its service admits:
*send to legal review* and *edit text* to managers (draft), *approve* / *return* to legal
(in legal review), *countersign* to owners and managers (signed by the partner), *terminate*
and *renew* to managers (in force). Every button's page opens for tenant staff and shows its
form only when the person may act now; the service checks again.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, TenantScopedInline, has_permission
from channelhub.ratelimit import client_address
from channelhub.tenancy.roles import STAFF_ROLES

from .. import documents, rendering, selectors, services
from ..models import (
    IN_FORCE,
    Agreement,
    AgreementState,
    AgreementTemplate,
    AgreementVersion,
    CooperationSettings,
    LegalReview,
    ReviewDecision,
    Signature,
    TemplateClause,
    TemplateStatus,
)
from ..permissions import (
    AGREEMENT_COUNTERSIGN,
    AGREEMENT_MANAGE,
    AGREEMENT_REVIEW,
    AGREEMENT_TERMINATE,
    SETTINGS_MANAGE,
    TEMPLATE_MANAGE,
)
from ._common import REFUSALS, ReadOnlyInline, report_refusal, staff_roles

S = AgreementState


# --------------------------------------------------------------------------- templates


class ClauseInline(TenantScopedInline):
    model = TemplateClause
    fields = ("order", "kind", "title", "body")
    change_roles = staff_roles(TEMPLATE_MANAGE)

    def _editable(self, obj) -> bool:
        return obj is None or obj.status == TemplateStatus.DRAFT

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)

    def create_object(self, request, obj, fields):
        fields.pop("template", None)
        fields.pop("tenant", None)
        fields.pop("id", None)
        return services.clause_create(tenant=request.tenant, actor=request.user, template=obj.template, **fields)

    def update_object(self, request, obj, fields):
        return services.clause_update(clause=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.clause_delete(clause=obj, actor=request.user)


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(TenantScopedAdmin):
    """Templates: drafts are edited; *publish* checks the required clauses and placeholders."""

    view_roles = STAFF_ROLES
    change_roles = staff_roles(TEMPLATE_MANAGE)
    list_display = ("name", "code", "version", "status", "partner_type", "region", "priority", "language",
                    "published_at")
    list_filter = ("status", "partner_type", "language")
    search_fields = ("name", "code")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    readonly_fields = ("version", "status", "published_at", "placeholders")
    fields = ("code", "name", "version", "status", "language", "partner_type", "region", "priority",
              "term_months", "dispute_method", "dispute_venue", "published_at", "placeholders")
    inlines = [ClauseInline]
    actions = ["publish", "new_version", "retire"]

    def get_queryset(self, request):
        return selectors.template_list()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != TemplateStatus.DRAFT:
            return [*self.fields]
        return [*self.readonly_fields, *(["code"] if obj is not None else [])]

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, TEMPLATE_MANAGE)

    @admin.display(description=_("placeholders"))
    def placeholders(self, obj):
        return "; ".join(f"{{{{{name}}}}}: {label}" for name, label in rendering.PLACEHOLDERS.items())

    def create_object(self, request, obj, fields):
        return services.template_create(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.template_update(template=obj, actor=request.user, **fields)

    def delete_object(self, request, obj):
        services.template_delete(template=obj, actor=request.user)

    def _each(self, request, queryset, service, done: str):
        count = 0
        for template in queryset:
            try:
                service(template=template, actor=request.user)
                count += 1
            except REFUSALS as error:
                messages.error(request, f"{template}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if count:
            messages.success(request, done % {"count": count})

    @admin.action(description=_("Publish (checks the required clauses and placeholders)"), permissions=["manage"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.template_publish, gettext("%(count)d template(s) published."))

    @admin.action(description=_("Start a new version"), permissions=["manage"])
    def new_version(self, request, queryset):
        self._each(request, queryset, services.template_new_version, gettext("%(count)d new version(s) started."))

    @admin.action(description=_("Retire"), permissions=["manage"])
    def retire(self, request, queryset):
        self._each(request, queryset, services.template_retire, gettext("%(count)d template(s) retired."))


# --------------------------------------------------------------------------- agreements


class VersionInline(ReadOnlyInline):
    model = AgreementVersion
    fields = ("number", "created_at", "created_by", "note", "content_hash")
    readonly_fields = fields
    ordering = ("-number",)


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = ("party", "signer_name", "signer_title", "signed_at", "ip_address", "content_hash", "version",
              "voided_at", "void_reason")
    readonly_fields = fields


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Required when you return the agreement: say what must change."))


class CountersignForm(forms.Form):
    signer_name = forms.CharField(label=_("your name"), max_length=100)
    signer_title = forms.CharField(label=_("your title"), max_length=100)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    terminated_on = forms.DateField(label=_("termination date"), initial=timezone.localdate,
                                    widget=forms.DateInput(attrs={"type": "date"}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100}))
    note = forms.CharField(label=_("what changed"), max_length=300, required=False)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ("partner", "template", "title", "start_date", "end_date", "discount", "territory")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "start_date", "end_date", "template"):
            if name in self.fields:
                self.fields[name].required = False
        if "template" in self.fields:
            self.fields["template"].queryset = AgreementTemplate.objects.filter(status=TemplateStatus.PUBLISHED)
            self.fields["template"].help_text = _("Empty: the published template that fits the partner.")


@admin.register(Agreement)
class AgreementAdmin(TenantScopedAdmin):
    """Agreements: drafted from a template; the record's buttons move them through review and signature."""

    form = AgreementForm
    view_roles = STAFF_ROLES
    change_roles = staff_roles(AGREEMENT_MANAGE)
    list_display = ("number", "partner", "title", "state", "start_date", "end_date", "discount", "template")
    list_filter = ("state", "partner__partner_type", ("template", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "title", "partner__legal_name")
    list_select_related = ("partner", "template")
    autocomplete_fields = ("partner",)
    date_hierarchy = "end_date"
    inlines = [VersionInline, SignatureInline]
    actions = ["submit_to_review"]

    def get_queryset(self, request):
        return selectors.agreement_list()

    def get_fields(self, request, obj=None):
        base = ["partner", "template", "title", "start_date", "end_date", "discount", "territory"]
        if obj is None:
            return base
        return [*base, "number", "state", "state_changed_at", "content_hash_shown", "renewal_of", "terminated_on",
                "termination_reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["partner", "template", "number", "state", "state_changed_at", "content_hash_shown",
                    "renewal_of", "terminated_on", "termination_reason"]
        if obj.state not in (S.DRAFT,) or not self.has_change_permission(request, obj):
            readonly += ["title", "start_date", "end_date", "discount", "territory"]
        return readonly

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # agreements are records: a draft is left or terminated, never deleted

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, AGREEMENT_MANAGE)

    @admin.display(description=_("SHA-256 of the text"))
    def content_hash_shown(self, obj):
        return obj.content_hash

    def create_object(self, request, obj, fields):
        partner, template = fields.pop("partner"), fields.pop("template", None)
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        return services.agreement_create(tenant=request.tenant, actor=request.user, partner=partner,
                                         template=template, **fields)

    def update_object(self, request, obj, fields):
        return services.agreement_update(agreement=obj, actor=request.user, **fields)

    @admin.action(description=_("Send to legal review"), permissions=["manage"])
    def submit_to_review(self, request, queryset):
        done = 0
        for agreement in queryset:
            try:
                services.agreement_submit(agreement=agreement, actor=request.user)
                done += 1
            except REFUSALS as error:
                messages.error(request, f"{agreement}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        if done:
            messages.success(request, gettext("%(count)d agreement(s) sent to legal review.") % {"count": done})

    # ---- the record's buttons

    def buttons(self, request, agreement: Agreement) -> dict[str, bool]:
        return {
            "may_submit": agreement.state == S.DRAFT and has_permission(request, AGREEMENT_MANAGE),
            "may_edit_text": agreement.state not in {S.RENEWED, S.EXPIRED, S.TERMINATED}
            and has_permission(request, AGREEMENT_MANAGE),
            "may_review": agreement.state == S.LEGAL_REVIEW and has_permission(request, AGREEMENT_REVIEW),
            "may_countersign": agreement.state == S.PARTNER_SIGNED and has_permission(request, AGREEMENT_COUNTERSIGN),
            "may_terminate": agreement.state in IN_FORCE and has_permission(request, AGREEMENT_TERMINATE),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        agreement = self.get_object(request, unquote(object_id))
        if agreement is not None:
            extra_context = {**(extra_context or {}), **self.buttons(request, agreement)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        site = self.admin_site
        pages = [
            ("submit", self.submit_view), ("review", self.review_view), ("countersign", self.countersign_view),
            ("terminate", self.terminate_view), ("text", self.text_view), ("print", self.print_view),
            ("pdf", self.pdf_view), ("diff", self.diff_view),
        ]
        return [
            *(path(f"<int:pk>/{name}/", site.admin_view(view), name=f"cooperation_agreement_{name}")
              for name, view in pages),
            *super().get_urls(),
        ]

    def _agreement(self, request, pk: int) -> Agreement:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(selectors.agreement_list(), pk=pk)

    def _page(self, request, agreement, template: str, **context):
        return TemplateResponse(request, f"admin/cooperation/agreement/{template}", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": agreement,
            "subtitle": str(agreement), "change_url": reverse("admin:cooperation_agreement_change",
                                                              args=[agreement.pk]),
            **self.buttons(request, agreement), **context,
        })

    def _done(self, request, agreement, message: str):
        messages.success(request, message)
        return redirect("admin:cooperation_agreement_change", agreement.pk)

    def submit_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        if request.method == "POST":
            try:
                services.agreement_submit(agreement=agreement, actor=request.user)
            except REFUSALS as error:
                report_refusal(request, error)
                return redirect("admin:cooperation_agreement_change", agreement.pk)
            return self._done(request, agreement, gettext("Sent to legal review."))
        return self._page(request, agreement, "confirm.html", title=gettext("Send to legal review"),
                          allowed=self.buttons(request, agreement)["may_submit"])

    def review_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        form = ReviewForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.agreement_review(agreement=agreement, actor=request.user,
                                          decision=form.cleaned_data["decision"],
                                          comment=form.cleaned_data["comment"])
            except REFUSALS as error:
                report_refusal(request, error)
                return redirect("admin:cooperation_agreement_review", agreement.pk)
            return self._done(request, agreement, gettext("Your review is recorded."))
        return self._page(request, agreement, "review.html", title=gettext("Legal review"), form=form,
                          allowed=self.buttons(request, agreement)["may_review"],
                          reviews=LegalReview.objects.filter(version__agreement=agreement)
                          .select_related("version", "reviewer").order_by("-created_at"))

    def countersign_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        form = CountersignForm(request.POST if request.method == "POST" else None,
                               initial={"content_hash": agreement.content_hash,
                                        "signer_name": request.user.get_full_name()})
        if request.method == "POST" and form.is_valid():
            try:
                services.agreement_countersign(agreement=agreement, actor=request.user,
                                               ip_address=client_address(request), **form.cleaned_data)
            except REFUSALS as error:
                report_refusal(request, error)
                return redirect("admin:cooperation_agreement_countersign", agreement.pk)
            return self._done(request, agreement, gettext("Countersigned: the agreement is in force."))
        return self._page(request, agreement, "countersign.html", title=gettext("Countersign"), form=form,
                          allowed=self.buttons(request, agreement)["may_countersign"],
                          signatures=selectors.valid_signatures(agreement))

    def terminate_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        form = TerminateForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.agreement_terminate(agreement=agreement, actor=request.user, **form.cleaned_data)
            except REFUSALS as error:
                report_refusal(request, error)
                return redirect("admin:cooperation_agreement_terminate", agreement.pk)
            return self._done(request, agreement, gettext("The agreement is terminated."))
        return self._page(request, agreement, "form.html", title=gettext("Terminate the agreement"), form=form,
                          allowed=self.buttons(request, agreement)["may_terminate"])

    def text_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        form = TextForm(request.POST if request.method == "POST" else None, initial={"text": agreement.text})
        if request.method == "POST" and form.is_valid():
            try:
                services.agreement_edit_text(agreement=agreement, actor=request.user, **form.cleaned_data)
            except REFUSALS as error:
                report_refusal(request, error)
                return redirect("admin:cooperation_agreement_text", agreement.pk)
            return self._done(request, agreement, gettext("The text is saved as a new version."))
        return self._page(request, agreement, "form.html", title=gettext("Edit the text"), form=form,
                          allowed=self.buttons(request, agreement)["may_edit_text"],
                          warning=gettext("Saving a changed text voids every signature and returns the "
                                          "agreement to draft."))

    def print_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        return TemplateResponse(request, "cooperation/agreement_print.html", {
            "agreement": agreement, "version": agreement.current_version,
            "signatures": selectors.valid_signatures(agreement),
        })

    def pdf_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        return documents.agreement_pdf_response(agreement, selectors.valid_signatures(agreement))

    def diff_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        versions = list(AgreementVersion.objects.filter(agreement=agreement).order_by("number"))
        numbers = [v.number for v in versions]
        try:
            new = int(request.GET.get("to") or numbers[-1])
            old = int(request.GET.get("from") or (new - 1 if new > 1 else new))
        except ValueError:
            new, old = numbers[-1], numbers[-1]
        by_number = {v.number: v for v in versions}
        old_v, new_v = by_number.get(old, versions[0]), by_number.get(new, versions[-1])
        return self._page(request, agreement, "diff.html", title=gettext("Compare versions"), versions=versions,
                          old=old_v, new=new_v, table=documents.html_diff(old_v, new_v),
                          unified=documents.unified_diff(old_v, new_v))


@admin.register(CooperationSettings)
class CooperationSettingsAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(SETTINGS_MANAGE)
    list_display = ("__str__", "require_signed_agreement", "reminder_days")
    fields = ("require_signed_agreement", "reminder_days")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        # One row per tenant: once it exists, "add" opens it (a second row would trip the
        # per-tenant constraint on a field the form does not show: an empty POST answered 500).
        existing = CooperationSettings.objects.first() if self.has_add_permission(request) else None
        if existing is not None:
            return redirect("admin:cooperation_cooperationsettings_change", existing.pk)
        return super().add_view(request, form_url, extra_context)

    def create_object(self, request, obj, fields):
        return services.settings_update(tenant=request.tenant, actor=request.user, **fields)

    def update_object(self, request, obj, fields):
        return services.settings_update(tenant=request.tenant, actor=request.user, **fields)
