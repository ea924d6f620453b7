"""Factory-boy factories of the cooperation models (used by the tests and the isolation builders)."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from cooperation.models import (
    REQUIRED_CLAUSES,
    AgreementTemplate,
    Audience,
    ClauseKind,
    Event,
    LibraryItem,
    TemplateClause,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

CLAUSE_TEXT = {
    ClauseKind.OBJECTIVES: "{{tenant.name}} and {{partner.legal_name}} ({{partner.credit_code}}) cooperate.",
    ClauseKind.RIGHTS: "Both parties keep their rights and obligations.",
    ClauseKind.PRICING: "The partner buys at list price less {{deal.discount}}%.",
    ClauseKind.PROMOTION: "The partner promotes the products in its territory.",
    ClauseKind.TERRITORY: "Territory: {{territory}}.",
    ClauseKind.TERM: "From {{agreement.start_date}} to {{agreement.end_date}}.",
    ClauseKind.TERMINATION: "Either party may terminate with 30 days' written notice.",
    ClauseKind.CONFIDENTIALITY: "Both parties keep business secrets confidential.",
    ClauseKind.DISPUTES: "Disputes go to {{dispute.method}} at {{dispute.venue}}.",
}


class AgreementTemplateFactory(DjangoModelFactory):
    class Meta:
        model = AgreementTemplate

    code = factory.Sequence(lambda n: f"template-{n}")
    name = factory.Sequence(lambda n: f"Distribution agreement {n}")
    language = "en"
    dispute_venue = "Shanghai International Arbitration Center"


class TemplateClauseFactory(DjangoModelFactory):
    class Meta:
        model = TemplateClause

    kind = ClauseKind.OTHER
    title = factory.Sequence(lambda n: f"Clause {n}")
    body = "Text."
    order = factory.Sequence(int)


def complete_template(**fields) -> AgreementTemplate:
    """A draft template with every required clause (call inside the tenant's scope)."""
    template = AgreementTemplateFactory(**fields)
    for order, kind in enumerate(REQUIRED_CLAUSES, start=1):
        TemplateClauseFactory(template=template, kind=kind, title=str(ClauseKind(kind).label),
                              body=CLAUSE_TEXT[kind], order=order)
    return template


class AudienceFactory(DjangoModelFactory):
    class Meta:
        model = Audience

    audience_all = True


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Partner conference {n}")
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC))
    ends_at = factory.LazyFunction(lambda: datetime.datetime(2027, 3, 1, 17, tzinfo=datetime.UTC))
    capacity = 50
    audience = factory.SubFactory(AudienceFactory)


class LibraryItemFactory(DjangoModelFactory):
    class Meta:
        model = LibraryItem

    title = factory.Sequence(lambda n: f"Price list {n}")
    kind = "price_list"
    audience = factory.SubFactory(AudienceFactory)
    is_published = True
