"""Build the demo tenants from ``data``: deterministic, idempotent, through the services.

Deterministic: every value comes from ``random.Random`` seeded with ``SEED``, the tenant
and the partner's position, so every run plans exactly the same rows, and the first N
partners are the same whatever count is asked for (seeding 12 and later 200 adds 188).

Idempotent: each row is looked up by its natural key first (tenant slug, username and
role, region code, SKU, credit code) and only missing rows are created, so a second run
writes nothing, not even history rows. A tenant is built inside one transaction, so it is
either complete or absent.

Every tenant-owned write goes through a service inside ``tenant_scope`` so the audit
tables record it, and partners reach their status through ``partner_transition`` so the
lifecycle log shows each move, made by the partner's channel manager.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from channelhub.partners.models import Partner, PartnerStatus, Product, Region
from channelhub.partners.services import (
    contact_create,
    partner_create,
    partner_transition,
    product_create,
    region_create,
)
from channelhub.partners.validators import make_credit_code
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership, Tenant, User
from channelhub.tenancy.roles import PARTNER_ROLES, Role
from channelhub.tenancy.services import membership_grant, tenant_create

from .data import (
    ADMIN_USERNAME,
    BUILDINGS,
    DEFAULT_PARTNERS_PER_TENANT,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    FREE_MAIL_DOMAINS,
    GIVEN_NAMES,
    MOBILE_PREFIXES,
    REGIONS,
    SEED,
    STREETS,
    SURNAMES,
    TENANT_SLUGS,
    TENANTS,
    TRADE_NAMES,
    Area,
    City,
    FlagshipPartner,
    PartnerKind,
    Province,
    TenantSpec,
)
from .registry import seed_apps

# --- Progress reporting (the command passes tqdm; tests and library use pass nothing) ----


class NullProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


ProgressFactory = Callable[..., object]  # (total=int, desc=str) -> object with update/close


def _no_progress(*, total: int, desc: str) -> NullProgress:
    return NullProgress()


# --- The plan: pure data, no database ------------------------------------------------------


@dataclass(frozen=True)
class Place:
    area: Area
    province: Province
    city: City

    @property
    def short(self) -> str:
        """The place name a company carries: 南京 for 南京市, 上海 for 浦东新区."""
        return self.province.short if self.city.is_district else self.city.name.removesuffix("市")

    @property
    def short_en(self) -> str:
        return self.province.short_en if self.city.is_district else self.city.name_en

    @property
    def full(self) -> str:
        """The start of an address: 南京市 / 上海市浦东新区."""
        return f"{self.province.name}{self.city.name}" if self.city.is_district else self.city.name


PLACES: tuple[Place, ...] = tuple(
    Place(area, province, city)
    for area in REGIONS
    for province in area.provinces
    for city in province.cities
)
PLACE_BY_CODE = {place.city.code: place for place in PLACES}
REGION_COUNT = sum(1 + len(area.provinces) + sum(len(p.cities) for p in area.provinces) for area in REGIONS)


@dataclass(frozen=True)
class ContactPlan:
    name: str
    title: str
    email: str
    phone: str
    is_primary: bool


@dataclass(frozen=True)
class PartnerPlan:
    legal_name: str
    short_name: str
    english_name: str
    credit_code: str
    partner_type: str
    place: Place
    address: str
    registered_capital: Decimal
    founding_year: int
    staff_count: int
    website: str
    contacts: tuple[ContactPlan, ...]
    # The lifecycle moves after creation (a new partner is a prospect), with their reasons.
    moves: tuple[tuple[str, str], ...]
    flagship: str = ""


# The generated partners' lifecycle, repeated every 20: 13 active (one of them after a
# suspension), 2 prospects, 2 onboarding, 1 suspended, 2 terminated (one rejected as a
# prospect, one after working together). The first nine already hold every status.
_A, _O, _S, _T = PartnerStatus.ACTIVE, PartnerStatus.ONBOARDING, PartnerStatus.SUSPENDED, PartnerStatus.TERMINATED
ACTIVE = (_O, _A)
PROSPECT: tuple[str, ...] = ()
ONBOARDING = (_O,)
SUSPENDED = (_O, _A, _S)
REINSTATED = (_O, _A, _S, _A)
REJECTED = (_T,)
ENDED = (_O, _A, _T)
STATUS_PATTERN: tuple[tuple[str, ...], ...] = (
    ACTIVE, PROSPECT, ACTIVE, ONBOARDING, ACTIVE, SUSPENDED, ACTIVE, ENDED, REINSTATED, ACTIVE,
    PROSPECT, ACTIVE, ONBOARDING, ACTIVE, ACTIVE, REJECTED, ACTIVE, ACTIVE, ACTIVE, ACTIVE,
)

# Registered capital in CNY 10k (万元): companies register round amounts.
NICE_CAPITALS = (50, 100, 200, 300, 500, 800, 1000, 1200, 2000, 3000, 5000, 8000, 10000, 20000)

# GB 11714 organisation code: 8 characters and a check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Characters allowed in the organisation part of a credit code (GB 32100 excludes I O S V Z).
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def organisation_code(body8: str) -> str:
    """Complete an 8-character organisation code body with its GB 11714 check character."""
    total = sum(
        (int(char) if char.isdigit() else ord(char) - 55) * weight
        for char, weight in zip(body8, _ORG_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def credit_code_for(rng: random.Random, *, division: str, founded: int) -> str:
    """A valid 统一社会信用代码 of a company (91) registered in ``division``.

    Companies registered since 2016 got a new-style organisation part (``MA`` + 6); older
    ones kept their 8-digit organisation code.
    """
    if founded >= 2016:
        body8 = "MA" + "".join(rng.choice(_ORG_CHARS) for _ in range(6))
    else:
        body8 = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(7))
    return make_credit_code(f"91{division}{organisation_code(body8)}")


def mobile_number(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def person_name(rng: random.Random) -> tuple[str, str]:
    """A Chinese full name and its toneless pinyin, common surnames first."""
    surname, surname_py = SURNAMES[int(len(SURNAMES) * rng.random() ** 2)]
    given, given_py = rng.choice(GIVEN_NAMES)
    return surname + given, surname_py + given_py


def _capital(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.choice([value for value in NICE_CAPITALS if low <= value <= high]))


def _address(rng: random.Random, place: Place) -> str:
    return (
        f"{place.full}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
        f"{place.short}{rng.choice(BUILDINGS)}{rng.randint(1, 32)}层"
    )


def _contacts(
    rng: random.Random, spec: TenantSpec, *, domain: str, count: int
) -> tuple[ContactPlan, ...]:
    contacts: list[ContactPlan] = []
    titles = rng.sample(spec.other_titles, count - 1)
    seen_names: set[str] = set()
    while len(contacts) < count:
        name, pinyin = person_name(rng)
        if name in seen_names:
            continue
        seen_names.add(name)
        if domain:
            email = f"{pinyin}@{domain}"
        else:
            # Small firms without a domain use free mail; QQ addresses are the QQ number.
            free = rng.choice(FREE_MAIL_DOMAINS)
            if free == "qq.com":
                email = f"{rng.randint(10_000_000, 2_999_999_999)}@{free}"
            else:
                email = f"{pinyin}{rng.randint(70, 99)}@{free}"
        is_primary = not contacts
        title = rng.choice(spec.primary_titles) if is_primary else titles[len(contacts) - 1]
        contacts.append(ContactPlan(name, title, email, mobile_number(rng), is_primary))
    return tuple(contacts)


def _moves(rng: random.Random, spec: TenantSpec, path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    moves, current = [], PartnerStatus.PROSPECT
    for target in path:
        if target == PartnerStatus.TERMINATED:
            key = "terminated_rejected" if current == PartnerStatus.PROSPECT else "terminated_ended"
        elif target == PartnerStatus.ACTIVE and current == PartnerStatus.SUSPENDED:
            key = "reinstated"
        else:
            key = str(target)
        moves.append((str(target), rng.choice(spec.reasons[key])))
        current = target
    return tuple(moves)


class _Registry:
    """Names, codes and domains already planned in one tenant: later partners avoid them."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.codes: set[str] = set()
        self.domains: set[str] = set()

    def credit_code(self, rng: random.Random, *, division: str, founded: int) -> str:
        while True:
            code = credit_code_for(rng, division=division, founded=founded)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def domain(self, rng: random.Random, stem: str) -> str:
        domain = f"{stem}{rng.choice(('.com.cn', '.com', '.cn'))}"
        while domain in self.domains:
            domain = f"{stem}{rng.randint(1, 99)}{rng.choice(('.com.cn', '.com'))}"
        self.domains.add(domain)
        return domain


def _plan_flagship(
    rng: random.Random, spec: TenantSpec, flagship: FlagshipPartner, registry: _Registry
) -> PartnerPlan:
    registry.names.add(flagship.legal_name)
    domain = flagship.website.split("//", 1)[1].removeprefix("www.")
    registry.domains.add(domain)
    return PartnerPlan(
        legal_name=flagship.legal_name,
        short_name=flagship.short_name,
        english_name=flagship.english_name,
        credit_code=registry.credit_code(rng, division=flagship.city_code, founded=flagship.founding_year),
        partner_type=flagship.partner_type,
        place=PLACE_BY_CODE[flagship.city_code],
        address=flagship.address,
        registered_capital=Decimal(flagship.registered_capital),
        founding_year=flagship.founding_year,
        staff_count=flagship.staff_count,
        website=flagship.website,
        contacts=tuple(
            ContactPlan(c.name, c.title, f"{c.pinyin}@{domain}", c.phone, is_primary=index == 0)
            for index, c in enumerate(flagship.contacts)
        ),
        moves=_moves(rng, spec, ACTIVE),
        flagship=flagship.key,
    )


def _plan_generated(
    rng: random.Random, spec: TenantSpec, number: int, registry: _Registry
) -> PartnerPlan:
    place = rng.choices(PLACES, weights=[p.city.weight for p in PLACES])[0]
    kind: PartnerKind = rng.choices(spec.kinds, weights=[k.weight for k in spec.kinds])[0]
    while True:
        (trade, trade_en), industry = rng.choice(TRADE_NAMES), rng.choice(kind.industries)
        local = rng.random() < kind.city_prefix_share
        legal_name = f"{place.short if local else ''}{trade}{industry.zh}"
        if legal_name not in registry.names:
            registry.names.add(legal_name)
            break
    english_name = f"{place.short_en + ' ' if local else ''}{trade_en} {industry.en}"
    founded = rng.randint(*kind.founded)
    website = domain = ""
    if rng.random() < kind.website_share:
        city_stem = place.short_en.lower().replace("'", "").replace(" ", "")
        domain = registry.domain(rng, f"{trade_en.lower()}-{city_stem}" if local else trade_en.lower())
        website = f"https://www.{domain}"
    low, high = kind.staff
    return PartnerPlan(
        legal_name=legal_name,
        short_name=f"{trade}{industry.short}",
        english_name=english_name,
        credit_code=registry.credit_code(rng, division=place.city.code, founded=founded),
        partner_type=str(kind.partner_type),
        place=place,
        address=_address(rng, place),
        registered_capital=_capital(rng, *kind.capital),
        founding_year=founded,
        staff_count=low + int((high - low) * rng.random() ** 2),
        website=website,
        contacts=_contacts(rng, spec, domain=domain, count=rng.choice((1, 2, 2, 3, 3))),
        moves=_moves(rng, spec, STATUS_PATTERN[number % len(STATUS_PATTERN)]),
    )


def plan_partners(spec: TenantSpec, count: int, *, seed: int = SEED) -> list[PartnerPlan]:
    """The tenant's first ``count`` partners (never fewer than its flagships), in order.

    Partner ``i`` depends only on the seed and partners ``0..i-1``, so a longer plan
    extends a shorter one.
    """
    registry = _Registry()
    plans = [
        _plan_flagship(random.Random(f"{seed}:{spec.slug}:{flagship.key}"), spec, flagship, registry)
        for flagship in spec.flagships
    ]
    for number in range(max(count, len(plans)) - len(plans)):
        rng = random.Random(f"{seed}:{spec.slug}:{number}")
        plans.append(_plan_generated(rng, spec, number, registry))
    return plans


# --- Writing: look up, create what is missing ---------------------------------------------


@dataclass
class SeedResult:
    created: dict[str, Counter]
    seconds: float

    @property
    def total_created(self) -> int:
        return sum(sum(counter.values()) for counter in self.created.values())


def demo_tenants_exist() -> bool:
    return Tenant.objects.filter(slug__in=TENANT_SLUGS).count() == len(TENANT_SLUGS)


def ensure_admin(counts: Counter) -> User:
    """The platform superuser (no memberships: superusers may enter every tenant)."""
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        admin = User.objects.create_superuser(
            ADMIN_USERNAME, f"{ADMIN_USERNAME}@{EMAIL_DOMAIN}", DEMO_PASSWORD, first_name="Platform Admin"
        )
        counts["users"] += 1
    return admin


def _grant(
    spec: TenantSpec, tenant: Tenant, *, actor: User | None, existing: dict[tuple[str, str], User],
    counts: Counter, partner_roles: bool, partners: dict[str, Partner], progress,
) -> dict[str, User]:
    """Grant the spec's staff roles, or its partner roles, that the tenant lacks."""
    users: dict[str, User] = {}
    for demo_user in spec.users:
        if (demo_user.role in PARTNER_ROLES) != partner_roles:
            continue
        user = existing.get((demo_user.username, demo_user.role))
        if user is None:
            invitation = membership_grant(
                tenant=tenant, actor=actor, email=f"{demo_user.username}@{EMAIL_DOMAIN}",
                role=demo_user.role, partner=partners.get(demo_user.partner),
                first_name=demo_user.name, username=demo_user.username, password=DEMO_PASSWORD,
                send_invitation=False,
            )
            user = invitation.membership.user
            counts["users"] += int(invitation.created_user)
            counts["memberships"] += 1
        users[demo_user.username] = user
        progress.update(1)
    return users


def _ensure_regions(tenant: Tenant, *, actor: User, counts: Counter, progress) -> dict[str, Region]:
    regions = {region.code: region for region in Region.objects.all()}

    def ensure(code: str, name: str, name_en: str, level: str, parent: Region | None) -> Region:
        region = regions.get(code)
        if region is None:
            region = region_create(
                tenant=tenant, actor=actor, code=code, name=name, name_en=name_en, level=level, parent=parent
            )
            regions[code] = region
            counts["regions"] += 1
        progress.update(1)
        return region

    for area in REGIONS:
        area_row = ensure(area.code, area.name, area.name_en, Region.Level.AREA, None)
        for province in area.provinces:
            province_row = ensure(province.code, province.name, province.name_en, Region.Level.PROVINCE, area_row)
            for city in province.cities:
                level = Region.Level.DISTRICT if city.is_district else Region.Level.CITY
                ensure(city.code, city.name, city.name_en, level, province_row)
    return regions


def _ensure_products(spec: TenantSpec, tenant: Tenant, *, actor: User, counts: Counter, progress) -> None:
    existing = set(Product.objects.values_list("sku", flat=True))
    for product in spec.products:
        if product.sku not in existing:
            product_create(
                tenant=tenant, actor=actor, sku=product.sku, name=product.name, name_en=product.name_en,
                category=product.category, list_price=Decimal(product.list_price),
                description=product.description,
            )
            counts["products"] += 1
        progress.update(1)


def _ensure_partners(
    plans: list[PartnerPlan], tenant: Tenant, *, regions: dict[str, Region], owners: dict[str, User],
    counts: Counter, progress,
) -> dict[str, Partner]:
    """Create the planned partners that do not exist yet; return the flagships by key."""
    existing = dict(Partner.objects.values_list("credit_code", "pk"))
    flagships: dict[str, Partner] = {}
    for plan in plans:
        if plan.credit_code in existing:
            if plan.flagship:
                flagships[plan.flagship] = Partner.objects.get(pk=existing[plan.credit_code])
            progress.update(1)
            continue
        owner = owners[plan.place.area.code]
        partner = partner_create(
            tenant=tenant, actor=owner, legal_name=plan.legal_name, short_name=plan.short_name,
            english_name=plan.english_name, credit_code=plan.credit_code, partner_type=plan.partner_type,
            region=regions[plan.place.city.code], address=plan.address,
            registered_capital=plan.registered_capital, founding_year=plan.founding_year,
            staff_count=plan.staff_count, website=plan.website, owner=owner,
        )
        counts["partners"] += 1
        for contact in plan.contacts:
            contact_create(
                tenant=tenant, actor=owner, partner=partner, name=contact.name, title=contact.title,
                email=contact.email, phone=contact.phone, is_primary=contact.is_primary,
            )
            counts["contacts"] += 1
        for to_status, reason in plan.moves:
            partner_transition(partner=partner, to_status=to_status, actor=owner, reason=reason)
            counts["transitions"] += 1
        _backdate(partner, plan)
        if plan.flagship:
            flagships[plan.flagship] = partner
        progress.update(1)
    return flagships


def _backdate(partner: Partner, plan: PartnerPlan) -> None:
    """Spread the demo's partners over the last two years, more of them recently.

    Created in one run, they would all join this month and the home page's "new partners per
    month" trend would be one bar. The day is drawn from the credit code, so a re-seed picks
    the same one; the creation's history row moves with it so the timeline agrees.
    """
    days = int(730 * random.Random(plan.credit_code).random() ** 1.6)
    joined = partner.created_at - timedelta(days=days, hours=days % 9)
    Partner.objects.filter(pk=partner.pk).update(created_at=joined)
    Partner.history.filter(id=partner.pk, history_type="+").update(history_date=joined)


def seed_tenant(
    spec: TenantSpec, *, partners: int, admin: User | None, progress_factory: ProgressFactory = _no_progress
) -> Counter:
    """Build (or complete) one demo tenant in one transaction; return what was created."""
    counts: Counter = Counter()
    plans = plan_partners(spec, partners)
    progress = progress_factory(
        total=len(spec.users) + REGION_COUNT + len(spec.products) + len(plans), desc=spec.slug
    )
    try:
        # Services word their audit reasons ("Created") in the active language: the tenant's.
        with translation.override(spec.default_language), transaction.atomic():
            tenant = Tenant.objects.filter(slug=spec.slug).first()
            if tenant is None:
                tenant = tenant_create(
                    name=spec.name, slug=spec.slug, default_language=spec.default_language
                )
                counts["tenants"] += 1
            with tenant_scope(tenant, source="seed_demo"):
                existing = {
                    (m.user.username, m.role): m.user
                    for m in Membership.objects.select_related("user")
                }
                grant = {"tenant": tenant, "existing": existing, "counts": counts, "progress": progress}
                owner_spec = next(u for u in spec.users if u.role == Role.OWNER)
                staff = _grant(spec, **grant, actor=admin, partner_roles=False, partners={})
                owner = staff[owner_spec.username]
                regions = _ensure_regions(tenant, actor=owner, counts=counts, progress=progress)
                _ensure_products(spec, tenant, actor=owner, counts=counts, progress=progress)
                owners = {
                    area: staff[user.username]
                    for user in spec.users if user.role == Role.CHANNEL_MANAGER
                    for area in user.areas
                }
                flagships = _ensure_partners(
                    plans, tenant, regions=regions, owners=owners, counts=counts, progress=progress
                )
                _grant(spec, **grant, actor=owner, partner_roles=True, partners=flagships)
    finally:
        progress.close()
    return counts


def seed_demo(
    *, partners: int = DEFAULT_PARTNERS_PER_TENANT, progress_factory: ProgressFactory = _no_progress
) -> SeedResult:
    """Build both demo tenants and the platform superuser; return what was created."""
    started = time.monotonic()
    created: dict[str, Counter] = {}
    platform: Counter = Counter()
    with transaction.atomic():
        admin = ensure_admin(platform)
    created["platform"] = platform
    for spec in TENANTS:
        created[spec.slug] = seed_tenant(spec, partners=partners, admin=admin, progress_factory=progress_factory)
        created[spec.slug].update(seed_apps(spec, progress_factory=progress_factory))
    return SeedResult(created=created, seconds=time.monotonic() - started)


def iter_plans(partners: int = DEFAULT_PARTNERS_PER_TENANT) -> Iterator[tuple[TenantSpec, list[PartnerPlan]]]:
    """Every tenant's partner plan (for tests and for inspecting the data without a database)."""
    for spec in TENANTS:
        yield spec, plan_partners(spec, partners)
