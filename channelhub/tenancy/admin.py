from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from channelhub.admin.base import RoleGate, TenantScopedAdmin
from channelhub.tasks import enqueue

from . import services
from .models import ApiKey, JobSchedule, Membership, StateTransition, Tenant, User
from .roles import MANAGERS, STAFF_ROLES, Role
from .tasks import run_tenant_job

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
class UserAdmin(SuperuserOnly, DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Preferences"), {"fields": ("language",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_superuser", "is_active")


class TenantForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = ["name", "slug", "default_language", "time_zone", "is_active"]


@admin.register(Tenant)
class TenantAdmin(SuperuserOnly, SimpleHistoryAdmin):
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


class MembershipAddForm(forms.ModelForm):
    """Grant a role by e-mail: an unknown address becomes a new user with an invitation."""

    email = forms.EmailField(label=_("e-mail"))
    first_name = forms.CharField(label=_("first name"), required=False)
    last_name = forms.CharField(label=_("last name"), required=False)

    class Meta:
        model = Membership
        fields = ["email", "first_name", "last_name", "role", "partner"]


@admin.register(Membership)
class MembershipAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = OWNERS
    list_display = ("user", "user_email", "role", "partner", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name",
                     "partner__legal_name")
    autocomplete_fields = ("partner",)
    list_select_related = ("user", "partner")
    actions = ["deactivate", "reactivate"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj) -> str:
        return obj.user.email

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MembershipAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "first_name", "last_name", "role", "partner"]
        return ["role", "partner", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        invitation = services.membership_grant(
            tenant=request.tenant, actor=request.user, email=data["email"], role=data["role"],
            partner=data.get("partner"), first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        # The admin logs and names ``obj`` after this: give it the saved row's identity.
        obj.pk, obj.user = invitation.membership.pk, invitation.membership.user
        if invitation.created_user:
            messages.info(request, _("An invitation e-mail was sent to %(email)s.") % {
                "email": data["email"]})

    @admin.action(description=_("Deactivate selected memberships"))
    def deactivate(self, request, queryset) -> None:
        done = 0
        for membership in queryset:
            try:
                services.membership_deactivate(membership=membership, actor=request.user)
                done += 1
            except Exception as error:
                messages.error(request, f"{membership}: {error}")
        messages.success(request, ngettext(
            "%(count)d membership deactivated.", "%(count)d memberships deactivated.", done
        ) % {"count": done})

    @admin.action(description=_("Reactivate selected memberships"))
    def reactivate(self, request, queryset) -> None:
        for membership in queryset:
            services.membership_reactivate(membership=membership, actor=request.user)
        messages.success(request, _("Memberships reactivated."))


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

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        try:
            issued = services.api_key_create(
                tenant=request.tenant, actor=request.user, name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            self.message_validation_error(request, error)
            return
        obj.pk = issued.api_key.pk
        messages.warning(request, _(
            "Copy this API key now; it will not be shown again: %(key)s") % {"key": issued.secret})

    @admin.action(description=_("Revoke selected API keys"))
    def revoke(self, request, queryset) -> None:
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key, actor=request.user)
        messages.success(request, _("API keys revoked."))


@admin.register(JobSchedule)
class JobScheduleAdmin(TenantScopedAdmin):
    view_roles = MANAGERS
    change_roles = OWNERS
    list_display = ("job", "cadence", "hour", "enabled", "next_run_at", "last_run_at",
                    "last_status")
    list_editable = ("cadence", "hour", "enabled")
    list_filter = ("cadence", "enabled")
    fields = ("job", "cadence", "hour", "enabled", "next_run_at", "last_run_at", "last_status")
    readonly_fields = ("job", "last_run_at", "last_status")
    actions = ["run_now"]

    def has_add_permission(self, request, *args) -> bool:
        return False  # one row per registered job, created with the tenant

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Run selected jobs now"))
    def run_now(self, request, queryset) -> None:
        from django.utils import timezone

        for schedule in queryset:
            enqueue(run_tenant_job, schedule.tenant_id, schedule.pk, timezone.now().isoformat())
        messages.success(request, _("Jobs started."))


@admin.register(StateTransition)
class StateTransitionAdmin(RoleGate, admin.ModelAdmin):
    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("created_at", "workflow", "content_type", "object_id", "from_state",
                    "to_state", "actor", "reason")
    list_filter = ("workflow", "to_state")
    search_fields = ("reason", "object_id")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "created_at"
