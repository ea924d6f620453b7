"""Market feedback (市场反馈): partners send it, the tenant triages, answers, tags and closes it.

Rules enforced here: a partner's staff send feedback for their own partner only, with region
and product from the tenant's own lists and at most ``FEEDBACK_MAX_FILES`` files, each checked by
``channelhub.uploads`` (content, not name; the size limit). Sending is all or nothing: every file is
checked before anything is written, so one bad file leaves neither a feedback row nor a stored file.
The answer is what the partner reads, and every move is audited through the feedback workflow::

    new → triaged → answered → closed   (new → answered, and any open state → closed)

An answered item can be answered again (the new answer replaces the old; the history keeps both).
Tags are the tenant's own free words: trimmed, de-duplicated, at most 300 characters in all.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from channelhub.notifications.registry import notification_kind
from channelhub.notifications.services import notify
from channelhub.partners.models import Partner, Product, Region
from channelhub.tenancy.models import Tenant, User
from channelhub.tenancy.policy import authorize
from channelhub.tenancy.services import audited_save, require_same_tenant
from channelhub.tenancy.workflow import Workflow, transition

from ..models import FEEDBACK_MAX_FILES, Feedback, FeedbackCategory, FeedbackFile, FeedbackState
from ..permissions import FEEDBACK_MANAGE, FEEDBACK_SUBMIT
from ._common import checked_uploads

F = FeedbackState
FEEDBACK_WORKFLOW = Workflow.build(
    name="cooperation.feedback",
    verbose_name=pgettext_lazy("workflow", "market feedback"),
    state_field="state",
    states=FeedbackState,
    moves={
        F.NEW: {F.TRIAGED, F.ANSWERED, F.CLOSED},
        F.TRIAGED: {F.ANSWERED, F.CLOSED},
        F.ANSWERED: {F.CLOSED},
        F.CLOSED: set(),
    },
    changed_at_field="state_changed_at",
)

FEEDBACK_ANSWERED = notification_kind("cooperation.feedback_answered", gettext_lazy("Feedback answered")).key


def normalise_tags(tags) -> str:
    """``"price, 华东 ,price"`` → ``"price, 华东"`` (a list is accepted too)."""
    words = tags if isinstance(tags, list | tuple) else str(tags or "").replace("，", ",").split(",")
    seen: list[str] = []
    for word in (str(w).strip()[:50] for w in words):
        if word and word.lower() not in {s.lower() for s in seen}:
            seen.append(word)
    text = ", ".join(seen)
    if len(text) > 300:
        raise ValidationError({"tags": _("Too many tags: at most 300 characters in all.")})
    return text


@transaction.atomic
def feedback_submit(*, tenant: Tenant, actor: User | None, partner: Partner, category: str, title: str, text: str,
                    region: Region | None = None, product: Product | None = None, files=()) -> Feedback:
    """A partner's feedback on its market (its own partner only), with up to ``FEEDBACK_MAX_FILES`` files."""
    require_same_tenant(tenant, partner, region, product)
    authorize(actor, FEEDBACK_SUBMIT.code, tenant=tenant, partner=partner)
    if category not in FeedbackCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the feedback a title.")})
    if not text:
        raise ValidationError({"text": _("Describe what you see in the market.")})
    checked = checked_uploads(files, field="files", limit=FEEDBACK_MAX_FILES)  # all of them, before any write
    now = timezone.now()
    feedback = Feedback(tenant=tenant, partner=partner, category=category, title=title[:200], text=text,
                        region=region, product=product, submitted_by=actor, submitted_at=now,
                        month=timezone.localtime(now).date().replace(day=1))
    audited_save(feedback, actor=actor, reason=_("Feedback sent"))
    stored: list[FeedbackFile] = []
    try:
        for upload in checked:
            row = FeedbackFile(tenant=tenant, feedback=feedback, partner=partner, file=upload.file,
                               original_name=upload.name, content_type=upload.content_type, size=upload.size,
                               uploaded_by=actor, uploaded_at=now)
            stored.append(row)
            audited_save(row, actor=actor, reason=_("File added"))
    except Exception:
        # The transaction takes the rows back; the files written so far go too.
        for row in stored:
            if row.file.name:
                row.file.storage.delete(row.file.name)
        raise
    return feedback


def _manage(feedback: Feedback, actor: User | None) -> Feedback:
    authorize(actor, FEEDBACK_MANAGE.code, tenant=feedback.tenant_id)
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


@transaction.atomic
def feedback_triage(*, feedback: Feedback, actor: User | None, tags=None) -> Feedback:
    """Looked at and sorted (optionally tagged at the same time)."""
    feedback = _manage(feedback, actor)
    if tags is not None:
        feedback = feedback_tag(feedback=feedback, actor=actor, tags=tags)
    return transition(workflow=FEEDBACK_WORKFLOW, instance=feedback, to_state=F.TRIAGED, actor=actor,
                      reason=_("Triaged"))


@transaction.atomic
def feedback_answer(*, feedback: Feedback, actor: User | None, answer: str) -> Feedback:
    """The tenant's answer, which the partner reads in the portal; the partner's sender is told."""
    feedback = _manage(feedback, actor)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if feedback.state == F.CLOSED:
        raise ValidationError(_("This feedback is closed."))
    feedback.answer, feedback.answered_by, feedback.answered_at = answer, actor, timezone.now()
    audited_save(feedback, actor=actor, reason=_("Answered"))
    if feedback.state != F.ANSWERED:
        transition(workflow=FEEDBACK_WORKFLOW, instance=feedback, to_state=F.ANSWERED, actor=actor,
                   reason=_("Answered"))
    if feedback.submitted_by_id:
        notify(recipients=User.objects.filter(pk=feedback.submitted_by_id), kind=FEEDBACK_ANSWERED, actor=actor,
               title=gettext_lazy("Your feedback “%(title)s” is answered"), params={"title": feedback.title},
               url=reverse("cooperation-portal:feedback", args=[feedback.pk]))
    return feedback


@transaction.atomic
def feedback_tag(*, feedback: Feedback, actor: User | None, tags) -> Feedback:
    """Replace the tenant's tags on the item (free words, the partner does not see them)."""
    feedback = _manage(feedback, actor)
    feedback.tags = normalise_tags(tags)
    return audited_save(feedback, actor=actor, reason=_("Tagged"), update_fields=["tags"])


@transaction.atomic
def feedback_close(*, feedback: Feedback, actor: User | None) -> Feedback:
    feedback = _manage(feedback, actor)
    return transition(workflow=FEEDBACK_WORKFLOW, instance=feedback, to_state=F.CLOSED, actor=actor,
                      reason=_("Closed"))
