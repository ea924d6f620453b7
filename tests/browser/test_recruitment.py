"""Issue 3's "done means", in a real browser: from the public form in Chinese to the recruited partner's portal.

A new applicant applies on the public form (Chinese, with an upload) → a channel manager sees it in
the admin and moves it to scoring → two reviewers score it on the admin's scoring page (a bad score
first: per-row errors, nothing saved) → the approval chain passes
(channel manager → owner → legal, each in the admin) → it becomes an onboarding partner → its
administrator accepts the invitation e-mail's link and sees the onboarding checklist in
the portal. Screenshots go to /tmp/channelhub-shots/recruit-*.png.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from channelhub.partners.models import PartnerStatus
from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import tenant_create
from recruitment import services
from recruitment.models import Application, ApplicationState, ApprovalDecision, Criterion, Scorecard
from tests.conftest import api_client_for, make_member
from tests.factories import RegionFactory

from .test_admin import _admin_login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
S = ApplicationState


@pytest.fixture
def vendor(transactional_db, settings, base_url):
    """华信电子 with a region tree, the default criteria, approval chain and checklist, a campaign, staff."""
    settings.SITE_URL = base_url  # e-mails sent outside a request link to the live server
    tenant = tenant_create(name="华信电子", slug="huaxin", default_language="zh-hans")
    with tenant_scope(tenant):
        east = RegionFactory(code="EAST", name="华东", name_en="East China")
        shanghai = RegionFactory(code="SH", name="上海市", name_en="Shanghai", parent=east, level="province")
        RegionFactory(code="310115", name="浦东新区", name_en="Pudong", parent=shanghai, level="district")
        RegionFactory(code="SOUTH", name="华南", name_en="South China")
        services.criteria_ensure_default(tenant=tenant)
        services.approval_steps_ensure_default(tenant=tenant)
        services.onboarding_templates_ensure_default(tenant=tenant)
        plan = services.plan_create(
            tenant=tenant, actor=None, name="2026 华东拓展计划", start_date="2026-01-01", end_date="2026-12-31"
        )
        services.campaign_create(
            tenant=tenant,
            actor=None,
            plan=plan,
            name="2026 电子展",
            code="EXPO2026",
            source="exhibition",
            start_date="2026-03-01",
        )
    people = {
        "manager": make_member(tenant, Role.CHANNEL_MANAGER, username="li.manager", first_name="晓峰", last_name="李"),
        "trainer": make_member(tenant, Role.TRAINER, username="liu.trainer", first_name="芳", last_name="刘"),
        "owner": make_member(tenant, Role.OWNER, username="chen.owner", first_name="建国", last_name="陈"),
        "legal": make_member(tenant, Role.LEGAL, username="zhao.legal", first_name="敏", last_name="赵"),
    }
    return tenant, people


def _run_action(page, application_id: int, action: str, **fields) -> None:
    """On the applications changelist: tick the row, run ``action``, fill its intermediate form."""
    page.goto(page.url.split("/admin/")[0] + "/admin/recruitment/application/")
    page.locator(f"input[name=_selected_action][value='{application_id}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    for name, value in fields.items():
        field = page.locator(f"[name={name}]").first
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            for item in value:
                page.locator(f"input[name={name}][value='{item}']").check()
        else:
            field.fill(value)
    page.locator("#content form input[type=submit]").first.click()
    page.wait_for_load_state()
    errors = page.locator("#main .errornote").all_inner_texts()
    assert not errors, errors


def test_from_the_public_form_to_the_partner_portal(browse, vendor, tmp_path):
    tenant, people = vendor
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)

    # 1. The applicant applies in Chinese, tagged with the exhibition's campaign code.
    applicant = browse(locale="zh-CN")
    page = applicant.page
    applicant.goto("/apply/huaxin/EXPO2026/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.get_by_role("heading", name="成为华信电子的合作伙伴")).to_be_visible()
    page.get_by_label("企业名称").fill("上海云帆智能科技有限公司")
    page.get_by_label("统一社会信用代码").fill("91310000MA1FL8TQ3X")  # a wrong check character first
    page.get_by_label("申请的合作伙伴类型").select_option("distributor")
    page.get_by_label("注册资本（万元）").fill("1000")
    page.get_by_label("成立年份").fill("2015")
    page.get_by_label("员工人数").fill("60")
    page.locator("summary", has_text="华东").click()
    page.get_by_label("浦东新区").check()
    page.get_by_label("行业经验").fill("十年智能终端分销经验，覆盖上海及长三角 200 余家门店。")
    page.get_by_label("联系人姓名").fill("陈晓明")
    page.get_by_label("职务").fill("总经理")
    page.get_by_label("电子邮箱").fill("chen@yunfan.example")
    page.get_by_label("电话").fill("13812345678")
    page.locator("input[name=business_licence]").set_input_files(str(licence))
    page.get_by_label(re.compile("我确认以上信息真实")).check()
    applicant.shot("recruit-1-form-zh")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    expect(page.locator("#id_credit_code_error")).to_be_visible()
    assert "校验位" in page.locator("#id_credit_code_error").inner_text()
    applicant.shot("recruit-1b-form-error-zh")
    with tenant_scope(tenant):
        assert not Application.objects.exists()

    page.get_by_label("统一社会信用代码").fill("91310000MA1FL8TQ36")
    page.locator("input[name=business_licence]").set_input_files(str(licence))  # files are not kept
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="感谢您的申请，申请已提交")).to_be_visible()
    applicant.shot("recruit-2-thanks-zh")
    with tenant_scope(tenant):
        application = Application.objects.get()
    assert application.language == "zh-hans" and application.campaign.code == "EXPO2026"
    received = mail.outbox[-1]
    assert received.to == ["chen@yunfan.example"] and "收到" in received.subject
    track_link = re.search(r"https?://\S+/apply/huaxin/track/\S+/", received.body).group(0)
    page.get_by_role("link", name="查看申请进度").click()
    page.wait_for_load_state()
    # Tracking tokens are stored hashed, so each link handed out is its own token: the thank-you
    # page's and the e-mail's differ, and both open the same application (the e-mail's is used below).
    assert re.fullmatch(r"https?://\S+/apply/huaxin/track/\S+/", page.url) and page.url != track_link
    assert page.locator("[data-status]").inner_text() == "已提交"
    applicant.shot("recruit-3-tracking-submitted-zh")

    # 2. The channel manager sees it in the admin, moves it to screening and scoring, assigns two reviewers.
    admin = browse(locale="zh-CN")
    _admin_login(admin, "li.manager")
    admin.goto("/admin/recruitment/application/")
    expect(admin.page.get_by_role("link", name="上海云帆智能科技有限公司")).to_be_visible()
    admin.shot("recruit-4-admin-applications-zh")
    _run_action(admin.page, application.pk, "move_state", to_state="screening", reason="资料齐全，进入初审")
    _run_action(admin.page, application.pk, "move_state", to_state="scoring", reason="初审通过")
    _run_action(admin.page, application.pk, "assign_reviewers", reviewers=[people["manager"].pk, people["trainer"].pk])

    # A question by the API; the applicant answers on the tracking page.
    asked = api_client_for(people["manager"]).post(
        f"/api/v1/recruitment/applications/{application.pk}/messages/",
        {"body": "请补充近三年的销售额。"},
        format="json",
    )
    assert asked.status_code == 201
    applicant.goto(track_link.split(applicant.base_url, 1)[1])
    assert page.locator("[data-status]").inner_text() == "审核中"
    page.get_by_label("您的回复").fill("2023 年 4200 万元，2024 年 5100 万元。")
    page.get_by_role("button", name="发送回复").click()
    page.wait_for_load_state()
    expect(page.get_by_text("谢谢，您的回复已发送。")).to_be_visible()
    applicant.shot("recruit-5-tracking-answer-zh")

    # 3. Two reviewers score independently, each on the admin's "为该申请评分" page.
    with tenant_scope(tenant):
        criteria = list(Criterion.objects.order_by("order").values_list("pk", "scale_max"))
    trainer = browse(locale="zh-CN")
    _admin_login(trainer, "liu.trainer")
    expect(trainer.page.get_by_role("heading", name="我的评审")).to_be_visible()  # the dashboard widget
    trainer.page.get_by_role("link", name="去评分").first.click()  # → the applications awaiting her score
    trainer.page.wait_for_load_state()
    assert "my_review=awaiting" in trainer.page.url
    trainer.page.locator("#result_list").get_by_role("link", name="去评分").click()
    trainer.page.wait_for_load_state()
    expect(trainer.page.get_by_role("heading", name="为该申请评分")).to_be_visible()
    expect(trainer.page.get_by_text("评审人独立评分")).to_be_visible()
    rows = trainer.page.locator("table.scorecard-table tbody tr")
    assert rows.count() == len(criteria)
    # category, name, scale and knock-out per row
    expect(rows.first.get_by_text("法律合规性")).to_be_visible()
    expect(rows.first.get_by_text("0–5")).to_be_visible()
    expect(rows.first.locator(".knockout-badge")).to_be_visible()
    trainer.shot("recruit-5b-admin-score-form-zh")
    # A score above the scale and one below zero: both rows say so, nothing is saved.
    for index, (pk, scale) in enumerate(criteria):
        trainer.page.locator(f"#id_score_{pk}").fill(str(scale + 1) if index == 0 else "-1" if index == 1 else "3")
    trainer.page.get_by_label("意见").fill("资质齐全，经验丰富")
    trainer.page.get_by_role("button", name="提交我的评分卡").click()
    trainer.page.wait_for_load_state()
    assert trainer.page.locator(f"#id_score_{criteria[0][0]}_error").inner_text() == (
        f"请给出 0 到 {criteria[0][1]} 之间的分数。"
    )
    assert trainer.page.locator("tr.score-row-error").count() == 2
    assert trainer.page.get_by_label("意见").input_value() == "资质齐全，经验丰富"
    trainer.shot("recruit-5c-admin-score-errors-zh")
    with tenant_scope(tenant):
        assert not Scorecard.objects.exists()
    for pk, scale in criteria:
        trainer.page.locator(f"#id_score_{pk}").fill(str(scale))
    trainer.page.get_by_role("button", name="提交我的评分卡").click()
    trainer.page.wait_for_load_state()
    expect(trainer.page.get_by_text("您的评分卡已提交。")).to_be_visible()
    expect(trainer.page.get_by_role("heading", name="您的评分卡")).to_be_visible()
    expect(trainer.page.get_by_text("100.00 / 100").first).to_be_visible()

    # The manager, the second reviewer, sees none of the trainer's scores before scoring himself.
    admin.goto(f"/admin/recruitment/application/{application.pk}/change/")
    admin.page.locator(".score-callout").get_by_role("link", name="为该申请评分").click()
    admin.page.wait_for_load_state()
    assert admin.page.locator(".score-summary").count() == 0
    assert "资质齐全，经验丰富" not in admin.page.content()
    for pk, scale in criteria:
        admin.page.locator(f"#id_score_{pk}").fill(str(round(scale * 0.8)))
    admin.page.get_by_role("button", name="提交我的评分卡").click()
    admin.page.wait_for_load_state()
    summary = admin.page.locator(".score-summary")
    expect(summary.get_by_text("2 位评审人中已有 2 位提交评分卡。")).to_be_visible()
    expect(summary.get_by_text("刘芳").first).to_be_visible()
    expect(summary.get_by_text("李晓峰").first).to_be_visible()
    admin.shot("recruit-5d-admin-scored-summary-zh")
    with tenant_scope(tenant):
        assert Scorecard.objects.filter(application=application).count() == 2

    # 4. In review: the approval chain, each step in the admin by its own role.
    _run_action(admin.page, application.pk, "move_state", to_state="in_review", reason="评分完成")
    admin.goto(f"/admin/recruitment/application/{application.pk}/change/")
    expect(admin.page.get_by_text("加权总分").first).to_be_visible()
    admin.shot("recruit-6-admin-evaluation-zh")
    _run_action(admin.page, application.pk, "approve", comment="符合招募条件")
    for who, username in (("owner", "chen.owner"), ("legal", "zhao.legal")):
        decider = browse(locale="zh-CN")
        _admin_login(decider, username)
        decider.goto("/admin/recruitment/application/")
        _run_action(decider.page, application.pk, "approve", comment=f"{who} 同意")
    with tenant_scope(tenant):
        application.refresh_from_db()
        assert application.state == S.APPROVED
        partner = application.partner
        assert partner.status == PartnerStatus.ONBOARDING
        assert ApprovalDecision.objects.filter(application=application).count() == 3
        moves = list(
            StateTransition.objects.filter(object_id=application.pk, workflow="recruitment.application")
            .order_by("created_at", "id")
            .values_list("to_state", flat=True)
        )
        assert moves == [S.SUBMITTED, S.SCREENING, S.SCORING, S.IN_REVIEW, S.APPROVED]
    applicant.goto(track_link.split(applicant.base_url, 1)[1])
    assert page.locator("[data-status]").inner_text() == "已通过"
    applicant.shot("recruit-7-tracking-approved-zh")

    # 5. The partner's administrator accepts the invitation (choosing an account) and sees the checklist.
    invitation = next(m for m in mail.outbox if "/portal/invitations/" in m.body)
    assert invitation.to == ["chen@yunfan.example"]
    link = re.search(r"https?://\S+/portal/invitations/\S+/", invitation.body).group(0)
    partner_admin = browse(locale="zh-CN")
    partner_admin.page.goto(link)
    partner_admin.page.get_by_label(re.compile("^(用户名|User name)")).fill("chen-yunfan")
    partner_admin.page.get_by_label(re.compile("^(密码|Password)$")).fill("Yunfan-Secret-2026")
    partner_admin.page.get_by_label(re.compile("^(密码确认|Password confirmation)")).fill("Yunfan-Secret-2026")
    partner_admin.page.get_by_role("button", name=re.compile("创建|Create my account")).click()
    partner_admin.page.wait_for_load_state()
    assert partner_admin.page.get_by_role("heading", level=1).inner_text() == "上海云帆智能科技有限公司"
    checklist = partner_admin.page.get_by_role("region", name="入驻清单")
    # Accepting the invitation announced partner.user_joined: "set up portal users" is already ticked.
    expect(checklist.get_by_text("已完成 1 项，共 4 项")).to_be_visible()
    expect(checklist.get_by_text("签订合作协议")).to_be_visible()
    partner_admin.shot("recruit-8-portal-checklist-zh")

    # The manager ticks an item; the partner sees its progress.
    with tenant_scope(tenant):
        services.onboarding_task_complete(partner=partner, key="sign_agreement", actor=people["manager"])
    partner_admin.page.reload()
    expect(checklist.get_by_text("已完成 2 项，共 4 项")).to_be_visible()
    phone = browse(locale="zh-CN", mobile=True)
    phone.goto(track_link.split(phone.base_url, 1)[1])
    phone.shot("recruit-9-tracking-phone-zh")
