"""The demo applications: one story per application, told through the services on the demo clock."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile

from channelhub.demo.builder import PLACES, Place, credit_code_for, mobile_number, person_name
from channelhub.demo.data import DEMO_PASSWORD, SEED, TRADE_NAMES, TenantSpec
from channelhub.partners.models import Partner, PartnerStatus, Region
from channelhub.tenancy.models import User
from channelhub.tenancy.roles import Role

from .stories import STORIES, Ctx
from .texts import RecruitmentTexts

# A tiny valid PDF and PNG: the upload checks read the first bytes.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 48


# --------------------------------------------------------------------------- applications


@dataclass
class Applicant:
    legal_name: str
    credit_code: str
    partner_type: str
    place: Place
    data: dict
    campaign: object
    language: str


def _kind(spec: TenantSpec, partner_type: str):
    return next((k for k in spec.kinds if k.partner_type == partner_type), spec.kinds[0])


def _plan_applicant(ctx: Ctx, number: int, campaigns, taken: set[str]) -> Applicant:
    """Applicant ``number``: its identity (place, type, credit code) depends on nothing but the number.

    The name is drawn afterwards and avoids names already taken, so a tenant with more or
    fewer partners gets other names but the same credit codes: re-runs recognise them.
    """
    spec, texts = ctx.spec, ctx.texts
    rng = random.Random(f"{SEED}:{spec.slug}:applicant:{number}")
    # Most come through a campaign; every sixth straight from the form without a code.
    usable = [c for c in campaigns if c.status != "planned"]
    campaign = None if number % 6 == 5 else usable[number % len(usable)]
    targets = [t for p in texts.plans for t in p.targets]
    if campaign is not None:
        index = next(i for i, c in enumerate(texts.campaigns) if c.code == campaign.code)
        targets = list(texts.plans[texts.campaigns[index].plan].targets)
    area_code, partner_type, _n = targets[number % len(targets)]
    places = [p for p in PLACES if p.area.code == area_code] or list(PLACES)
    place = rng.choice(places)
    kind = _kind(spec, partner_type)
    founded = rng.randint(*kind.founded)
    credit_code = credit_code_for(rng, division=place.city.code, founded=founded)
    rng = random.Random(f"{SEED}:{spec.slug}:applicant:{number}:details")
    while True:
        (trade, trade_en), industry = rng.choice(TRADE_NAMES), rng.choice(kind.industries)
        legal_name = f"{place.short}{trade}{industry.zh}"
        if legal_name not in taken:
            taken.add(legal_name)
            break
    name, pinyin = person_name(rng)
    city = place.short_en.lower().replace("'", "").replace(" ", "")
    website = f"https://www.{trade_en.lower()}-{city}.com.cn" if rng.random() < kind.website_share else ""
    domain = website.split("//www.", 1)[1] if website else rng.choice(("163.com", "126.com", "qq.com"))
    capitals = [v for v in (50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000)
                if kind.capital[0] <= v <= kind.capital[1]]
    low, high = kind.staff
    data = {
        "legal_name": legal_name,
        "credit_code": credit_code,
        "registered_capital": Decimal(rng.choice(capitals or [500])),
        "founding_year": founded,
        "staff_count": low + int((high - low) * rng.random() ** 2),
        "website": website,
        "address": f"{place.full}{rng.choice(('人民路', '中山路', '建设路', '世纪大道'))}{rng.randint(1, 300)}号",
        "partner_type": partner_type,
        "experience": rng.choice(texts.experience).format(
            years=max(2, ctx.today.year - founded), place=place.city.name if spec.default_language != "en"
            else place.city.name_en, industry=industry.zh if spec.default_language != "en" else industry.en.lower()),
        "brands_carried": rng.choice(texts.brands),
        "references": "",
        "contact_name": name,
        "contact_title": rng.choice(texts.titles),
        "contact_email": f"{pinyin}@{domain}",
        "contact_phone": mobile_number(rng),
        "language": texts.applicant_languages[number % len(texts.applicant_languages)],
        "regions": [],
    }
    return Applicant(legal_name, data["credit_code"], partner_type, place, data, campaign, data["language"])


def _ensure_applications(ctx: Ctx, criteria, plans, campaigns, progress) -> None:
    from recruitment.models import Application

    regions = {region.code: region for region in Region.objects.all()}
    codes = set(Application.objects.values_list("credit_code", flat=True))
    # Names of partners that did not come from an application (converted ones carry the applicant's).
    taken = set(Partner.objects.filter(applications__isnull=True).values_list("legal_name", flat=True))
    stories = list(STORIES)
    # The stories start at different days: the longest (decided ones) furthest back.
    for number, (state, variant) in enumerate(stories):
        applicant = _plan_applicant(ctx, number, campaigns, taken)
        story_rng = random.Random(f"{SEED}:{ctx.spec.slug}:recruitment:{number}")
        if variant == "duplicate":
            applicant = _duplicate_of_a_partner(applicant)
        if applicant.credit_code in codes:
            if progress is not None:
                progress.update(1)
            continue
        applicant.data["regions"] = [regions[code] for code in _region_codes(applicant, story_rng) if code in regions]
        _tell(ctx, number, state, variant, applicant, criteria, story_rng)
        codes.add(applicant.credit_code)
        ctx.counts["applications"] += 1
        if progress is not None:
            progress.update(1)


def _region_codes(applicant: Applicant, rng: random.Random) -> list[str]:
    codes = [applicant.place.city.code]
    if rng.random() < 0.3:
        codes.append(applicant.place.province.code)
    return codes


def _duplicate_of_a_partner(applicant: Applicant) -> Applicant:
    """A former partner applies again: its credit code, and its name written slightly differently."""
    with_code = Partner.objects.filter(credit_code__isnull=False).order_by("credit_code")
    partner = with_code.filter(status=PartnerStatus.TERMINATED).first() or with_code.first()
    if partner is None:
        return applicant
    if "股份有限公司" in partner.legal_name:
        name = partner.legal_name.replace("股份有限公司", "有限公司")
    else:
        name = partner.legal_name.replace("有限公司", "股份有限公司")
    applicant.data.update(legal_name=name, credit_code=partner.credit_code, partner_type=partner.partner_type)
    applicant.legal_name, applicant.credit_code = name, partner.credit_code
    return applicant


def _documents(applicant: Applicant, rng: random.Random) -> list:
    chinese = applicant.language != "en"
    docs = [("business_licence", ContentFile(PDF, name="营业执照.pdf" if chinese else "business-licence.pdf"))]
    if rng.random() < 0.6:
        docs.append(("qualification", ContentFile(PNG, name="资质证书.png" if chinese else "qualification.png")))
    return docs


def _tell(ctx: Ctx, number: int, state: str, variant: str, applicant: Applicant, criteria, rng: random.Random) -> None:
    """Walk one application from submission to its final state, each step at its time."""
    from recruitment import services
    from recruitment.models import ApplicationSource
    from recruitment.models import ApplicationState as S

    texts, clock, users = ctx.texts, ctx.clock, ctx.users
    deciders = {role: users[username] for role, username in texts.deciders.items()}
    manager = deciders[Role.CHANNEL_MANAGER]
    # When the story starts: decided stories began months ago, fresh ones in the last days.
    age = {
        "draft": rng.randint(1, 6), "submitted": rng.randint(1, 5), "screening": rng.randint(4, 12),
        "scoring": rng.randint(10, 30), "in_review": rng.randint(20, 50), "approved": rng.randint(45, 150),
        "rejected": rng.randint(30, 140), "withdrawn": rng.randint(15, 90),
    }[state]
    day = ctx.today - datetime.timedelta(days=age, hours=rng.randint(0, 8))

    def step(days_min: float, days_max: float):
        nonlocal day
        day = min(day + datetime.timedelta(hours=rng.randint(int(days_min * 24), int(days_max * 24))),
                  ctx.today - datetime.timedelta(hours=2))
        return clock.at(day)

    clock.at(day)
    if state == "draft":
        services.application_create(tenant=ctx.tenant, actor=manager, data=applicant.data,
                                    campaign=applicant.campaign, source=ApplicationSource.STAFF)
        return
    source = ApplicationSource.API if number % 7 == 3 else ApplicationSource.PUBLIC_FORM
    application = services.application_submit(
        tenant=ctx.tenant, data=applicant.data, documents=_documents(applicant, rng), campaign=applicant.campaign,
        source=source,
    )
    if variant == "question":
        step(0.5, 2)
        question = services.application_ask_question(application=application, actor=manager,
                                                     body=rng.choice(texts.questions))
        if state == "screening":
            step(0.5, 2)
            services.application_answer(application=application, body=rng.choice(texts.answers), reply_to=question)
    if state == "submitted":
        return
    if state == "withdrawn" and variant == "submitted":
        step(1, 3)
        services.application_withdraw(application=application, reason=_withdraw_reason(texts, rng))
        return
    step(0.5, 3)
    services.application_transition(application=application, to_state=S.SCREENING, actor=manager)
    if state == "screening":
        return
    if state == "rejected" and variant == "screening":
        step(1, 3)
        services.application_transition(application=application, to_state=S.REJECTED, actor=manager,
                                        reason=texts.reject_screening)
        return
    step(1, 4)
    services.application_transition(application=application, to_state=S.SCORING, actor=manager)
    pair = [users[name] for name in texts.reviewers[number % len(texts.reviewers)]]
    services.application_assign_reviewers(application=application, reviewers=pair, actor=manager)
    scorers = {"none": 0, "partial": 1}.get(variant, 2) if state == "scoring" else 2
    quality = "knockout" if variant == "knockout" else ("low" if (state, variant) == ("rejected", "step1") else "good")
    for reviewer in pair[:scorers]:
        step(0.5, 5)
        _score(application, reviewer, criteria, quality, texts, rng)
    if state == "withdrawn" and variant == "scoring":
        step(1, 3)
        services.application_withdraw(application=application, reason=_withdraw_reason(texts, rng))
        return
    if state == "scoring":
        return
    step(0.5, 2)
    services.application_transition(application=application, to_state=S.IN_REVIEW, actor=manager)
    stop_at = {"step1": 1, "step2": 2, "returned": 2, "step3": 3}.get(variant, 4) if state == "in_review" else 4
    if state == "withdrawn":
        stop_at = 2
    if state == "rejected":
        stop_at = 3 if variant == "legal" else 1
    for order, _name, role in texts.steps:
        application.refresh_from_db()
        if order >= stop_at and state in ("in_review", "withdrawn"):
            break
        if order == stop_at and state == "rejected":
            step(1, 4)
            comment = {"step1": texts.reject_low, "knockout": texts.reject_knockout,
                       "legal": texts.reject_legal}[variant]
            services.application_decide(application=application, actor=deciders[role], decision="reject",
                                        comment=comment)
            return
        step(1, 4)
        services.application_decide(application=application, actor=deciders[role], decision="approve",
                                    comment=rng.choice(texts.approve_comments))
        if variant == "returned" and order == 1:
            # The director sends it back once; the reviewers score again and it climbs the chain anew.
            application.refresh_from_db()
            step(1, 3)
            services.application_decide(application=application, actor=deciders[Role.OWNER], decision="return",
                                        comment=texts.return_comment, return_to="scoring")
            application.refresh_from_db()
            for reviewer in pair:
                step(1, 3)
                _score(application, reviewer, criteria, "good", texts, rng)
            step(0.5, 1)
            services.application_transition(application=application, to_state=S.IN_REVIEW, actor=manager)
            application.refresh_from_db()
            step(1, 2)
            services.application_decide(application=application, actor=deciders[Role.CHANNEL_MANAGER],
                                        decision="approve", comment=rng.choice(texts.approve_comments))
    if state == "withdrawn":
        step(1, 3)
        application.refresh_from_db()
        services.application_withdraw(application=application, reason=_withdraw_reason(texts, rng))
        return
    if state != "approved":
        return
    application.refresh_from_db()
    _onboard(ctx, application, variant, rng, step)


def _withdraw_reason(texts: RecruitmentTexts, rng: random.Random) -> str:
    return rng.choice(texts.withdraw_reasons)


def _score(application, reviewer, criteria, quality: str, texts: RecruitmentTexts, rng: random.Random) -> None:
    from recruitment import selectors, services

    scores = {}
    for item in selectors.scoring_criteria(application=application):
        criterion = item.criterion
        top = criterion.scale_max
        knockout = criterion.knockout_threshold is not None and criterion.category == "legal_compliance"
        if quality == "knockout" and knockout:
            value = rng.choice((1, 2))
        elif quality == "low":
            value = max(1, round(top * rng.uniform(0.35, 0.6)))
        else:
            value = max(1, round(top * rng.uniform(0.65, 1.0)))
        scores[criterion.pk] = min(value, top)
    services.scorecard_submit(application=application, reviewer=reviewer, scores=scores,
                              comment=rng.choice(texts.score_comments))


def _onboard(ctx: Ctx, application, variant: str, rng: random.Random, step) -> None:
    """The converted partner ticks part of its checklist; one finishes it, one is activated early."""
    from recruitment import services

    partner = application.partner
    manager = ctx.users[ctx.texts.deciders[Role.CHANNEL_MANAGER]]
    keys = [key for key, *_rest in ctx.texts.checklist]
    done = {"0": 0, "1": 1, "2": 2, "3": 3, "all": len(keys), "early": 1}[variant]
    if variant == "2":
        _name_the_new_partner_admin(ctx, partner)  # accepts the invitation while it is fresh
    for key in keys[:done]:
        step(2, 10)
        services.onboarding_task_complete(partner=partner, key=key, actor=manager, source="manual")
    if variant == "early":
        step(1, 3)
        partner.refresh_from_db()
        services.partner_activate_early(partner=partner, actor=manager, reason=ctx.texts.activate_reason)


def _name_the_new_partner_admin(ctx: Ctx, partner: Partner) -> None:
    """One converted partner's administrator accepts the invitation with a demo login, to see the
    checklist in the portal (the others' invitations stay pending, as in real life)."""
    from channelhub.tenancy.models import Invitation, InvitationState
    from channelhub.tenancy.services import invitation_accept_new_account

    invitation = Invitation.objects.select_related("tenant", "partner").filter(
        partner=partner, role=Role.PARTNER_ADMIN, state=InvitationState.PENDING).first()
    if invitation is None or User.objects.filter(username=ctx.texts.new_partner_admin).exists():
        return
    if User.objects.filter(email__iexact=invitation.email).exists():
        return  # the address already has an account: only its owner may accept
    invitation_accept_new_account(
        invitation=invitation, username=ctx.texts.new_partner_admin, password=DEMO_PASSWORD,
        first_name=invitation.first_name,
    )
    ctx.counts["demo logins"] += 1
