"""The scale data set: a tenant of 100,000 partners and one of 1,000, built once and reused.

Both tenants start from the demo builder (users in every role, the region tree, products,
recruitment configuration, plans, campaigns and a few dozen applications made through the
services), then grow with set-based inserts: partners, contacts, products, applications in
every state with their regions and reviewer assignments, and partner history rows.

The data set carries a version (``VERSION``, kept in the big tenant's name): a run whose
version matches reuses it; otherwise the tenants are dropped and built again. Bump
``VERSION`` when the shape of the data changes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

VERSION = "3"
BIG, SMALL = "bench-big", "bench-small"
SIZES = {BIG: 100_000, SMALL: 1_000}
APPLICATIONS = {BIG: 20_000, SMALL: 200}
BATCH = 5_000
# Every page of the bench acts as this demo user (a channel manager) unless it names a role.
USERNAMES = {
    "channel_manager": "huaxin-manager",
    "owner": "huaxin-owner",
    "partner_admin": "huaxin-partner-admin",
}

_CITY_WORDS = ["上海", "北京", "深圳", "广州", "杭州", "南京", "成都", "武汉", "西安", "苏州", "天津", "重庆",
               "长沙", "郑州", "青岛", "厦门", "宁波", "合肥", "福州", "昆明"]
_CITY_PINYIN = ["Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Hangzhou", "Nanjing", "Chengdu", "Wuhan",
                "Xi'an", "Suzhou", "Tianjin", "Chongqing", "Changsha", "Zhengzhou", "Qingdao", "Xiamen",
                "Ningbo", "Hefei", "Fuzhou", "Kunming"]
_SYLLABLES = [("华", "Hua"), ("信", "Xin"), ("鼎", "Ding"), ("盛", "Sheng"), ("恒", "Heng"), ("通", "Tong"),
              ("宏", "Hong"), ("达", "Da"), ("星", "Xing"), ("辰", "Chen"), ("瑞", "Rui"), ("丰", "Feng"),
              ("嘉", "Jia"), ("禾", "He"), ("博", "Bo"), ("远", "Yuan"), ("金", "Jin"), ("泰", "Tai"),
              ("安", "An"), ("捷", "Jie"), ("凯", "Kai"), ("越", "Yue"), ("新", "Xin"), ("创", "Chuang"),
              ("联", "Lian"), ("合", "He"), ("天", "Tian"), ("宇", "Yu"), ("正", "Zheng"), ("道", "Dao"),
              ("海", "Hai"), ("峰", "Feng"), ("明", "Ming"), ("德", "De"), ("润", "Run"), ("和", "He")]
_INDUSTRIES = [("电子科技有限公司", "Electronic Technology Co., Ltd."),
               ("通讯器材有限公司", "Communication Equipment Co., Ltd."),
               ("商贸有限公司", "Trading Co., Ltd."),
               ("数码科技股份有限公司", "Digital Technology Co., Ltd."),
               ("信息技术有限公司", "Information Technology Co., Ltd."),
               ("供应链管理有限公司", "Supply Chain Management Co., Ltd.")]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def company_name(rng: random.Random) -> tuple[str, str, str]:
    """(legal name, English name, short name) of a made-up company, e.g. 上海华信电子科技有限公司."""
    city = rng.randrange(len(_CITY_WORDS))
    first, second = rng.choice(_SYLLABLES), rng.choice(_SYLLABLES)
    industry = rng.choice(_INDUSTRIES)
    core = first[0] + second[0]
    return (
        f"{_CITY_WORDS[city]}{core}{industry[0]}",
        f"{_CITY_PINYIN[city]} {first[1]}{second[1].lower()} {industry[1]}",
        core + industry[0][:2],
    )


def credit_code(number: int, salt: int) -> str:
    from channelhub.partners.validators import make_credit_code

    # 91 (enterprise) + a division code + a made-up organisation code; unique per ``number``.
    return make_credit_code(f"91{310000 + salt:06d}{number:09d}"[:17])


def _spec(slug: str):
    """The Huaxin demo tenant under another slug (its demo users get a role in both bench tenants)."""
    from channelhub.demo.data import HUAXIN

    return dataclasses.replace(HUAXIN, slug=slug, name=f"Bench {slug} v{VERSION}")


def _ensure_recruitment_texts(slugs) -> None:
    # The recruitment demo finds its texts by tenant slug; the bench tenants speak Huaxin's.
    from recruitment import demo

    for slug in slugs:
        demo.TEXTS.setdefault(slug, demo.HUAXIN_TEXTS)


def dataset_ready() -> bool:
    from channelhub.tenancy.models import Tenant

    tenant = Tenant.objects.filter(slug=BIG).first()
    return tenant is not None and tenant.name.endswith(f" v{VERSION}") and Tenant.objects.filter(slug=SMALL).exists()


def drop_dataset() -> None:
    """Remove every row of the bench tenants (a version change); the database itself stays."""
    from django.apps import apps

    from channelhub.tenancy.models import Tenant

    ids = list(Tenant.objects.filter(slug__in=SIZES).values_list("pk", flat=True))
    if not ids:
        return
    with connection.cursor() as cursor:
        tables = [
            model._meta.db_table for model in apps.get_models(include_auto_created=True)
            if any(f.column == "tenant_id" for f in model._meta.concrete_fields)
        ]
        # Raw SQL on purpose: deleting through the ORM would cascade row by row over 300k rows.
        cursor.execute("SET session_replication_role = replica")
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}" WHERE tenant_id = ANY(%s)', [ids])
        cursor.execute("SET session_replication_role = DEFAULT")
    Tenant.objects.filter(pk__in=ids).delete()


def build(*, sizes: dict[str, int] | None = None, applications: dict[str, int] | None = None,
          log=print) -> None:
    from channelhub.demo.builder import ensure_admin, seed_tenant
    from channelhub.demo.registry import seed_apps

    sizes = sizes or SIZES
    applications = applications or APPLICATIONS
    _ensure_recruitment_texts(sizes)
    with transaction.atomic():
        from collections import Counter

        admin = ensure_admin(Counter())
    for slug, size in sizes.items():
        started = time.monotonic()
        spec = _spec(slug)
        seed_tenant(spec, partners=min(50, size), admin=admin)
        seed_apps(spec, progress_factory=_no_progress)
        log(f"bench data: {slug} demo seeded in {time.monotonic() - started:.1f}s")
    with _without_trigram_indexes(log):
        for slug, size in sizes.items():
            started = time.monotonic()
            grow(slug, partners=size, applications=applications[slug], salt=len(slug))
            log(f"bench data: {slug} grown to {size} partners in {time.monotonic() - started:.1f}s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Statistics for the planner and the visibility map for index-only scans.
            cursor.execute("VACUUM ANALYZE")


@contextlib.contextmanager
def _without_trigram_indexes(log):
    """Bulk-load practice: drop the GIN/GiST indexes of the grown tables, build them again after.

    Maintaining a trigram index row by row costs several times building it once. The
    definitions are read back from ``pg_indexes``, so they stay whatever the migrations made.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename IN ('partners_partner', 'partners_partnercontact', 'recruitment_application')"
            " AND (indexdef LIKE '%%USING gin%%' OR indexdef LIKE '%%USING gist%%')"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)
        log(f"bench data: {len(indexes)} trigram indexes built in {time.monotonic() - started:.1f}s")


class _NullProgress:
    def update(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


def _no_progress(*, total: int, desc: str) -> _NullProgress:
    return _NullProgress()


def grow(slug: str, *, partners: int, applications: int, salt: int) -> None:
    """Fill tenant ``slug`` up to ``partners`` partners and ``applications`` applications."""
    from channelhub.partners.models import Partner, PartnerContact, PartnerStatus, PartnerType, Product, Region
    from channelhub.tenancy.context import tenant_scope
    from channelhub.tenancy.models import Membership, Tenant
    from channelhub.tenancy.roles import Role

    tenant = Tenant.objects.get(slug=slug)
    rng = random.Random(f"bench:{slug}")
    now = timezone.now()
    with tenant_scope(tenant, source="bench"), transaction.atomic():
        cities = list(Region.objects.filter(level=Region.Level.CITY).values_list("pk", flat=True))
        managers = list(Membership.objects.filter(role=Role.CHANNEL_MANAGER).values_list("user_id", flat=True))
        statuses = (
            [PartnerStatus.ACTIVE] * 6 + [PartnerStatus.PROSPECT, PartnerStatus.ONBOARDING,
                                          PartnerStatus.SUSPENDED, PartnerStatus.TERMINATED]
        )
        types = [PartnerType.DISTRIBUTOR, PartnerType.RESELLER, PartnerType.RESELLER, PartnerType.RETAILER,
                 PartnerType.SERVICE_PROVIDER]
        missing = partners - Partner.objects.count()
        for start in range(0, max(missing, 0), BATCH):
            rows = []
            for number in range(start, min(start + BATCH, missing)):
                legal, english, short = company_name(rng)
                partner = Partner(
                    legal_name=legal, english_name=english, short_name=short,
                    credit_code=credit_code(number, salt), partner_type=rng.choice(types),
                    status=rng.choice(statuses), region_id=rng.choice(cities),
                    owner_id=rng.choice(managers) if rng.random() < 0.9 else None,
                    registered_capital=Decimal(rng.randint(50, 20000)), founding_year=rng.randint(1990, 2024),
                    staff_count=rng.randint(5, 900),
                )
                partner.refresh_search_fields()  # bulk_create skips save(), which fills them
                rows.append(partner)
            # The scoped manager binds the tenant and checks the region/owner keys: one query per batch.
            Partner.objects.bulk_create(rows, batch_size=1000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # bulk_create stamps every row "now": spread creation over five years, as a real tenant's.
                cursor.execute(
                    "UPDATE partners_partner SET created_at = %s - (id %% 1825) * interval '1 day',"
                    " status_changed_at = %s - (id %% 365) * interval '1 day' WHERE tenant_id = %s",
                    [now, now, tenant.pk],
                )
        step = time.monotonic()
        _grow_contacts(rng, PartnerContact, Partner)
        _grow_history(Partner, tenant)
        print(f"bench data: {slug} contacts and history in {time.monotonic() - step:.1f}s", flush=True)
        existing = Product.objects.count()
        Product.objects.bulk_create([
            Product(sku=f"BX-{n:05d}", name=f"配件 {n}", name_en=f"Accessory {n}",
                    category=rng.choice(["配件", "服务", "终端"]), list_price=Decimal(rng.randint(10, 9000)))
            for n in range(existing, 500)
        ])
        step = time.monotonic()
        _grow_applications(rng, tenant, applications, salt, cities)
        print(f"bench data: {slug} applications in {time.monotonic() - step:.1f}s", flush=True)


def _grow_contacts(rng: random.Random, PartnerContact, Partner) -> None:
    if connection.vendor == "postgresql":
        # One INSERT … SELECT instead of 195,000 model instances: raw SQL on purpose, filtered by
        # the tenant in scope (the scoped manager cannot express an INSERT … SELECT).
        from channelhub.tenancy.context import current_tenant_id

        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO partners_partnercontact
                       (tenant_id, partner_id, name, title, email, phone, is_primary, notes, search_text)
                SELECT tenant_id, partner_id, name, title, email, phone, is_primary, '',
                       -- What PartnerContact.save() writes (channelhub.partners.search.search_text):
                       -- the values, then the two-character pieces of the Chinese ones.
                       ' ' || name || ' ' || title || ' ' || email || ' ' || phone || ' ' || substr(name, 1, 2)
                         || CASE WHEN length(name) = 3 THEN ' ' || substr(name, 2, 2) ELSE '' END
                         || CASE WHEN is_primary THEN ' 总经 经理 ' ELSE ' 销售 售经 经理 ' END
                FROM (
                    SELECT p.tenant_id, p.id AS partner_id,
                           substr(%s::text, (1 + (p.id * 7 + g) %% 20)::int, 1)
                             || substr(%s::text, (1 + (p.id * 13 + g * 5) %% 24)::int, 1)
                             || CASE WHEN p.id %% 2 = 0 THEN substr(%s::text, (1 + (p.id * 3 + g) %% 24)::int, 1)
                                ELSE '' END AS name,
                           CASE WHEN g = 0 THEN '总经理' ELSE '销售经理' END AS title,
                           'c' || p.id || '-' || g || '@example.cn' AS email,
                           '13' || lpad(((p.id * 7919 + g) %% 1000000000)::text, 9, '0') AS phone,
                           g = 0 AS is_primary
                    FROM partners_partner p CROSS JOIN generate_series(0, 1) AS g
                    WHERE p.tenant_id = %s AND (g = 0 OR p.id %% 20 <> 0)
                      AND NOT EXISTS (SELECT 1 FROM partners_partnercontact c WHERE c.partner_id = p.id)
                ) AS contact
                """,
                [_SURNAMES, _GIVEN, _GIVEN, current_tenant_id()],
            )
        return
    without = Partner.objects.filter(contacts__isnull=True).values_list("pk", flat=True)
    ids = list(without)
    for start in range(0, len(ids), BATCH):
        rows = []
        for pk in ids[start:start + BATCH]:
            # 1.95 contacts per partner on average: one primary, 95% a second, none a third.
            for position in range(1 if rng.random() < 0.05 else 2):
                name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.5 else "")
                contact = PartnerContact(
                    partner_id=pk, name=name, title="总经理" if position == 0 else "销售经理",
                    email=f"c{pk}-{position}@example.cn", phone=f"13{rng.randint(100000000, 999999999)}",
                    is_primary=position == 0,
                )
                contact.refresh_search_fields()
                rows.append(contact)
        PartnerContact.objects.bulk_create(rows, batch_size=2000)


def _grow_history(Partner, tenant) -> None:
    """One "created" history row per partner that has none (what the services would have written)."""
    history = Partner.history.model
    if connection.vendor == "postgresql":
        # As for contacts: one INSERT … SELECT of the tenant's partners that have no history yet.
        columns = ", ".join(f'"{f.column}"' for f in Partner._meta.concrete_fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO "{history._meta.db_table}" ({columns}, history_date, history_type, history_change_reason)
                SELECT {columns}, created_at, '+', 'bench' FROM partners_partner p
                WHERE p.tenant_id = %s AND NOT EXISTS (SELECT 1 FROM "{history._meta.db_table}" h WHERE h.id = p.id)
                """,
                [tenant.pk],
            )
        return
    have = set(history.objects.values_list("id", flat=True).distinct())
    fields = [f.attname for f in Partner._meta.concrete_fields]
    rows = []
    for values in Partner.objects.values(*fields).iterator(chunk_size=BATCH):
        if values["id"] in have:
            continue
        rows.append(history(**values, history_date=values["created_at"], history_type="+",
                            history_change_reason="bench"))
        if len(rows) >= BATCH:
            # Deliberately the unscoped manager: history rows carry the tenant as a plain column.
            history.all_tenants.bulk_create(rows)
            rows = []
    if rows:
        history.all_tenants.bulk_create(rows)


def _grow_applications(rng: random.Random, tenant, total: int, salt: int, cities: list[int]) -> None:
    from channelhub.tenancy.models import Membership
    from channelhub.tenancy.roles import Role
    from recruitment.duplicates import normalise_company_name
    from recruitment.models import Application, ApplicationRegion, ApplicationState, Campaign, ReviewerAssignment

    missing = total - Application.objects.count()
    if missing <= 0:
        return
    campaigns = list(Campaign.objects.values_list("pk", "plan_id"))
    reviewers = list(Membership.objects.filter(role__in=[Role.CHANNEL_MANAGER, Role.OWNER, Role.LEGAL])
                     .values_list("user_id", flat=True))
    states = list(ApplicationState.values)
    now = timezone.now()
    for start in range(0, missing, BATCH):
        rows = []
        for number in range(start, min(start + BATCH, missing)):
            legal, _english, _short = company_name(rng)
            state = states[number % len(states)]
            campaign, plan = rng.choice(campaigns) if campaigns and rng.random() < 0.7 else (None, None)
            submitted = now - datetime.timedelta(days=rng.randint(0, 700))
            rows.append(Application(
                legal_name=legal, normalised_name=normalise_company_name(legal),
                credit_code=credit_code(500_000 + start + number, salt),
                partner_type=rng.choice(["distributor", "reseller", "retailer"]),
                contact_name="申请人", contact_email=f"apply{start + number}@example.cn",
                plan_id=plan, campaign_id=campaign, source="public_form", state=state,
                submitted_at=None if state == ApplicationState.DRAFT else submitted,
                state_changed_at=submitted,
            ))
        created = Application.objects.bulk_create(rows, batch_size=1000)
        ApplicationRegion.objects.bulk_create(
            [ApplicationRegion(application_id=a.pk, region_id=rng.choice(cities)) for a in created], batch_size=2000
        )
        ReviewerAssignment.objects.bulk_create(
            [ReviewerAssignment(application_id=a.pk, reviewer_id=reviewer, assigned_at=now)
             for a in created if a.state in ("scoring", "in_review", "approved", "rejected")
             for reviewer in rng.sample(reviewers, min(2, len(reviewers)))],
            batch_size=2000,
        )
