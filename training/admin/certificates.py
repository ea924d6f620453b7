"""Certificates, external qualifications, requirements and lapses in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget

from channelhub import tiers
from channelhub.admin.base import TenantScopedAdmin, UserChoicesMixin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.writes import ServiceTrio

from .. import selectors, services
from ..models import Certificate, Qualification, QualificationLapse, QualificationRequirement, QualificationState
from ..pdf import certificate_pdf
from ..permissions import CERTIFICATE_MANAGE, QUALIFICATION_VERIFY, REQUIREMENT_MANAGE
from ._common import action_form, bulk, staff_roles
from .forms import NoteForm, ReasonForm


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("valid", _("Valid")), ("expiring", _("Expiring within 60 days")), ("expired", _("Expired")),
                ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        import datetime

        from django.utils import timezone

        today = timezone.localdate()
        value = self.value()
        if value == "valid":
            return queryset.filter(revoked_at__isnull=True, expires_on__gte=today)
        if value == "expiring":
            return queryset.filter(revoked_at__isnull=True, expires_on__gte=today,
                                   expires_on__lte=today + datetime.timedelta(days=60))
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_on__lt=today)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Certificate)
class CertificateAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(CERTIFICATE_MANAGE)
    list_display = ("number", "certification", "holder", "partner", "issued_on", "expires_on", "status_display",
                    "is_external")
    list_filter = (StatusFilter, "certification", "is_external")
    search_fields = ("number", "verification_code", "holder__username", "holder__last_name", "partner__legal_name")
    fields = ("certification", "holder", "issued_on", "expires_on")
    readonly_fields = ("number", "partner", "verification_code", "is_external", "revoked_at", "revoke_reason")
    actions = ["revoke_certificates"]

    def get_queryset(self, request):
        return selectors.certificate_list()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "holder":
            from channelhub.tenancy.models import Membership, User

            kwargs["queryset"] = User.objects.filter(
                pk__in=Membership.objects.filter(is_active=True).values("user_id")).order_by("username")
            return super(UserChoicesMixin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        return (*self.fields, *self.readonly_fields) if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        return (*self.fields, *self.readonly_fields) if obj else ()

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_revoke_permission(self, request) -> bool:
        return has_permission(request, CERTIFICATE_MANAGE)

    def create_object(self, request, obj, fields):
        return services.certificate_grant(tenant=request.tenant, actor=request.user, **fields)

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.get_status_display()

    def get_urls(self):
        return [path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="training_certificate_pdf"),
                *super().get_urls()]

    def pdf_view(self, request, pk):
        certificate = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, certificate):
            raise PermissionDenied
        return certificate_pdf(certificate)

    @admin.action(description=_("Revoke…"), permissions=["revoke"])
    def revoke_certificates(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            bulk(request, queryset.filter(revoked_at__isnull=True),
                 lambda row: services.certificate_revoke(certificate=row, actor=request.user,
                                                         reason=form.cleaned_data["reason"]),
                 lambda n: ngettext("%(count)d certificate revoked.", "%(count)d certificates revoked.", n))
            return None
        return action_form(self, request, queryset, form=form, title=gettext("Revoke certificates"),
                           action="revoke_certificates", button=gettext("Revoke"))


@admin.register(Qualification)
class QualificationAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(QUALIFICATION_VERIFY)
    list_display = ("holder", "partner", "certification", "licence_number", "issued_on", "expires_on", "state",
                    "verified_at")
    list_filter = ("state", "certification")
    search_fields = ("licence_number", "holder__username", "holder__last_name", "partner__legal_name")
    readonly_fields = ("holder", "partner", "certification", "licence_number", "issuer", "issued_on", "expires_on",
                       "state", "verified_by", "verified_at", "certificate", "note", "created_at")
    fields = readonly_fields
    actions = ["verify", "reject_qualifications"]

    def get_queryset(self, request):
        return selectors.qualification_list()

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_verify_permission(self, request) -> bool:
        return has_permission(request, QUALIFICATION_VERIFY)

    def get_urls(self):
        return [path("<int:pk>/document/", self.admin_site.admin_view(self.document_view),
                     name="training_qualification_document"), *super().get_urls()]

    def document_view(self, request, pk):
        """The uploaded licence, for the staff who verify it."""
        qualification = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, qualification):
            raise PermissionDenied
        try:
            handle = qualification.document.open("rb") if qualification.document else None
        except FileNotFoundError:
            handle = None
        if handle is None:
            context = {**self.admin_site.each_context(request), "title": gettext("Document"),
                       "opts": self.model._meta, "original": qualification}
            return TemplateResponse(request, "training/admin/no_document.html", context)
        response = FileResponse(handle, as_attachment=True, filename=qualification.document.name.rsplit("/", 1)[-1])
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @admin.action(description=_("Verify"), permissions=["verify"])
    def verify(self, request, queryset):
        bulk(request, queryset.filter(state=QualificationState.PENDING),
             lambda row: services.qualification_verify(qualification=row, actor=request.user),
             lambda n: ngettext("%(count)d qualification verified.", "%(count)d qualifications verified.", n))

    @admin.action(description=_("Reject…"), permissions=["verify"])
    def reject_qualifications(self, request, queryset):
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            bulk(request, queryset.filter(state=QualificationState.PENDING),
                 lambda row: services.qualification_reject(qualification=row, actor=request.user,
                                                           note=form.cleaned_data["note"]),
                 lambda n: ngettext("%(count)d qualification rejected.", "%(count)d qualifications rejected.", n))
            return None
        return action_form(self, request, queryset, form=form, title=gettext("Reject qualifications"),
                           action="reject_qualifications", button=gettext("Reject"))


@admin.register(QualificationRequirement)
class QualificationRequirementAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(REQUIREMENT_MANAGE)
    list_display = ("partner_type", "tier_label", "certification", "min_staff", "purpose")
    list_filter = ("partner_type", "purpose")
    writes = ServiceTrio(create=services.requirement_create, update=services.requirement_update,
                         delete=services.requirement_delete, instance="requirement")

    @admin.display(description=_("tier"), ordering="tier")
    def tier_label(self, obj) -> str:
        return tiers.label_of(obj.tier) if obj.tier else gettext("Every tier")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tier":
            # The tenant's tiers, read when the form is built (inside the request's tenant).
            return forms.ChoiceField(label=db_field.verbose_name, help_text=db_field.help_text, required=False,
                                     choices=[("", gettext("Every tier")), *tiers.choices()],
                                     widget=UnfoldAdminSelectWidget)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return selectors.requirement_list()


@admin.register(QualificationLapse)
class QualificationLapseAdmin(TenantScopedAdmin):
    """Partners flagged by the lapse check: the manager's work queue lists the open ones."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("partner", "requirement", "holders", "detected_at", "resolved_at")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter), "requirement__certification")
    search_fields = ("partner__legal_name", "partner__short_name")
    fields = ("partner", "requirement", "holders", "detected_at", "resolved_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.lapse_list(open_only=False)
