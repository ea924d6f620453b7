"""factory-boy factories for recruitment. Build them inside ``tenant_scope`` like every tenant-owned factory."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from channelhub.partners.models import PartnerType
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationRegion,
    ApprovalStep,
    Campaign,
    CampaignSource,
    Criterion,
    CriterionCategory,
    DocumentKind,
    MessageSender,
    OnboardingTask,
    OnboardingTaskTemplate,
    RecruitmentPlan,
    RecruitmentTarget,
    ReviewerAssignment,
    ScorecardTemplate,
    TemplateCriterion,
)
from tests.factories import RegionFactory, UserFactory, next_credit_code

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


class RecruitmentPlanFactory(DjangoModelFactory):
    class Meta:
        model = RecruitmentPlan

    name = factory.Sequence(lambda n: f"2026 拓展计划 {n}")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    budget = Decimal("100000.00")


class RecruitmentTargetFactory(DjangoModelFactory):
    class Meta:
        model = RecruitmentTarget

    plan = factory.SubFactory(RecruitmentPlanFactory)
    region = factory.SubFactory(RegionFactory)
    partner_type = PartnerType.DISTRIBUTOR
    target_count = 5


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    plan = factory.SubFactory(RecruitmentPlanFactory)
    name = factory.Sequence(lambda n: f"Expo {n}")
    code = factory.Sequence(lambda n: f"EXPO{n}")
    source = CampaignSource.EXHIBITION
    start_date = datetime.date(2026, 3, 1)
    cost = Decimal("30000.00")


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    category = CriterionCategory.EXPERIENCE
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    scale_max = 5


class ScorecardTemplateFactory(DjangoModelFactory):
    class Meta:
        model = ScorecardTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    partner_type = ""


class TemplateCriterionFactory(DjangoModelFactory):
    class Meta:
        model = TemplateCriterion

    template = factory.SubFactory(ScorecardTemplateFactory)
    criterion = factory.SubFactory(CriterionFactory)


class ApprovalStepFactory(DjangoModelFactory):
    class Meta:
        model = ApprovalStep

    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Step {n}")
    role = "channel_manager"


class ApplicationFactory(DjangoModelFactory):
    """A draft application with one region wanted (pass ``regions=[...]`` to choose)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"申请公司{n}号贸易有限公司")
    credit_code = factory.LazyFunction(next_credit_code)
    partner_type = PartnerType.DISTRIBUTOR
    registered_capital = Decimal("800.00")
    founding_year = 2012
    staff_count = 40
    contact_name = "张伟"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@company.example")
    contact_phone = "13900000000"
    language = "zh-hans"

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if not create:
            return
        for region in extracted if extracted is not None else [RegionFactory()]:
            ApplicationRegion.objects.create(application=obj, region=region)


class ApplicationDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(ApplicationFactory)
    kind = DocumentKind.BUSINESS_LICENCE
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="licence.pdf"))
    original_name = "licence.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class ApplicationMessageFactory(DjangoModelFactory):
    class Meta:
        model = ApplicationMessage

    application = factory.SubFactory(ApplicationFactory)
    sender = MessageSender.REVIEWER
    body = "请补充近三年的销售业绩。"


class ReviewerAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = ReviewerAssignment

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)


class OnboardingTaskTemplateFactory(DjangoModelFactory):
    class Meta:
        model = OnboardingTaskTemplate

    key = factory.Sequence(lambda n: f"task_{n}")
    name = factory.Sequence(lambda n: f"Task {n}")


class OnboardingTaskFactory(DjangoModelFactory):
    class Meta:
        model = OnboardingTask

    partner = factory.SubFactory("tests.factories.PartnerFactory")
    key = factory.Sequence(lambda n: f"task_{n}")
    name = factory.Sequence(lambda n: f"Task {n}")
