"""Recruitment fixtures: an approval chain, criteria, people in every deciding role, valid input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from channelhub.partners.models import PartnerType
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from recruitment import services
from recruitment.models import ApplicationSource, ApplicationState
from tests.conftest import make_member
from tests.factories import RegionFactory

from .factories import (
    PDF_BYTES,
    ApprovalStepFactory,
    CriterionFactory,
    ScorecardTemplateFactory,
    TemplateCriterionFactory,
)


@pytest.fixture(autouse=True)
def _english():
    """Assertions read English messages; e-mail tests set the applicant's language themselves."""
    with translation.override("en"):
        yield


def pdf(name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def people(tenant):
    """Staff of ``tenant``: a channel manager, a director (owner), a legal reviewer, two reviewers."""
    return {
        "manager": make_member(tenant, Role.CHANNEL_MANAGER, username="manager"),
        "director": make_member(tenant, Role.OWNER, username="director"),
        "legal": make_member(tenant, Role.LEGAL, username="legal"),
        "reviewer1": make_member(tenant, Role.CHANNEL_MANAGER, username="reviewer1"),
        "reviewer2": make_member(tenant, Role.TRAINER, username="reviewer2"),
    }


@pytest.fixture
def chain(tenant):
    """The three-step approval chain: channel manager → director (owner) → legal."""
    with tenant_scope(tenant):
        return [
            ApprovalStepFactory(order=1, name="渠道经理审核", role=Role.CHANNEL_MANAGER),
            ApprovalStepFactory(order=2, name="销售总监审批", role=Role.OWNER),
            ApprovalStepFactory(order=3, name="法务审核", role=Role.LEGAL),
        ]


@pytest.fixture
def criteria(tenant):
    """Two criteria in a default template: A (weight 3, scale 5, knock-out 3.5), B (weight 1, scale 10)."""
    with tenant_scope(tenant):
        template = ScorecardTemplateFactory(partner_type="")
        a = CriterionFactory(name="Legal", weight=Decimal("3"), scale_max=5, knockout_threshold=Decimal("3.5"))
        b = CriterionFactory(name="Experience", weight=Decimal("1"), scale_max=10)
        TemplateCriterionFactory(template=template, criterion=a, order=1)
        TemplateCriterionFactory(template=template, criterion=b, order=2)
        return {"template": template, "a": a, "b": b}


@pytest.fixture
def region(tenant):
    with tenant_scope(tenant):
        return RegionFactory(code="EAST", name="华东", name_en="East")


@pytest.fixture
def application_data(region):
    """``application_data(**overrides)`` → valid submit data for ``tenant``."""

    def build(**overrides):
        from tests.factories import next_credit_code

        data = {
            "legal_name": "上海星辰科技有限公司",
            "credit_code": next_credit_code(),
            "registered_capital": Decimal("1000.00"),
            "founding_year": 2015,
            "staff_count": 60,
            "partner_type": PartnerType.DISTRIBUTOR,
            "experience": "十年消费电子分销经验",
            "brands_carried": "Brand X, Brand Y",
            "contact_name": "李娜",
            "contact_title": "总经理",
            "contact_email": "lina@xingchen.example",
            "contact_phone": "13812345678",
            "language": "zh-hans",
            "regions": [region],
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def submit(tenant, application_data):
    """``submit(**overrides)`` → a submitted application (public form, one PDF licence)."""

    def run(documents=None, **overrides):
        return services.application_submit(
            tenant=tenant, data=application_data(**overrides),
            documents=[("business_licence", pdf())] if documents is None else documents,
            source=ApplicationSource.PUBLIC_FORM,
        )

    return run


def move(application, *states, actor=None):
    """Walk an application through plain transitions."""
    for state in states:
        services.application_transition(application=application, to_state=state, actor=actor)
    return application


@pytest.fixture
def in_review(tenant, submit, chain, criteria, people):
    """``in_review(**overrides)`` → an application scored by two reviewers, waiting at step 1."""

    def run(**overrides):
        application = submit(**overrides)
        with tenant_scope(tenant):
            move(application, ApplicationState.SCREENING, ApplicationState.SCORING, actor=people["manager"])
            services.application_assign_reviewers(
                application=application, reviewers=[people["reviewer1"], people["reviewer2"]],
                actor=people["manager"],
            )
            for reviewer, scores in (("reviewer1", (4, 7)), ("reviewer2", (3, 9))):
                services.scorecard_submit(
                    application=application, reviewer=people[reviewer],
                    scores={criteria["a"].pk: scores[0], criteria["b"].pk: scores[1]},
                )
            move(application, ApplicationState.IN_REVIEW, actor=people["manager"])
        return application

    return run
