from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.roles import STAFF_ROLES
from channelhub.tenancy.selectors import memberships_of


class TenantStaffAuthenticationForm(AuthenticationForm):
    """Admin sign-in by membership: tenant staff hold a staff role, not Django's ``is_staff`` flag."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": AdminAuthenticationForm.error_messages["invalid_login"],
    }
    required_css_class = "required"

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not (user.is_superuser or memberships_of(user).filter(role__in=STAFF_ROLES).exists()):
            raise ValidationError(
                self.error_messages["invalid_login"], code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class ChannelHubAdminSite(admin.AdminSite):
    """The channel managers' admin: open to tenant staff (by membership), scoped to one tenant."""

    site_header = _("ChannelHub administration")
    site_title = _("ChannelHub")
    index_title = _("Channel management")
    login_form = TenantStaffAuthenticationForm

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        access = getattr(request, "access", None)
        return access is not None and access.is_staff
