"""Market feedback in the admin: triage, answer (the partner reads it), tag and close; the summary by
category × region × month above the list (last three months, one grouped query); the item's files are listed
on its page and download here, through a view that checks the staff role and the tenant."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.admin.queues import Queue, changelist_url, work_queue
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import Feedback, FeedbackFile, FeedbackState
from ..permissions import FEEDBACK_MANAGE
from ..storage import private_download
from ._common import REFUSALS, refusal_text, staff_roles


@work_queue("cooperation.feedback_to_triage", label=_("Feedback to triage"), roles=staff_roles(FEEDBACK_MANAGE),
            order=61)
def feedback_to_triage(request) -> Queue:
    return Queue(count=selectors.feedback_to_triage().count(),
                 url=changelist_url("cooperation.feedback", f"state__exact={FeedbackState.NEW}"))


@admin.register(Feedback)
class FeedbackAdmin(TenantScopedAdmin):
    view_roles = STAFF_ROLES
    change_roles = staff_roles(FEEDBACK_MANAGE)
    list_display = ("title", "partner", "category", "region", "state", "tags", "submitted_at")
    list_filter = ("state", "category", "month")
    search_fields = ("title", "text", "tags", "partner__legal_name")
    list_select_related = ("partner", "region")
    fields = ("partner", "category", "title", "text", "region", "product", "file_links", "submitted_by",
              "submitted_at", "state", "tags", "answer", "answered_by", "answered_at")
    readonly_fields = ("partner", "category", "title", "text", "region", "product", "file_links",
                       "submitted_by", "submitted_at", "state", "answered_by", "answered_at")
    actions = ["triage", "close"]
    list_before_template = "cooperation/admin/_feedback_summary.html"
    empty_hint = _("Partners send market feedback from the portal or through the API.")

    def get_queryset(self, request):
        return selectors.feedback_list()

    def has_add_permission(self, request, *args) -> bool:
        return False  # partners send it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # closed, never deleted

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "feedback_summary": selectors.feedback_summary()[:60]}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("files"))
    def file_links(self, obj):
        files = list(selectors.feedback_files(obj)) if obj.pk else []
        if not files:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a> · {}</li>',
            ((reverse("admin:cooperation_feedback_file", args=[row.pk]), row.original_name, filesizeformat(row.size))
             for row in files)))

    def get_urls(self):
        return [path("files/<int:pk>/", self.admin_site.admin_view(self.file_view), name="cooperation_feedback_file"),
                *super().get_urls()]

    def file_view(self, request, pk: int):
        """A feedback file for tenant staff (the current tenant's only: the scoped manager finds no other)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        row = get_object_or_404(FeedbackFile.objects.all(), pk=pk)
        return private_download(row.file, filename=row.original_name, content_type=row.content_type)

    def update_object(self, request, obj, fields):
        if "tags" in fields:
            obj = services.feedback_tag(feedback=obj, actor=request.user, tags=fields["tags"])
        if "answer" in fields:
            obj = services.feedback_answer(feedback=obj, actor=request.user, answer=fields["answer"])
        return obj

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, FEEDBACK_MANAGE)

    def _each(self, request, queryset, service, message):
        done = 0
        for feedback in queryset:
            try:
                service(feedback=feedback, actor=request.user)
                done += 1
            except REFUSALS as error:
                messages.error(request, f"{feedback}: {refusal_text(error)}")
        self.message_user(request, message(done))

    @admin.action(description=_("Mark as triaged"), permissions=["manage"])
    def triage(self, request, queryset):
        self._each(request, queryset.filter(state=FeedbackState.NEW), services.feedback_triage,
                   lambda n: ngettext("%(count)d item triaged.", "%(count)d items triaged.", n) % {"count": n})

    @admin.action(description=_("Close"), permissions=["manage"])
    def close(self, request, queryset):
        self._each(request, queryset.exclude(state=FeedbackState.CLOSED), services.feedback_close,
                   lambda n: ngettext("%(count)d item closed.", "%(count)d items closed.", n) % {"count": n})
