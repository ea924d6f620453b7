"""Recruitment's entries in the tenant-isolation harness (see ``channelhub.testing``).

Every tenant-owned model of the app gets a builder (one saved row in the side's tenant,
carrying the marker in a text field the pages show) and, where the API or the admin
creates it, a payload. API actions get a valid body so that a 404 never hides behind a 400.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from channelhub.partners.models import PartnerType, Region
from channelhub.partners.validators import make_credit_code
from channelhub.tenancy.models import Membership, User
from channelhub.tenancy.roles import Role
from channelhub.testing import register_action_payload, register_model

from . import services
from .models import (
    ApplicantNotification,
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApplicationSource,
    ApprovalDecision,
    ApprovalStep,
    Campaign,
    CampaignSource,
    Criterion,
    CriterionCategory,
    Decision,
    DocumentKind,
    MessageSender,
    OnboardingTask,
    OnboardingTaskTemplate,
    RecruitmentPlan,
    RecruitmentTarget,
    ReviewerAssignment,
    Score,
    Scorecard,
    ScorecardTemplate,
    TemplateCriterion,
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
        build=lambda side, marker: _saved(RecruitmentPlan(
            name=marker, description=marker, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
            budget=Decimal("100000.00"))),
        payload=lambda side, marker: {
            "name": marker, "start_date": "2026-01-01", "end_date": "2026-12-31", "budget": "5000.00",
            "owner": side.user(Role.CHANNEL_MANAGER).pk,
        },
    )
    register_model(
        RecruitmentTarget,
        build=lambda side, marker: _saved(RecruitmentTarget(
            plan=side.get(RecruitmentPlan), region=side.new(Region), partner_type=PartnerType.DISTRIBUTOR,
            target_count=5)),
        payload=lambda side, marker: {
            "plan": side.get(RecruitmentPlan).pk, "region": side.new(Region).pk,
            "partner_type": PartnerType.RETAILER, "target_count": 3,
        },
    )
    register_model(
        Campaign,
        build=lambda side, marker: _saved(Campaign(
            plan=side.get(RecruitmentPlan), name=marker, code=marker, source=CampaignSource.EXHIBITION,
            start_date=date(2026, 3, 1), cost=Decimal("1000.00"), notes=marker)),
        payload=lambda side, marker: {
            "plan": side.get(RecruitmentPlan).pk, "name": marker, "code": marker,
            "source": CampaignSource.MEDIA, "start_date": "2026-04-01", "cost": "2000.00",
        },
    )
    register_model(
        Criterion,
        build=lambda side, marker: _saved(Criterion(
            category=CriterionCategory.EXPERIENCE, name=marker, guidance=marker, weight=Decimal("2"),
            scale_max=5)),
        payload=lambda side, marker: {
            "category": CriterionCategory.MARKET_INFLUENCE, "name": marker, "weight": "1.50", "scale_max": 10,
        },
    )
    register_model(
        ScorecardTemplate,
        build=lambda side, marker: _saved(ScorecardTemplate(name=marker, partner_type=_template_type(side))),
        payload=lambda side, marker: {
            "name": marker, "partner_type": _template_type(side),
            "items": [{"criterion": side.get(Criterion).pk, "order": 1}],
        },
    )
    register_model(
        TemplateCriterion,
        build=lambda side, marker: _saved(TemplateCriterion(
            template=side.get(ScorecardTemplate), criterion=side.new(Criterion), order=1)),
    )
    register_model(
        ApprovalStep,
        build=lambda side, marker: _saved(ApprovalStep(order=_next_order(), name=marker, role=Role.CHANNEL_MANAGER)),
        payload=lambda side, marker: {"order": _next_order() + 10, "name": marker, "role": Role.LEGAL},
    )
    register_model(
        OnboardingTaskTemplate,
        build=lambda side, marker: _saved(OnboardingTaskTemplate(key=marker.lower(), name=marker)),
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
        document = ApplicationDocument(
            application=side.get(Application), kind=DocumentKind.BUSINESS_LICENCE,
            file=ContentFile(PDF, name=f"{marker}.pdf"), original_name=f"{marker}.pdf",
            content_type="application/pdf", size=len(PDF))
        document.save()
        return document

    register_model(ApplicationDocument, build=build_document)
    register_model(
        ApplicationMessage,
        build=lambda side, marker: _saved(ApplicationMessage(
            application=side.get(Application), sender=MessageSender.REVIEWER, body=marker)),
    )
    register_model(
        ReviewerAssignment,
        build=lambda side, marker: _saved(ReviewerAssignment(
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
        ApplicantNotification,
        build=lambda side, marker: ApplicantNotification.objects.create(
            application=side.get(Application), kind="received", reference=marker),
    )
    register_model(
        OnboardingTask,
        build=lambda side, marker: _saved(OnboardingTask(
            partner=side.partner, key=marker.lower(), name=marker, description=marker)),
    )

    for route, build in {
        "recruitment-api:plan-transition": lambda side, obj: {"to_status": "active"},
        "recruitment-api:campaign-transition": lambda side, obj: {"to_status": "running"},
        "recruitment-api:application-transition": lambda side, obj: {"to_state": "screening"},
        "recruitment-api:application-assign-reviewers": lambda side, obj: {
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


register()
