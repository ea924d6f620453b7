"""Announcements, message threads and partner events in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin, has_permission
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import Announcement, Event, EventRsvp, Message, Thread
from ..permissions import ANNOUNCEMENT_MANAGE, EVENT_MANAGE, THREAD_WRITE
from ..storage import private_download
from ._common import AUDIENCE_FIELDSET, REFUSALS, AudienceAdminMixin, AudienceForm, ReadOnlyInline, staff_roles


class AnnouncementForm(AudienceForm):
    class Meta:
        model = Announcement
        fields = ("title", "body", "must_acknowledge", "expires_at")


@admin.register(Announcement)
class AnnouncementAdmin(AudienceAdminMixin, TenantScopedAdmin):
    form = AnnouncementForm
    view_roles = STAFF_ROLES
    change_roles = staff_roles(ANNOUNCEMENT_MANAGE)
    list_display = ("title", "audience", "must_acknowledge", "published_at", "expires_at", "read_count",
                    "acknowledged_count")
    list_filter = ("must_acknowledge",)
    search_fields = ("title", "body")
    readonly_fields = ("published_at",)
    fieldsets = ((None, {"fields": ("title", "body", "must_acknowledge", "expires_at", "published_at")}),
                 AUDIENCE_FIELDSET)
    actions = ["publish"]

    def get_queryset(self, request):
        return selectors.announcement_list()

    @admin.display(description=_("read by"))
    def read_count(self, obj):
        return obj.read_count

    @admin.display(description=_("acknowledged by"))
    def acknowledged_count(self, obj):
        return obj.acknowledged_count

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, ANNOUNCEMENT_MANAGE)

    def create_object(self, request, obj, fields):
        return services.announcement_create(tenant=request.tenant, actor=request.user, **self._with_audience(fields))

    def update_object(self, request, obj, fields):
        return services.announcement_update(announcement=obj, actor=request.user, **self._with_audience(fields))

    def delete_object(self, request, obj):
        services.announcement_delete(announcement=obj, actor=request.user)

    @admin.action(description=_("Publish"), permissions=["manage"])
    def publish(self, request, queryset):
        for announcement in queryset:
            services.announcement_publish(announcement=announcement, actor=request.user)
        messages.success(request, gettext("Published."))


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "author", "from_partner", "body", "file")
    readonly_fields = fields

    @admin.display(description=_("attachment"))
    def file(self, obj):
        if not obj.attachment_name:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:cooperation_message_download", args=[obj.pk]),
                           obj.attachment_name)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("attachment"), required=False)


class ThreadForm(forms.ModelForm):
    body = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 4}))

    class Meta:
        model = Thread
        fields = ("partner", "subject")


class UnreadFilter(admin.SimpleListFilter):
    title = _("unread")
    parameter_name = "unread"

    def lookups(self, request, model_admin):
        return [("mine", _("Unread, my partners")), ("all", _("Unread, all partners"))]

    def queryset(self, request, queryset):
        if self.value() in ("mine", "all"):
            unread = selectors.unread_threads_for_manager(request.user, all_partners=self.value() == "all")
            return queryset.filter(pk__in=unread.values("pk"))
        return queryset


@admin.register(Thread)
class ThreadAdmin(TenantScopedAdmin):
    """Conversations with partners: a manager starts one or answers; opening it marks it read."""

    view_roles = STAFF_ROLES
    change_roles = staff_roles(THREAD_WRITE)
    list_display = ("subject", "partner", "manager", "last_message_at", "last_from_partner", "message_count")
    list_filter = (UnreadFilter, "last_from_partner")
    search_fields = ("subject", "partner__legal_name")
    list_select_related = ("partner", "manager")
    autocomplete_fields = ("partner",)
    inlines = [MessageInline]

    def get_queryset(self, request):
        return selectors.thread_list()

    @admin.display(description=_("messages"))
    def message_count(self, obj):
        return obj.message_count

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ThreadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["partner", "subject", "body"] if obj is None else ["partner", "subject", "manager"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["partner", "subject", "manager"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        self._body = form.cleaned_data.get("body", "")
        super().save_model(request, obj, form, change)

    def create_object(self, request, obj, fields):
        return services.thread_start(tenant=request.tenant, actor=request.user, partner=fields["partner"],
                                     subject=fields["subject"], body=getattr(self, "_body", ""))

    def update_object(self, request, obj, fields):
        return obj  # partner and subject stay; the conversation goes on through replies

    def change_view(self, request, object_id, form_url="", extra_context=None):
        thread = self.get_object(request, unquote(object_id))
        if thread is not None and has_permission(request, THREAD_WRITE):
            services.thread_mark_read(thread=thread, actor=request.user)
        if thread is not None:  # a junk or foreign id goes on to the admin's own "not found"
            extra_context = {**(extra_context or {}), "reply_form": ReplyForm(),
                             "reply_url": reverse("admin:cooperation_thread_reply", args=[thread.pk])}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [path("<int:pk>/reply/", self.admin_site.admin_view(self.reply_view), name="cooperation_thread_reply"),
                *super().get_urls()]

    def reply_view(self, request, pk: int):
        """POST a reply (with an optional attachment); nothing to GET (405)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        thread = get_object_or_404(selectors.thread_list(), pk=pk)
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_send(thread=thread, actor=request.user, **form.cleaned_data)
                messages.success(request, gettext("Message sent."))
            except REFUSALS as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.error(request, gettext("Write a message."))
        return redirect("admin:cooperation_thread_change", thread.pk)


@admin.register(Message)
class MessageAdmin(TenantScopedAdmin):
    """Every message, read-only (answered from its thread); attachments download from here."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("thread", "author", "from_partner", "created_at", "attachment_name")
    list_filter = ("from_partner",)
    search_fields = ("body", "thread__subject")
    list_select_related = ("thread", "author")
    readonly_fields = ("thread", "author", "from_partner", "body", "attachment_name", "created_at")
    fields = readonly_fields

    def get_urls(self):
        return [path("<int:pk>/download/", self.admin_site.admin_view(self.download_view),
                     name="cooperation_message_download"), *super().get_urls()]

    def download_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        message = get_object_or_404(Message.objects.all(), pk=pk)
        if not message.attachment:
            raise Http404
        return private_download(message.attachment, filename=message.attachment_name,
                                content_type=message.attachment_type)


class EventForm(AudienceForm):
    class Meta:
        model = Event
        fields = ("title", "kind", "description", "agenda", "location", "starts_at", "ends_at", "capacity")


class RsvpInline(ReadOnlyInline):
    model = EventRsvp
    fk_name = "invitation"
    fields = ("attendee_name", "response", "responded_at", "checked_in_at")
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(AudienceAdminMixin, TenantScopedAdmin):
    """Partner conferences and meetings: publish (invites the audience), cancel; check people in."""

    form = EventForm
    view_roles = STAFF_ROLES
    change_roles = staff_roles(EVENT_MANAGE)
    list_display = ("title", "kind", "starts_at", "location", "status", "capacity", "invited", "attending",
                    "checked_in")
    list_filter = ("status", "kind")
    search_fields = ("title", "location")
    fieldsets = ((None, {"fields": ("title", "kind", "description", "agenda", "location", "starts_at", "ends_at",
                                    "capacity")}), AUDIENCE_FIELDSET)
    actions = ["publish", "cancel"]

    def get_queryset(self, request):
        return selectors.event_list()

    @admin.display(description=_("invited"))
    def invited(self, obj):
        return obj.invited

    @admin.display(description=_("attending"))
    def attending(self, obj):
        return obj.attending

    @admin.display(description=_("checked in"))
    def checked_in(self, obj):
        return obj.checked_in

    def has_manage_permission(self, request) -> bool:
        return has_permission(request, EVENT_MANAGE)

    def create_object(self, request, obj, fields):
        return services.event_create(tenant=request.tenant, actor=request.user, **self._with_audience(fields))

    def update_object(self, request, obj, fields):
        return services.event_update(event=obj, actor=request.user, **self._with_audience(fields))

    def delete_object(self, request, obj):
        services.event_delete(event=obj, actor=request.user)

    def _each(self, request, queryset, service):
        for event in queryset:
            try:
                service(event=event, actor=request.user)
            except REFUSALS as error:
                messages.error(request, f"{event}: {' '.join(getattr(error, 'messages', [str(error)]))}")

    @admin.action(description=_("Publish and invite the audience"), permissions=["manage"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.event_publish)

    @admin.action(description=_("Cancel"), permissions=["manage"])
    def cancel(self, request, queryset):
        self._each(request, queryset, services.event_cancel)


@admin.register(EventRsvp)
class EventRsvpAdmin(TenantScopedAdmin):
    """Who answered which invitation; *check in* at the door."""

    view_roles = STAFF_ROLES
    read_only = True
    list_display = ("attendee_name", "event", "partner", "response", "responded_at", "checked_in_at")
    list_filter = ("response", "invitation__event")
    search_fields = ("attendee_name", "invitation__partner__legal_name")
    readonly_fields = ("invitation", "user", "attendee_name", "response", "responded_at", "checked_in_at")
    fields = readonly_fields
    actions = ["check_in"]

    def get_queryset(self, request):
        return selectors.rsvp_list()

    @admin.display(description=_("event"))
    def event(self, obj):
        return obj.invitation.event

    @admin.display(description=_("partner"))
    def partner(self, obj):
        return obj.invitation.partner

    def has_check_in_permission(self, request) -> bool:
        return has_permission(request, EVENT_MANAGE)

    @admin.action(description=_("Check in"), permissions=["check_in"])
    def check_in(self, request, queryset):
        for rsvp in queryset:
            services.event_check_in(rsvp=rsvp, actor=request.user)
        messages.success(request, gettext("Checked in."))
