"""Applications, their documents, messages and decisions; the approval chain and who may review."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
)

from channelhub.partners.models import Region
from channelhub.partners.search import is_cjk
from channelhub.tenancy import selectors as tenancy_selectors
from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.roles import Role

from ..models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationState,
    ApprovalDecision,
    ApprovalStep,
    ReviewerAssignment,
    Scorecard,
    hash_tracking_token,
)
from ._common import _count


def application_list(*, reviewer: User | None = None) -> QuerySet[Application]:
    """Applications with their campaign, plan, step and counts: a fixed number of queries.

    With ``reviewer``, each row also says whether that user is assigned to review it
    (``is_my_review``) and has submitted a scorecard for it (``my_scorecard_submitted``): the
    "my reviews" filter and column of the admin.
    """
    queryset = (
        Application.objects.select_related("campaign", "plan", "current_step", "partner")
        .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("path")))
        .annotate(
            reviewer_count=_count(ReviewerAssignment.objects.filter(application=OuterRef("pk")), "application"),
            scorecard_count=_count(Scorecard.objects.filter(application=OuterRef("pk")), "application"),
            document_count=_count(ApplicationDocument.objects.filter(application=OuterRef("pk")), "application"),
        )
    )
    if reviewer is not None:
        queryset = queryset.annotate(
            is_my_review=Exists(ReviewerAssignment.objects.filter(application=OuterRef("pk"), reviewer=reviewer)),
            my_scorecard_submitted=Exists(Scorecard.objects.filter(application=OuterRef("pk"), reviewer=reviewer)),
        )
    return queryset


class ApplicationSearchText(Func):
    """The line ``recruitment_search_text(…)`` builds on PostgreSQL (migration 0007 indexes it)."""

    function = "recruitment_search_text"
    output_field = TextField()


def _search_line_q(term: str) -> Q:
    """``term`` in the ``search_line`` alias (lower case, as the SQL function makes it)."""
    term = " ".join(term.lower().split())
    if len(term) <= 2 and all(is_cjk(char) for char in term):
        # No trigram of its own: a whole two-character piece (one character: a piece's end).
        if len(term) == 2:
            return Q(search_line__contains=f" {term} ")
        return Q(search_line__contains=f" {term}") | Q(search_line__contains=f"{term} ")
    return Q(search_line__contains=term)


def _with_search_line(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.alias(
        search_line=ApplicationSearchText("legal_name", "credit_code", "contact_name", "contact_email")
    )


def application_search(queryset: QuerySet[Application], term: str) -> QuerySet[Application]:
    """Applications whose company name, credit code, contact name or e-mail contain ``term``.

    PostgreSQL: the trigram GIN index over ``recruitment_search_text(…)`` (migration 0007)
    answers it, with the partners' rules (``channelhub.partners.search``): 3+ characters are
    ``LIKE '%term%'``, one or two Chinese characters match as a whole two-character piece
    (``华信``). SQLite: ``icontains`` over the columns (the credit code whole, as before).
    """
    term = " ".join((term or "").split())
    if not term:
        return queryset
    if connection.vendor != "postgresql":
        return queryset.filter(
            Q(legal_name__icontains=term) | Q(credit_code__iexact=term)
            | Q(contact_name__icontains=term) | Q(contact_email__icontains=term)
        )
    return _with_search_line(queryset).filter(_search_line_q(term))


def application_search_narrowed(queryset: QuerySet[Application], terms: list[str]) -> QuerySet[Application]:
    """For DRF's ``?search=``: on PostgreSQL, the rows holding every term in their search line.

    A row holding a term in one of the four columns holds it in the line too, so this only
    narrows (by the index) the rows DRF's ``UPPER(col) LIKE`` then checks. SQLite: unchanged.
    """
    terms = [term for term in terms if term.strip()]
    if connection.vendor != "postgresql" or not terms:
        return queryset
    query = Q()
    for term in terms:
        query &= _search_line_q(term)
    return _with_search_line(queryset).filter(query)


def my_reviews(queryset: QuerySet[Application], which: str) -> QuerySet[Application]:
    """Narrow an ``application_list(reviewer=…)`` to that reviewer's ``assigned`` / ``awaiting`` / ``scored`` ones.

    *Awaiting* means assigned, not yet scored, and open for scoring now (in scoring).
    """
    if which == "assigned":
        return queryset.filter(is_my_review=True)
    if which == "awaiting":
        return queryset.filter(is_my_review=True, my_scorecard_submitted=False, state=ApplicationState.SCORING)
    if which == "scored":
        return queryset.filter(my_scorecard_submitted=True)
    return queryset


@dataclass(frozen=True)
class MyReview:
    """Where ``user`` stands as a reviewer of one application (two queries)."""

    assigned: bool
    scored: bool
    open_for_scoring: bool

    @property
    def can_score(self) -> bool:
        return self.assigned and self.open_for_scoring


def my_review(*, application: Application, user: User) -> MyReview:
    return MyReview(
        assigned=ReviewerAssignment.objects.filter(application=application, reviewer=user).exists(),
        scored=Scorecard.objects.filter(application=application, reviewer=user).exists(),
        open_for_scoring=application.state == ApplicationState.SCORING,
    )


def my_review_counts(*, user: User) -> dict[str, int]:
    """How many applications ``user`` is asked to review, has scored and could score now (two queries).

    The reviewer's assignments alone give *assigned* and *scored*; *awaiting* is a second count
    whose WHERE names the application's state, so PostgreSQL starts from the applications in
    scoring (an index) instead of joining every application of the tenant to a reviewer who
    holds thousands of assignments (a filtered COUNT could not push the state into the join).
    """
    mine = ReviewerAssignment.objects.filter(reviewer=user).order_by()
    scored = Scorecard.objects.filter(application=OuterRef("application"), reviewer=user)
    counts = mine.aggregate(assigned=Count("pk"), scored=Count("pk", filter=Q(Exists(scored))))
    awaiting = mine.filter(application__state=ApplicationState.SCORING).exclude(Exists(scored)).count()
    return {"assigned": counts["assigned"] or 0, "scored": counts["scored"] or 0, "awaiting": awaiting}


def application_by_token(*, token: str) -> Application | None:
    """The current tenant's application with this tracking token (the public tracking page)."""
    if not token or len(token) < 20:
        return None
    # Only hashes are stored (``ApplicationTrackingToken``): hash what was presented and look that up.
    return (
        Application.objects.select_related("campaign", "tenant")
        .filter(tracking_tokens__token_hash=hash_tracking_token(token))
        .first()
    )


def application_documents(*, application: Application) -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.filter(application=application).select_related("uploaded_by")


def downloadable_document(*, pk: int, access) -> ApplicationDocument | None:
    """The current tenant's document ``pk`` if ``access`` may read it, else ``None``.

    Tenant staff (every staff role reads applications) and superusers acting in the tenant
    read every document; a partner administrator reads the documents of their own partner
    (the application they were recruited through). Nobody else reads any.
    """
    documents = ApplicationDocument.objects.filter(pk=pk)
    if access.is_staff:
        return documents.first()
    if Role.PARTNER_ADMIN in access.roles and access.partner_id is not None:
        return documents.filter(partner_id=access.partner_id).first()
    return None


def final_decision_message(*, application: Application) -> str:
    """The comment of the decision that ended the application (it is e-mailed to the applicant too).

    Only a final approval or a rejection counts: comments of intermediate steps and returns
    stay internal.
    """
    wanted = {ApplicationState.APPROVED: "approve", ApplicationState.REJECTED: "reject"}.get(application.state)
    if wanted is None:
        return ""
    last = ApprovalDecision.objects.filter(application=application).order_by("-created_at", "-id").first()
    return last.comment if last is not None and last.decision == wanted else ""


def round_approvals(*, application: Application) -> QuerySet[ApprovalDecision]:
    """The approvals of the application's current approval round (its current stay in review).

    A round ends with a return (a rejection or the final approval ends the application), so
    the round's approvals are those recorded after the latest return.
    """
    decisions = ApprovalDecision.objects.filter(application=application)
    last_return = decisions.filter(decision="return").order_by("-id").values_list("pk", flat=True).first()
    approvals = decisions.filter(decision="approve").select_related("step")
    return approvals.filter(pk__gt=last_return) if last_return is not None else approvals


def application_messages(*, application: Application) -> QuerySet[ApplicationMessage]:
    return ApplicationMessage.objects.filter(application=application).select_related("author")


def application_decisions(*, application: Application) -> QuerySet[ApprovalDecision]:
    return ApprovalDecision.objects.filter(application=application).select_related("step", "actor")


def approval_chain() -> list[ApprovalStep]:
    """The active approval steps of the current tenant, in order."""
    return list(ApprovalStep.objects.filter(is_active=True).order_by("order"))


def staff_users() -> QuerySet[User]:
    """Users holding an active staff role in the current tenant: who may review."""
    return tenancy_selectors.staff_users().filter(is_active=True)


def reviewers_of(*, applications) -> QuerySet[User]:
    """The users assigned to review any of ``applications`` (a queryset or a list)."""
    return User.objects.filter(
        pk__in=ReviewerAssignment.objects.filter(application__in=applications).values("reviewer_id")
    ).order_by("username")


def user_roles(user: User) -> frozenset[str]:
    """The active roles ``user`` holds in the current tenant."""
    return frozenset(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
