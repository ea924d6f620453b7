from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ChannelHubAdminSite(admin.AdminSite):
    """The channel managers' admin: open to tenant staff (by membership), scoped to one tenant."""

    site_header = _("ChannelHub administration")
    site_title = _("ChannelHub")
    index_title = _("Channel management")

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        access = getattr(request, "access", None)
        return access is not None and access.is_staff
