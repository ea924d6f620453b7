"""Market feedback (市场反馈): what partners see in their market, sent to the tenant.

Partners submit feedback by category (competitor activity, pricing, demand, product issue,
suggestion) with up to ``FEEDBACK_MAX_FILES`` files (``FeedbackFile``: PDF, JPEG or PNG, checked by
content, stored privately and served only by the access-checking download views); the tenant triages
it, answers (the partner reads the answer in the portal) and tags it with its own free tags. ``month``
(the first day of the month it came in) lets summaries by category × region × month group without a date
function.

::

    new → triaged → answered → closed   (new → answered and any open state → closed too)
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from channelhub.partners.models import Partner, Product, Region
from channelhub.tenancy.models import TenantOwnedModel

from ..storage import private_storage


class FeedbackCategory(models.TextChoices):
    COMPETITOR = "competitor", _("Competitor activity")
    PRICING = "pricing", _("Pricing")
    DEMAND = "demand", _("Demand")
    PRODUCT_ISSUE = "product_issue", _("Product issue")
    SUGGESTION = "suggestion", _("Suggestion")


class FeedbackState(models.TextChoices):
    NEW = "new", pgettext_lazy("feedback state", "New")
    TRIAGED = "triaged", pgettext_lazy("feedback state", "Triaged")
    ANSWERED = "answered", pgettext_lazy("feedback state", "Answered")
    CLOSED = "closed", pgettext_lazy("feedback state", "Closed")


# How many files one feedback item carries (the services refuse more).
FEEDBACK_MAX_FILES = 5


def feedback_upload_to(instance, filename: str) -> str:
    """``cooperation/feedback/<tenant>/<yyyy>/<mm>/<partner>-<n>.<ext>`` (migration 0007 names it too)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    stamp = timezone.now()
    return f"cooperation/feedback/{instance.tenant_id}/{stamp:%Y/%m}/{instance.partner_id}-{id(instance)}{suffix}"


class Feedback(TenantOwnedModel):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    category = models.CharField(_("category"), max_length=16, choices=FeedbackCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("product"))
    state = models.CharField(_("state"), max_length=16, choices=FeedbackState.choices, default=FeedbackState.NEW,
                             editable=False)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True, editable=False)
    tags = models.CharField(_("tags"), max_length=300, blank=True,
                            help_text=_("Your own words, separated by commas (the partner does not see them)."))
    answer = models.TextField(_("answer"), blank=True, help_text=_("The partner reads it in the portal."))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    month = models.DateField(_("month"), editable=False)  # first day of submitted_at's month (summaries)

    class Meta:
        verbose_name = _("market feedback")
        verbose_name_plural = _("market feedback")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "state", "-submitted_at"], name="coop_feedback_state"),
            models.Index(fields=["tenant", "partner", "-submitted_at"], name="coop_feedback_partner"),
            models.Index(fields=["tenant", "month", "category", "region"], name="coop_feedback_month"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in (t.strip() for t in self.tags.split(",")) if tag]


class FeedbackFile(TenantOwnedModel):
    """A file sent with a feedback item: a photo, a price list, a report (PDF, JPEG or PNG, checked by content).

    ``partner`` repeats the feedback's partner so that the portal's download finds the partner's own files
    with one filter, as the claim's proof files do.
    """

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="files",
                                 verbose_name=_("market feedback"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner"))
    file = models.FileField(_("file"), upload_to=feedback_upload_to, storage=private_storage, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback file")
        verbose_name_plural = _("feedback files")
        ordering = ["feedback", "pk"]
        indexes = [models.Index(fields=["tenant", "feedback"], name="coop_feedbackfile_feedback")]

    def __str__(self) -> str:
        return self.original_name
