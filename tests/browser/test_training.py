"""Training in a real browser: the trainer takes attendance on a phone; a partner user takes an
assessment (the timer runs), passes, and finds the certificate, whose public page verifies it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import Membership
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import tenant_create
from tests.conftest import PASSWORD, make_member
from tests.factories import PartnerFactory
from tests.training.factories import (
    AssessmentFactory,
    ChoiceFactory,
    CourseFactory,
    LearningPathFactory,
    QuestionFactory,
    SessionFactory,
)
from training.models import Certificate, Enrolment, LearningPathStep

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def academy(transactional_db):
    tenant = tenant_create(name="华信电子", slug="huaxin", default_language="zh-hans")
    with tenant_scope(tenant):
        partner = PartnerFactory(legal_name="上海鼎盛电子科技有限公司", status="active")
    trainer = make_member(tenant, Role.TRAINER, username="liu.fang", first_name="芳", last_name="刘")
    seller = make_member(
        tenant, Role.PARTNER_USER, partner=partner, username="wu.ting", first_name="婷", last_name="吴"
    )
    with tenant_scope(tenant):
        course = CourseFactory(code="PK-101", title="华信智能终端产品知识")
        quiz = AssessmentFactory(course=course, title="产品知识结业考核", max_attempts=2, time_limit_minutes=10)
        for n, (text, right) in enumerate((("保修期是多长？", "1年"), ("X9 的卖点？", "长续航")), start=1):
            question = QuestionFactory(assessment=quiz, text=text, order=n)
            ChoiceFactory(question=question, text=right, is_correct=True)
            ChoiceFactory(question=question, text="都不是")
        path = LearningPathFactory(
            name="华信认证销售顾问路径", certification__name="华信认证销售顾问", certification__code="HX-SELLER"
        )
        LearningPathStep.objects.create(path=path, course=course, order=1)
        session = SessionFactory(
            course=CourseFactory(code="SS-201", title="顾问式销售技巧"),
            title="顾问式销售技巧 · 上海",
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            ends_at=timezone.now() + datetime.timedelta(hours=6),
        )
        Enrolment.objects.create(session=session, trainee=seller, partner=partner)
    return tenant, trainer, seller, session


def _portal_login(browsing, username: str) -> None:
    page = browsing.page
    browsing.goto("/portal/login/")
    page.get_by_label(re.compile("用户名|User name")).fill(username)
    page.get_by_label(re.compile("密码|Password")).fill(PASSWORD)
    page.get_by_label(re.compile("密码|Password")).press("Enter")
    page.wait_for_load_state()


def test_trainer_takes_attendance_on_a_phone(browse, academy):
    tenant, _trainer, seller, session = academy
    browsing = browse(locale="zh-CN", mobile=True)
    page = browsing.page
    browsing.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("liu.fang")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    browsing.goto(f"/admin/training/session/{session.pk}/attendance/")
    page.locator("label.mark.attended").first.click()
    browsing.shot("training-attendance-phone")
    page.locator(".submit-row input[type=submit]").click()
    page.wait_for_load_state()
    with tenant_scope(tenant):
        assert Enrolment.objects.get(session=session, trainee=seller).state == "attended"


def test_partner_user_takes_the_assessment_and_verifies_the_certificate(browse, academy):
    tenant, _trainer, seller, _session = academy
    browsing = browse(locale="zh-CN")
    page = browsing.page
    _portal_login(browsing, "wu.ting")
    browsing.goto("/portal/training/assessments/")
    page.get_by_role("button", name=re.compile("开始|Start")).first.click()
    page.wait_for_load_state()
    timer = page.locator(".timer .time-left")
    assert re.match(r"^\d+:\d\d$", timer.inner_text()), timer.inner_text()  # the script counts down
    for right in ("1年", "长续航"):
        page.get_by_label(right).check()
    browsing.shot("training-assessment")
    page.locator("#attempt-form button[type=submit]").click()
    page.wait_for_load_state()
    browsing.goto("/portal/training/certificates/")
    with tenant_scope(tenant):
        certificate = Certificate.objects.get(holder=seller)
    expect(page.get_by_text(certificate.number)).to_be_visible()
    assert Membership.all_tenants.filter(user=seller).exists()
    browsing.goto(f"/verify/{tenant.slug}/{certificate.verification_code}/")
    expect(page.get_by_text("华信认证销售顾问")).to_be_visible()
    browsing.shot("training-verification")


def test_partner_admin_enrols_staff_a_full_session_waitlists_and_a_freed_seat_goes_to_the_next(browse, academy):
    """第十六条: the partner's administrator enrols its sales team; two seats, three people: the third
    waits; when a seated seller cancels in the portal, the one waiting gets the seat."""
    tenant, _trainer, seller, _session = academy
    with tenant_scope(tenant):
        partner = Membership.objects.get(user=seller).partner
    make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="zhou.qiang", first_name="强", last_name="周")
    others = [
        make_member(tenant, Role.PARTNER_USER, partner=partner, username=name, first_name=first, last_name=last)
        for name, first, last in (("sun.li", "丽", "孙"), ("he.jun", "军", "何"))
    ]
    with tenant_scope(tenant):
        small = SessionFactory(
            course=CourseFactory(code="PK-102", title="新品发布培训"), title="新品发布培训 · 上海", capacity=2
        )
    admin = browse(locale="zh-CN")
    _portal_login(admin, "zhou.qiang")
    admin.goto("/portal/training/enrol/")
    admin.page.locator("#id_session").select_option(str(small.pk))
    for person in (seller, *others):
        admin.page.locator(f"input[name=people][value='{person.pk}']").check()
    admin.page.get_by_role("button", name=re.compile("^报名$|^Enrol$")).click()
    admin.page.wait_for_load_state()
    assert "2" in admin.page.locator(".messages, .message, [role=status]").first.inner_text()
    admin.shot("training-enrol-waitlist")
    with tenant_scope(tenant):
        states = dict(Enrolment.objects.filter(session=small).values_list("trainee_id", "state"))
    assert sorted(states.values()) == ["enrolled", "enrolled", "waitlisted"]
    waiting = next(pk for pk, state in states.items() if state == "waitlisted")
    leaving = next(person for person in (seller, *others) if states[person.pk] == "enrolled")
    # A seated seller cancels in the portal; the first in line takes the seat.
    user = browse(locale="zh-CN")
    _portal_login(user, leaving.username)
    user.goto("/portal/training/sessions/")
    row = user.page.locator("tr", has_text="新品发布培训 · 上海").first
    row.get_by_role("button", name=re.compile("取消|Cancel")).click()
    user.page.wait_for_load_state()
    with tenant_scope(tenant):
        assert Enrolment.objects.get(session=small, trainee_id=waiting).state == "enrolled"
        assert Enrolment.objects.get(session=small, trainee=leaving).state == "cancelled"
