"""The resource library in the admin: items with their audience; a new file is a new version."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from channelhub.admin.base import TenantScopedAdmin
from channelhub.tenancy.roles import STAFF_ROLES

from .. import selectors, services
from ..models import LibraryFile, LibraryItem
from ..permissions import LIBRARY_MANAGE
from ..storage import private_download
from ._common import AUDIENCE_FIELDSET, AudienceAdminMixin, AudienceForm, ReadOnlyInline, staff_roles


class LibraryItemForm(AudienceForm):
    new_file = forms.FileField(label=_("upload a new version"), required=False,
                               help_text=_("PDF, JPEG or PNG; partners download the newest version."))
    version_note = forms.CharField(label=_("what changed"), required=False, max_length=300)

    class Meta:
        model = LibraryItem
        fields = ("title", "kind", "description", "is_published", "valid_until")


class FileInline(ReadOnlyInline):
    model = LibraryFile
    fields = ("version", "download", "content_type", "size", "note", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:cooperation_libraryitem_download", args=[obj.item_id])
        return format_html('<a href="{}?version={}">{}</a>', url, obj.version, obj.original_name)


@admin.register(LibraryItem)
class LibraryItemAdmin(AudienceAdminMixin, TenantScopedAdmin):
    form = LibraryItemForm
    view_roles = STAFF_ROLES
    change_roles = staff_roles(LIBRARY_MANAGE)
    list_display = ("title", "kind", "is_published", "valid_until", "latest_version", "download_count")
    list_filter = ("kind", "is_published")
    search_fields = ("title", "description")
    fieldsets = ((None, {"fields": ("title", "kind", "description", "is_published", "valid_until", "new_file",
                                    "version_note")}), AUDIENCE_FIELDSET)
    inlines = [FileInline]

    def get_queryset(self, request):
        return selectors.library_list()

    @admin.display(description=_("version"))
    def latest_version(self, obj):
        return obj.latest_version or "—"

    @admin.display(description=_("downloads"))
    def download_count(self, obj):
        return obj.download_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("new_file")
        if upload:
            services.library_file_add(item=LibraryItem.objects.get(pk=obj.pk), actor=request.user, file=upload,
                                      note=form.cleaned_data.get("version_note") or "")

    def create_object(self, request, obj, fields):
        return services.library_item_create(tenant=request.tenant, actor=request.user, **self._with_audience(fields))

    def update_object(self, request, obj, fields):
        return services.library_item_update(item=obj, actor=request.user, **self._with_audience(fields))

    def delete_object(self, request, obj):
        services.library_item_delete(item=obj, actor=request.user)

    def get_urls(self):
        return [path("<int:pk>/download/", self.admin_site.admin_view(self.download_view),
                     name="cooperation_libraryitem_download"), *super().get_urls()]

    def download_view(self, request, pk: int):
        """The item's newest file, or ``?version=N``, for tenant staff (not counted: downloads count partners)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(LibraryItem.objects.all(), pk=pk)
        files = LibraryFile.objects.filter(item=item).order_by("-version")
        version = request.GET.get("version", "")
        row = files.filter(version=int(version)).first() if version.isdigit() else files.first()
        if row is None or not row.file:
            raise Http404
        return private_download(row.file, filename=row.original_name, content_type=row.content_type)
