"""Recruitment's entries in the isolation harness (see ``channelhub.testing``).

Imported by ``channelhub.testing.autodiscover()`` as ``tests.recruitment.harness``: test code
stays out of the production package.

Every tenant-owned model of the app gets a builder (one saved row in the side's tenant,
carrying the marker in a text field the pages show) and, where the API or the admin
creates it, a payload. API actions get a valid body so that a 404 never hides behind a 400.

Routes the walker cannot classify get their own checks (``register_route_check``): the
document download for signed-in users, the admin reports page and its *Recompute now*, and every public page under
``/apply/<tenant-slug>/``. The public pages need no login, but they are not "public" in the
walker's sense of holding no tenant data: each check proves that tenant B's tracking token,
campaign code and documents do nothing under tenant A's slug (404, no leak, no change).
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from channelhub.partners.models import PartnerType, Region
from channelhub.partners.validators import make_credit_code
from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.roles import Role
from channelhub.testing import (
    ROLE_ORDER,
    find_token,
    register_action_payload,
    register_model,
    register_route_check,
    row_snapshot,
)
from recruitment import services
from recruitment.models import (
    ApplicantNotification,
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationSource,
    ApplicationTrackingToken,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    CampaignSource,
    Criterion,
    CriterionCategory,
    Decision,
    DocumentKind,
    OnboardingTask,
    OnboardingTaskTemplate,
    RecruitmentFigure,
    RecruitmentPlan,
    RecruitmentReportFigure,
    RecruitmentTarget,
    ReviewerAssignment,
    Score,
    Scorecard,
    ScorecardTemplate,
    TemplateCriterion,
    hash_tracking_token,
)
from tests.recruitment.factories import (
    ApplicationDocumentFactory,
    ApplicationMessageFactory,
    ApprovalStepFactory,
    CampaignFactory,
    CriterionFactory,
    OnboardingTaskFactory,
    OnboardingTaskTemplateFactory,
    RecruitmentPlanFactory,
    RecruitmentTargetFactory,
    ReviewerAssignmentFactory,
    ScorecardTemplateFactory,
    TemplateCriterionFactory,
)

_serial = itertools.count(1)
_TEMPLATE_TYPES = ["", *PartnerType.values]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _credit_code() -> str:
    return make_credit_code(f"91510100MA{next(_serial):07d}")


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _staff_user(marker: str, role: str = Role.TRAINER) -> User:
    """A fresh staff member of the current tenant (reviewers must be unique per application)."""
    user = User.objects.create(username=f"{marker.lower()}-{next(_serial)}", first_name=marker)
    Membership.objects.create(user=user, role=role)
    return user


def _template_type(side) -> str:
    used = set(ScorecardTemplate.objects.values_list("partner_type", flat=True))
    for partner_type in _TEMPLATE_TYPES:
        if partner_type not in used:
            return partner_type
    raise AssertionError("every partner type already has a scorecard template")


def _next_order() -> int:
    return (ApprovalStep.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1


def _application_data(side, marker: str) -> dict:
    return {
        "legal_name": f"{marker} Trading Co., Ltd.", "credit_code": _credit_code(),
        "partner_type": PartnerType.DISTRIBUTOR, "contact_name": marker,
        "contact_email": f"{marker.lower()}@applicant.example", "experience": marker,
    }


def _build_application(side, marker: str) -> Application:
    data = {**_application_data(side, marker), "regions": [side.get(Region)]}
    return services.application_submit(
        tenant=side.tenant, data=data, campaign=side.get(Campaign), source=ApplicationSource.API
    )


def register() -> None:
    register_model(
        RecruitmentPlan,
        build=lambda side, marker: _saved(RecruitmentPlanFactory.build(name=marker, description=marker)),
        payload=lambda side, marker: {
            "name": marker, "start_date": "2026-01-01", "end_date": "2026-12-31", "budget": "5000.00",
            "owner": side.user(Role.CHANNEL_MANAGER).pk,
        },
    )
    register_model(
        RecruitmentTarget,
        build=lambda side, marker: _saved(RecruitmentTargetFactory.build(
            plan=side.get(RecruitmentPlan), region=side.new(Region))),
        payload=lambda side, marker: {
            "plan": side.get(RecruitmentPlan).pk, "region": side.new(Region).pk,
            "partner_type": PartnerType.RETAILER, "target_count": 3,
        },
    )
    register_model(
        Campaign,
        build=lambda side, marker: _saved(CampaignFactory.build(
            plan=side.get(RecruitmentPlan), name=marker, code=marker, notes=marker)),
        payload=lambda side, marker: {
            "plan": side.get(RecruitmentPlan).pk, "name": marker, "code": marker,
            "source": CampaignSource.MEDIA, "start_date": "2026-04-01", "cost": "2000.00",
        },
    )
    register_model(
        Criterion,
        build=lambda side, marker: _saved(CriterionFactory.build(name=marker, guidance=marker, weight=Decimal("2"))),
        payload=lambda side, marker: {
            "category": CriterionCategory.MARKET_INFLUENCE, "name": marker, "weight": "1.50", "scale_max": 10,
        },
    )
    register_model(
        ScorecardTemplate,
        build=lambda side, marker: _saved(ScorecardTemplateFactory.build(
            name=marker, partner_type=_template_type(side))),
        payload=lambda side, marker: {
            "name": marker, "partner_type": _template_type(side),
            "items": [{"criterion": side.get(Criterion).pk, "order": 1}],
        },
    )
    register_model(
        TemplateCriterion,
        build=lambda side, marker: _saved(TemplateCriterionFactory.build(
            template=side.get(ScorecardTemplate), criterion=side.new(Criterion), order=1)),
    )
    register_model(
        ApprovalStep,
        build=lambda side, marker: _saved(ApprovalStepFactory.build(order=_next_order(), name=marker)),
        payload=lambda side, marker: {"order": _next_order() + 10, "name": marker, "role": Role.LEGAL},
    )
    register_model(
        OnboardingTaskTemplate,
        build=lambda side, marker: _saved(OnboardingTaskTemplateFactory.build(key=marker.lower(), name=marker)),
        payload=lambda side, marker: {"key": marker.lower(), "name": marker, "required": True, "order": 5},
    )
    register_model(
        Application,
        build=_build_application,
        payload=lambda side, marker: {
            **_application_data(side, marker), "regions": [side.get(Region).pk],
            "campaign": side.get(Campaign).pk,
        },
    )
    register_model(
        ApplicationRegion,
        build=lambda side, marker: ApplicationRegion.objects.create(
            application=side.get(Application), region=side.new(Region)),
    )

    def build_document(side, marker):
        document = ApplicationDocumentFactory.build(
            application=side.get(Application), file=ContentFile(PDF, name=f"{marker}.pdf"),
            original_name=f"{marker}.pdf", size=len(PDF))
        document.save()
        return document

    register_model(ApplicationDocument, build=build_document)
    register_model(
        ApplicationMessage,
        build=lambda side, marker: _saved(ApplicationMessageFactory.build(
            application=side.get(Application), body=marker)),
    )
    register_model(
        ReviewerAssignment,
        build=lambda side, marker: _saved(ReviewerAssignmentFactory.build(
            application=side.get(Application), reviewer=_staff_user(marker))),
    )
    register_model(
        Scorecard,
        build=lambda side, marker: _saved(Scorecard(
            application=side.get(Application), reviewer=_staff_user(marker), comment=marker)),
    )
    register_model(
        Score,
        build=lambda side, marker: _saved(Score(
            scorecard=side.new(Scorecard), criterion=side.get(Criterion), value=Decimal("3"), weight=Decimal("1"),
            scale_max=5)),
    )
    register_model(
        ApprovalDecision,
        build=lambda side, marker: ApprovalDecision.objects.create(
            application=side.get(Application), step=side.get(ApprovalStep), decision=Decision.APPROVE,
            comment=marker),
    )
    register_model(
        ApplicationTrackingToken,
        build=lambda side, marker: ApplicationTrackingToken.objects.get(
            token_hash=hash_tracking_token(
                ApplicationTrackingToken.issue(application=side.get(Application)))),
    )
    register_model(
        ApplicantNotification,
        build=lambda side, marker: ApplicantNotification.objects.create(
            application=side.get(Application), kind="received", reference=marker),
    )
    register_model(
        OnboardingTask,
        build=lambda side, marker: _saved(OnboardingTaskFactory.build(
            partner=side.partner, key=marker.lower(), name=marker, description=marker)),
    )
    register_model(
        RecruitmentFigure,
        # The dashboard rollup's row; one per (dimension, key), so the key is the marker.
        build=lambda side, marker: RecruitmentFigure.objects.create(
            dimension=RecruitmentFigure.Dimension.RECEIVED, key=marker, count=1, computed_at=timezone.now()),
    )
    register_model(
        RecruitmentReportFigure,
        # A reports' rollup row; a partner type's label falls back to its key, so a page reading it shows the marker.
        build=lambda side, marker: RecruitmentReportFigure.objects.create(
            report=RecruitmentReportFigure.Report.FUNNEL, by="partner_type", key=marker, applications=1,
            computed_at=timezone.now()),
    )

    for route, build in {
        "recruitment-api:plan-transition": lambda side, obj: {"to_status": "active"},
        "recruitment-api:campaign-transition": lambda side, obj: {"to_status": "running"},
        "recruitment-api:application-transition": lambda side, obj: {"to_state": "screening"},
        "recruitment-api:application-assign-reviewers": lambda side, obj: {
            "reviewers": [side.user(Role.TRAINER).pk]},
        "recruitment-api:application-remove-reviewers": lambda side, obj: {
            "reviewers": [side.user(Role.TRAINER).pk]},
        "recruitment-api:application-scorecards": lambda side, obj: {
            "scores": {str(side.get(Criterion).pk): 3}},
        "recruitment-api:application-decide": lambda side, obj: {"decision": Decision.APPROVE},
        "recruitment-api:application-messages": lambda side, obj: {"body": side.marker()},
        "recruitment-api:application-documents": lambda side, obj: {"kind": DocumentKind.OTHER},
        "recruitment-api:onboarding-task-complete": lambda side, obj: {"note": side.marker()},
        "recruitment-api:onboarding-task-reopen": lambda side, obj: {"reason": side.marker()},
        "recruitment-api:onboarding-task-activate-partner": lambda side, obj: {"reason": side.marker()},
    }.items():
        register_action_payload(route, build)


# --------------------------------------------------------------------------- route checks

_addresses = itertools.count(1)


def _anonymous() -> Client:
    """A client from its own address, so the public pages' rate limits never mix up checks."""
    number = next(_addresses)
    return Client(REMOTE_ADDR=f"198.18.{number // 250 % 250}.{number % 250 + 1}")


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return raw.decode("utf-8", errors="replace")


def _no_leak(world, response, where: str, *, echoed: str = "") -> None:
    body = _body(response)
    if echoed:
        body = body.replace(echoed, "")  # what the caller typed into the URL is not a leak
    snippet = find_token(body, world.b.token)
    assert snippet is None, f"{where}: tenant B's data appears in tenant A's response:\n…{snippet}…"


def _public(route_name: str, side, **kwargs) -> str:
    return reverse(route_name, kwargs={"tenant_slug": side.tenant.slug, **kwargs})


def _unchanged(world, *objects):
    before = [row_snapshot(obj) for obj in objects]
    return lambda: [row_snapshot(obj) for obj in objects] == before


def check_document_download(world, route) -> None:
    """Staff of A read A's documents; B's answer 404 to every role of A; anonymous and other partners 404."""
    # A fresh file: the shared world's were written before this test chose its media root.
    mine, theirs = world.a.new(ApplicationDocument), world.b.get(ApplicationDocument)
    world.b.build_all()
    own = world.a.client(world.a.user(Role.TRAINER)).get(route.url(pk=mine.pk))
    assert own.status_code == 200, f"{route.id}: tenant A's staff got {own.status_code} for A's document"
    for role in ROLE_ORDER:
        response = world.a.client(world.a.user(role)).get(route.url(pk=theirs.pk))
        assert response.status_code == 404, f"{route.id}: A's {role} got {response.status_code} for B's document"
        _no_leak(world, response, route.id)
    # A's partner staff: the document belongs to no partner of theirs.
    for role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
        response = world.a.client(world.a.user(role)).get(route.url(pk=mine.pk))
        assert response.status_code == 404, f"{route.id}: A's {role} read an applicant's document"
    assert _anonymous().get(route.url(pk=mine.pk)).status_code == 404


def _application_form(side) -> dict:
    return {
        "legal_name": f"{side.marker()} Trading Co., Ltd.", "credit_code": _credit_code(),
        "registered_capital": "300", "founding_year": "2015", "staff_count": "12",
        "partner_type": PartnerType.RESELLER, "regions": [side.get(Region).pk], "contact_name": "Li",
        "contact_email": "li@applicant.example", "contact_phone": "13800000000", "consent": "on",
        "business_licence": SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf"),
    }


def check_apply(world, route) -> None:
    """A's form offers A's regions only; B's campaign code tags nothing; B's region is refused."""
    world.b.build_all()
    theirs = world.b.get(Campaign)
    client = _anonymous()
    if route.id.endswith("apply-campaign"):
        url = _public(route.id, world.a, campaign_code=theirs.code)
        response = client.get(url)
        assert response.status_code == 200, f"{route.id}: {response.status_code}"
        assert response.context["campaign"] is None, f"{route.id}: tenant B's campaign tagged A's form"
        _no_leak(world, response, route.id, echoed=theirs.code)
    else:
        url = _public(route.id, world.a) + f"?c={theirs.code}"
        response = client.get(url)
        assert response.status_code == 200 and response.context["campaign"] is None
        _no_leak(world, response, route.id, echoed=theirs.code)
        assert world.a.marker_of(world.a.get(Region)) in _body(response), f"{route.id}: A's region is missing"
    counts = world.counts()
    refused = client.post(url, {**_application_form(world.a), "regions": [world.b.get(Region).pk]})
    assert refused.status_code == 200 and "regions" in refused.context["form"].errors
    assert world.counts() == counts, f"POST {route.id} with tenant B's region created rows"
    accepted = client.post(url, _application_form(world.a))
    assert accepted.status_code == 302, f"POST {route.id}: {accepted.status_code}"
    with world.a.scope():
        created = Application.objects.order_by("-pk").first()
    assert created.tenant_id == world.a.tenant.pk and created.campaign_id is None


def check_thanks(world, route) -> None:
    world.b.build_all()
    response = _anonymous().get(_public(route.id, world.a))
    assert response.status_code == 200
    _no_leak(world, response, route.id)


def check_track(world, route) -> None:
    """B's token under A's slug and A's token under B's slug are 404 for every tracking page."""
    mine, theirs = world.a.get(Application), world.b.get(Application)
    mine_doc, theirs_doc = world.a.new(ApplicationDocument), world.b.get(ApplicationDocument)
    world.b.build_all()
    extra = {"pk": theirs_doc.pk} if "pk" in route.kwarg_names else {}
    unchanged = _unchanged(world, theirs, theirs_doc)
    counts = world.counts()
    method = "get" if route.id.endswith((":track", ":document", ":withdraw")) else "post"
    for url in (
        _public(route.id, world.a, token=theirs.tracking_token, **extra),
        _public(route.id, world.b, token=mine.tracking_token, **({"pk": mine_doc.pk} if extra else {})),
    ):
        for verb in {method, "post"} if route.id.endswith(":withdraw") else {method}:
            response = getattr(_anonymous(), verb)(url, {"body": "x", "kind": "other", "reason": "x"})
            assert response.status_code == 404, f"{verb.upper()} {url}: {response.status_code} (expected 404)"
            _no_leak(world, response, route.id)
    assert unchanged(), f"{route.id} changed tenant B's rows"
    assert world.counts() == counts, f"{route.id} created rows"
    if extra:
        # A's own token with B's document id: still nothing.
        response = _anonymous().get(_public(route.id, world.a, token=mine.tracking_token, pk=theirs_doc.pk))
        assert response.status_code == 404
        own = _anonymous().get(_public(route.id, world.a, token=mine.tracking_token, pk=mine_doc.pk))
        assert own.status_code == 200
    elif method == "get":
        own = _anonymous().get(_public(route.id, world.a, token=mine.tracking_token))
        assert own.status_code == 200, f"{route.id}: A's own token answered {own.status_code}"
        _no_leak(world, own, route.id)


def _in_scoring(side, reviewer: User) -> Application:
    """A fresh application of ``side`` in scoring, with ``reviewer`` assigned."""
    application = side.new(Application)
    with side.scope():
        for state in ("screening", "scoring"):
            services.application_transition(application=application, to_state=state, actor=None)
        services.application_assign_reviewers(application=application, reviewers=[reviewer], actor=None)
    return application


def check_admin_score(world, route) -> None:
    """The admin's "Score this application": A's reviewer scores A's application; B's is 404 to all of A.

    The generic object check cannot stand in: the page belongs to the assigned reviewer only
    (other staff of the same tenant get 403), so it needs an assignment on each side.
    """
    world.a.build_all()
    world.b.build_all()
    reviewer = world.a.user(Role.TRAINER)
    mine = _in_scoring(world.a, reviewer)
    theirs = _in_scoring(world.b, world.b.user(Role.TRAINER))
    own = world.a.client(reviewer).get(route.url(pk=mine.pk))
    assert own.status_code == 200, f"{route.id}: A's reviewer got {own.status_code} for A's application"
    _no_leak(world, own, route.id)
    rows = own.context["rows"]
    assert rows, f"{route.id}: no criteria to score on A's application, so the check proves nothing"
    body = {f"score_{row['criterion'].pk}": "1" for row in rows}
    counts = world.counts()
    unchanged = _unchanged(world, theirs)
    for role in ROLE_ORDER:
        client = world.a.client(world.a.user(role))
        for method in ("get", "post"):
            response = getattr(client, method)(route.url(pk=theirs.pk), body)
            assert response.status_code in (302, 403, 404), (
                f"{method.upper()} {route.id}: A's {role} got {response.status_code} for B's application")
            if response.status_code == 302:  # partner staff: sent to the admin login, nothing more
                assert "/login/" in response["Location"], response["Location"]
            _no_leak(world, response, route.id)
    assert world.a.client(reviewer).get(route.url(pk=theirs.pk)).status_code == 404
    assert unchanged(), f"{route.id} changed tenant B's application"
    assert world.counts() == counts, f"{route.id} wrote rows"
    # A's own reviewer posting A's scores works: the 404 above was the tenant, not a bad body.
    assert world.a.client(reviewer).post(route.url(pk=mine.pk), body).status_code == 302


def _xlsx_text(content: bytes) -> str:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)


def check_admin_reports(world, route) -> None:
    """Every report, grouping and export of A's managers shows A's rows only; other roles get 403."""
    from recruitment import reports

    world.b.build_all()
    world.a.build_all()
    manager = world.a.client(world.a.user(Role.CHANNEL_MANAGER))
    own_plan = world.a.marker_of(world.a.get(RecruitmentPlan))
    for report, groupings in reports.GROUPINGS.items():
        for by in groupings:
            for export in ("", "csv", "xlsx"):
                url = f"{route.url()}?report={report}&by={by}" + (f"&export={export}" if export else "")
                response = manager.get(url)
                assert response.status_code == 200, f"{url}: {response.status_code}"
                text = _xlsx_text(response.content) if export == "xlsx" else _body(response)
                snippet = find_token(text, world.b.token)
                assert snippet is None, f"{url}: tenant B's data in tenant A's report:\n…{snippet}…"
                if report == "funnel" and by == "plan":
                    assert own_plan in text, f"{url}: tenant A's own plan is missing"
    for role in (Role.TRAINER, Role.LEGAL, Role.FINANCE):
        assert world.a.client(world.a.user(role)).get(route.url()).status_code == 403, role
    assert world.a.client(world.a.user(Role.PARTNER_ADMIN)).get(route.url()).status_code in (302, 403)


def check_admin_report_recompute(world, route) -> None:
    """A manager's *Recompute now* rewrites A's report figures only (B's rows stay as they were), and
    the report it leads back to shows A's rows only; staff who may not see the reports are refused."""
    from recruitment import selectors

    world.b.build_all()
    world.a.build_all()
    with world.b.scope():
        selectors.report_figures_refresh(computed_at=timezone.now())
        theirs = sorted(RecruitmentReportFigure.objects.values_list("pk", "key", "applications", "computed_at"))
    for role in (Role.TRAINER, Role.LEGAL, Role.FINANCE):
        assert world.a.client(world.a.user(role)).post(route.url()).status_code == 403, role
    assert world.a.client(world.a.user(Role.PARTNER_ADMIN)).post(route.url()).status_code in (302, 403)
    with world.a.scope():
        assert not RecruitmentReportFigure.objects.filter(by="total").exists(), "a refused recompute wrote rows"
    manager = world.a.client(world.a.user(Role.CHANNEL_MANAGER))
    response = manager.post(route.url(), {"report": "funnel", "by": "partner_type"})
    assert response.status_code == 302, response.status_code
    _no_leak(world, manager.get(response["Location"]), route.id)
    with world.a.scope():
        assert RecruitmentReportFigure.objects.filter(by="total").count() == 3
    with world.b.scope():
        assert sorted(RecruitmentReportFigure.objects.values_list(
            "pk", "key", "applications", "computed_at")) == theirs, "tenant B's report figures changed"


register()
register_route_check("admin:recruitment_recruitmentplan_reports", check_admin_reports)
register_route_check("admin:recruitment_recruitmentplan_reports_recompute", check_admin_report_recompute)
register_route_check("admin:recruitment_application_score", check_admin_score)
for _name in ("recruitment-public:apply", "recruitment-public:apply-campaign"):
    register_route_check(_name, check_apply)
register_route_check("recruitment-public:thanks", check_thanks)
for _name in ("track", "answer", "document-upload", "document", "withdraw"):
    register_route_check(f"recruitment-public:{_name}", check_track)
register_route_check("recruitment:document-download", check_document_download)
