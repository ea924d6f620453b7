from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from channelhub.admin.base import RoleGate, TenantScopedAdmin, has_permission, refuse
from channelhub.admin.history import SafeHistoryMixin

from . import services
from .jobs import describe_outcome, registered_jobs
from .lockout import lockout_clear
from .models import ApiKey, Invitation, JobSchedule, Membership, StateTransition, Tenant, User
from .permissions import LOCKOUT_CLEAR
from .roles import MANAGERS, STAFF_ROLES, Role
from .workflow import WORKFLOWS, state_label, workflow_label

OWNERS = frozenset({Role.OWNER})

# Global tables stay with the platform superuser; tenant staff never see them.
for model in (Group, TokenProxy):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class SuperuserOnly:
    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(SuperuserOnly, DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Preferences"), {"fields": ("language",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_superuser", "is_active")


class TenantForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = ["name", "slug", "default_language", "time_zone", "is_active"]


@admin.register(Tenant)
class TenantAdmin(SuperuserOnly, SafeHistoryMixin, SimpleHistoryAdmin, ModelAdmin):
    form = TenantForm
    list_display = ("name", "slug", "default_language", "time_zone", "is_active", "created_at")
    list_filter = ("is_active", "default_language")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            # New tenants get their periodic jobs scheduled.
            created = services.tenant_create(**{f: form.cleaned_data[f] for f in (
                "name", "slug", "default_language", "time_zone")})
            obj.pk = created.pk


@admin.register(Membership)
class MembershipAdmin(TenantScopedAdmin):
    """People's roles here. New access is offered by invitation (``InvitationAdmin``): adding
    a membership opens the invitation form, so nobody's account changes without their consent.
    """

    view_roles = STAFF_ROLES
    change_roles = OWNERS
    list_display = ("user", "user_email", "role", "partner", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name",
                     "partner__legal_name")
    autocomplete_fields = ("partner",)
    list_select_related = ("user", "partner")
    fields = ("user", "role", "partner", "is_active", "created_at")
    readonly_fields = ("user", "role", "partner", "created_at")
    actions = ["deactivate", "reactivate", "unlock_sign_in"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj) -> str:
        return obj.user.email

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:tenancy_invitation_add"))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: the audit trail keeps who had access when

    def create_object(self, request, obj, fields):
        raise PermissionDenied  # unreachable: the add page is the invitation form

    def update_object(self, request, obj, fields):
        if "is_active" in fields:
            if fields["is_active"]:
                return services.membership_reactivate(membership=obj, actor=request.user)
            return services.membership_deactivate(membership=obj, actor=request.user)
        return obj

    @admin.action(description=_("Deactivate selected memberships"), permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        done = 0
        for membership in queryset:
            try:
                services.membership_deactivate(membership=membership, actor=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refuse(request, error, membership)
        messages.success(request, ngettext(
            "%(count)d membership deactivated.", "%(count)d memberships deactivated.", done
        ) % {"count": done})

    @admin.action(description=_("Reactivate selected memberships"), permissions=["change"])
    def reactivate(self, request, queryset) -> None:
        for membership in queryset:
            services.membership_reactivate(membership=membership, actor=request.user)
        messages.success(request, _("Memberships reactivated."))

    def has_lockout_clear_permission(self, request) -> bool:
        return has_permission(request, LOCKOUT_CLEAR)

    @admin.action(description=_("Unlock sign-in of selected people"), permissions=["lockout_clear"])
    def unlock_sign_in(self, request, queryset) -> None:
        """Lift the lockout after failed sign-ins (channelhub.tenancy.lockout)."""
        done = 0
        for membership in queryset.select_related("user"):
            try:
                lockout_clear(actor=request.user, user=membership.user)
                done += 1
            except PermissionDenied as error:
                refuse(request, error, membership)
        messages.success(request, ngettext(
            "%(count)d person can sign in again.", "%(count)d people can sign in again.", done
        ) % {"count": done})


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "last_name", "first_name", "role", "partner", "language"]


@admin.register(Invitation)
class InvitationAdmin(TenantScopedAdmin):
    """Invite someone to a role; their account (if any) changes only when they accept."""

    form = InvitationForm
    view_roles = OWNERS
    change_roles = OWNERS
    list_display = ("email", "role", "partner", "state_display", "invited_by", "sent_at", "expires_at",
                    "accepted_by", "accepted_at")
    list_filter = ("state", "role")
    search_fields = ("email", "last_name", "first_name", "partner__legal_name")
    autocomplete_fields = ("partner",)
    list_select_related = ("partner", "invited_by", "accepted_by")
    readonly_fields = ("email", "last_name", "first_name", "role", "partner", "language", "state_display",
                       "invited_by", "created_at", "sent_at", "expires_at", "accepted_by", "accepted_at")
    actions = ["revoke", "resend"]

    @admin.display(description=_("state"), ordering="state")
    def state_display(self, obj) -> str:
        return obj.get_current_state_display()

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else InvitationForm.Meta.fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the audit trail keeps who was invited by whom

    def create_object(self, request, obj, fields):
        return services.invitation_create(
            tenant=request.tenant, actor=request.user, email=fields["email"], role=fields["role"],
            partner=fields.get("partner"), first_name=fields.get("first_name", ""),
            last_name=fields.get("last_name", ""), language=fields.get("language", ""),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )

    def update_object(self, request, obj, fields):
        return obj  # an invitation is changed by revoking or resending it, not by editing

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        # The same answer for every address: inviting never looks at anyone's account.
        saved = self.create_object(request, obj, form.cleaned_data)
        obj.pk = saved.pk

    @admin.action(description=_("Revoke selected invitations"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        for invitation in queryset.select_related("tenant", "partner"):
            try:
                services.invitation_revoke(invitation=invitation, actor=request.user)
            except (PermissionDenied, ValidationError) as error:
                refuse(request, error, invitation)
        messages.success(request, _("Invitations revoked."))

    @admin.action(description=_("Send selected invitations again"), permissions=["change"])
    def resend(self, request, queryset) -> None:
        base_url = request.build_absolute_uri("/").rstrip("/")
        for invitation in queryset.select_related("tenant", "partner"):
            try:
                services.invitation_resend(invitation=invitation, actor=request.user, base_url=base_url)
            except (PermissionDenied, ValidationError) as error:
                refuse(request, error, invitation)
        messages.success(request, _("Invitations sent again."))


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "role"]


@admin.register(ApiKey)
class ApiKeyAdmin(TenantScopedAdmin):
    form = ApiKeyForm
    view_roles = OWNERS
    change_roles = OWNERS
    list_display = ("name", "role", "prefix", "created_by", "created_at", "last_used_at",
                    "revoked_at")
    list_filter = ("role",)
    search_fields = ("name", "prefix")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("name", "role", "prefix", "created_at", "last_used_at", "revoked_at") if obj else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the audit trail keeps what the key did

    def create_object(self, request, obj, fields):
        issued = services.api_key_create(
            tenant=request.tenant, actor=request.user, name=fields["name"], role=fields["role"],
        )
        messages.warning(request, _(
            "Copy this API key now; it will not be shown again: %(key)s") % {"key": issued.secret})
        return issued.api_key

    def update_object(self, request, obj, fields):
        return obj  # a key is never edited: revoke it and issue another

    @admin.action(description=_("Revoke selected API keys"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        for api_key in queryset:
            try:
                services.api_key_revoke(api_key=api_key, actor=request.user)
            except PermissionDenied as error:
                refuse(request, error, api_key)
        messages.success(request, _("API keys revoked."))


@admin.register(JobSchedule)
class JobScheduleAdmin(TenantScopedAdmin):
    view_roles = MANAGERS
    change_roles = OWNERS
    list_display = ("job_name", "cadence", "hour", "enabled", "next_run_at", "last_run_at",
                    "last_outcome_text")
    list_display_links = ("job_name",)
    list_editable = ("cadence", "hour", "enabled")
    list_filter = ("cadence", "enabled")
    fields = ("job_name", "cadence", "hour", "enabled", "next_run_at", "last_run_at", "last_outcome_text")
    readonly_fields = ("job_name", "last_run_at", "last_outcome_text")

    @admin.display(description=_("job"), ordering="job")
    def job_name(self, obj) -> str:
        # The registered job's label in the reader's language; the stored key is code.
        job = registered_jobs().get(obj.job)
        return str(job.label) if job is not None else obj.job

    @admin.display(description=_("last outcome"))
    def last_outcome_text(self, obj) -> str:
        return describe_outcome(obj.last_outcome)

    actions = ["run_now"]

    def has_add_permission(self, request, *args) -> bool:
        return False  # one row per registered job, created with the tenant

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def update_object(self, request, obj, fields):
        return services.job_schedule_update(schedule=obj, actor=request.user, **fields)

    @admin.action(description=_("Run selected jobs now"), permissions=["change"])
    def run_now(self, request, queryset) -> None:
        for schedule in queryset:
            try:
                services.job_schedule_run_now(schedule=schedule, actor=request.user)
            except PermissionDenied as error:
                refuse(request, error, schedule)
        messages.success(request, _("Jobs started."))


class WorkflowFilter(admin.SimpleListFilter):
    """Workflows by name in the reader's language (the stored key is code)."""

    title = _("workflow")
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return sorted(((name, workflow_label(name)) for name in WORKFLOWS), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(workflow=self.value()) if self.value() in WORKFLOWS else queryset


@admin.register(StateTransition)
class StateTransitionAdmin(RoleGate, ModelAdmin):
    """Every workflow move in words: which record, from which state to which, who and why."""

    empty_hint = _("Every change of status (partners, applications, plans…) is recorded here with who and why.")
    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("created_at", "workflow_name", "record", "from_label", "to_label", "actor", "reason")
    list_filter = (WorkflowFilter,)
    search_fields = ("reason",)
    list_select_related = ("actor", "content_type")
    fields = ("created_at", "workflow_name", "record", "from_label", "to_label", "actor", "reason")
    readonly_fields = fields

    @admin.display(description=_("workflow"), ordering="workflow")
    def workflow_name(self, obj) -> str:
        return workflow_label(obj.workflow)

    @admin.display(description=pgettext_lazy("state transition", "from"))
    def from_label(self, obj) -> str:
        return state_label(obj.workflow, obj.from_state) if obj.from_state else "—"

    @admin.display(description=pgettext_lazy("state transition", "to"))
    def to_label(self, obj) -> str:
        return state_label(obj.workflow, obj.to_state)

    @admin.display(description=_("record"))
    def record(self, obj) -> str:
        model = obj.content_type.model_class()
        name = model._meta.verbose_name if model is not None else obj.content_type.model
        return f"{capfirst(name)} #{obj.object_id}"
