"""The notifications pages of the partner portal: the list, marking read, e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, ListView
from django.views.generic.edit import BaseFormView

from channelhub.portal.mixins import PortalMixin

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification


class NotificationListView(PortalMixin, ListView):
    """The signed-in person's own notifications, newest first, unread ones marked."""

    model = Notification
    template_name = "notifications/portal/list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)


class NotificationReadView(PortalMixin, BaseFormView):
    """Mark one of one's own notifications read (POST), then follow its link or go back to the list."""

    model = Notification
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        # The id comes in the form (a list of buttons, one route): only one's own rows are found.
        pk = request.POST.get("notification", "")
        if not pk.isdigit():
            return redirect("notifications-portal:list")
        notification = get_object_or_404(selectors.notification_list(user=request.user), pk=int(pk))
        services.notification_mark_read(notification=notification, actor=request.user)
        target = notification.url if request.POST.get("open") else ""
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("notifications-portal:list")


class NotificationReadAllView(PortalMixin, BaseFormView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        count = services.notification_mark_all_read(actor=request.user)
        if count:
            messages.success(request, ngettext(
                "%(count)d notification marked read.", "%(count)d notifications marked read.", count,
            ) % {"count": count})
        return redirect("notifications-portal:list")


class PreferencesView(PortalMixin, FormView):
    """Which kinds also come by e-mail (in-app notifications always arrive)."""

    template_name = "notifications/portal/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rows"] = selectors.preference_rows(user=self.request.user)
        return kwargs

    def form_valid(self, form):
        services.preferences_set(actor=self.request.user, email_by_kind=form.cleaned_data)
        messages.success(self.request, _("Your notification preferences are saved."))
        return redirect("notifications-portal:preferences")
