"""The resource library: sales and marketing material by audience, versioned, with downloads per partner."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channelhub.partners.models import Partner
from channelhub.tenancy.models import TenantOwnedModel

from ..storage import private_storage
from .audience import Audience


class MaterialKind(models.TextChoices):
    PRICE_LIST = "price_list", _("Price list")
    PRODUCT_SHEET = "product_sheet", _("Product sheet")
    CAMPAIGN_KIT = "campaign_kit", _("Campaign kit")
    LOGO = "logo", _("Logo")
    CASE_STUDY = "case_study", _("Case study")
    OTHER = "other", _("Other material")


class LibraryItem(TenantOwnedModel):
    """One piece of material; its files are versions, the newest is what partners download."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=MaterialKind.choices)
    description = models.TextField(_("description"), blank=True)
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="+", editable=False,
                                 verbose_name=_("audience"))
    is_published = models.BooleanField(_("published"), default=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("After this day partners no longer see it (an old price list)."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["tenant", "is_published", "valid_until"])]

    def __str__(self) -> str:
        return self.title


def library_upload_to(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"cooperation/library/{instance.tenant_id}/{instance.item_id}/v{instance.version}-{id(instance)}{suffix}"


class LibraryFile(TenantOwnedModel):
    """One version of an item's file."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("item"))
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=library_upload_to, storage=private_storage, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("library file")
        verbose_name_plural = _("library files")
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["tenant", "item", "version"],
                                               name="coop_libraryfile_unique_version")]

    def __str__(self) -> str:
        return f"{self.item} v{self.version}"


class LibraryDownload(TenantOwnedModel):
    """A partner's staff member downloaded a version (counted per partner)."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="downloads",
                             verbose_name=_("item"))
    file = models.ForeignKey(LibraryFile, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("file"))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name=_("partner"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("user"))
    downloaded_at = models.DateTimeField(_("downloaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-downloaded_at"]
        indexes = [models.Index(fields=["tenant", "item", "partner"])]

    def __str__(self) -> str:
        return f"{self.item} · {self.partner or self.user}"
