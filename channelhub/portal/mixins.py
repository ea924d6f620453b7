"""Portal plumbing: every portal page is for signed-in partner staff of the current tenant."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from channelhub.partners.models import Partner
from channelhub.tenancy.roles import PARTNER_ROLES, Role

from . import registry


class PortalMixin(LoginRequiredMixin):
    """Admits partner staff holding one of ``portal_roles``; sets ``self.partner``.

    Tenant staff (and superusers) who land here are sent to the admin, which is their workspace.
    """

    portal_roles: frozenset[str] = PARTNER_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access = request.access
        if request.user.is_superuser or (access is not None and access.is_staff):
            return redirect("admin:index")
        if access is None or access.partner_id is None or not (access.roles & self.portal_roles):
            raise PermissionDenied
        self.access = access
        self.partner = Partner.objects.select_related("region", "owner").get(pk=access.partner_id)
        # An app may keep the partner from other pages until something is done first
        # (``registry.portal_gate``: e.g. its first cooperation agreement signed).
        elsewhere = registry.gate_for(request, self.partner, self)
        if elsewhere:
            return redirect(elsewhere)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partner"] = self.partner
        context["access"] = self.access
        context["is_partner_admin"] = Role.PARTNER_ADMIN in self.access.roles
        # The apps' own portal pages, each for the roles it names (channelhub.portal.registry).
        context["portal_nav"] = registry.nav_menus_for(self.request, self.partner)
        return context
