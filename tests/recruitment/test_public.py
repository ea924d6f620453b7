"""The public application form and the applicant's tracking page (no login)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from recruitment import services
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    ApplicationSource,
    ApplicationState,
    MessageSender,
)
from recruitment.public.views import SESSION_KEY
from tests.factories import RegionFactory, next_credit_code

from .factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, CampaignFactory

S = ApplicationState


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(tenant):
    """华东 → 上海 (province) → 浦东新区, and 华南."""
    with tenant_scope(tenant):
        east = RegionFactory(code="AREA-E", name="华东", name_en="East China")
        shanghai = RegionFactory(code="SH", name="上海市", name_en="Shanghai", parent=east, level="province")
        pudong = RegionFactory(code="310115", name="浦东新区", name_en="Pudong", parent=shanghai, level="district")
        south = RegionFactory(code="AREA-S", name="华南", name_en="South China")
    return {"east": east, "shanghai": shanghai, "pudong": pudong, "south": south}


def upload(name: str = "营业执照.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def form_data(regions):
    def build(**overrides):
        data = {
            "legal_name": "杭州云帆智能科技有限公司",
            "credit_code": next_credit_code(),
            "registered_capital": "500",
            "founding_year": "2016",
            "staff_count": "45",
            "website": "https://www.yunfan.example",
            "address": "杭州市西湖区文三路90号",
            "partner_type": "distributor",
            "regions": [regions["shanghai"].pk, regions["pudong"].pk],
            "experience": "八年智能家居分销经验",
            "brands_carried": "品牌甲、品牌乙",
            "references": "上海某电子有限公司",
            "contact_name": "陈晓明",
            "contact_title": "总经理",
            "contact_email": "chen@yunfan.example",
            "contact_phone": "138 1234 5678",
            "consent": "on",
            "business_licence": upload(),
            "qualifications": [
                upload("ISO9001.png", PNG_BYTES, "image/png"), upload("3C.jpg", JPEG_BYTES, "image/jpeg"),
            ],
            "hp_comment": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


def zh_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    return client


def stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def application_count(tenant) -> int:
    with tenant_scope(tenant):
        return Application.objects.count()


# --------------------------------------------------------------------------- the form


def test_form_renders_in_chinese_with_the_tenants_region_tree(tenant, regions, other_tenant):
    with tenant_scope(other_tenant):
        RegionFactory(code="THEIRS", name="别人的区域", name_en="Theirs")
    response = zh_client().get("/apply/alpha/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "统一社会信用代码" in page and "营业执照" in page
    assert "浦东新区" in page and "华南" in page
    assert "别人的区域" not in page
    assert 'name="hp_comment"' in page


def test_unknown_and_inactive_tenants_are_404(tenant, db):
    assert Client().get("/apply/no-such-tenant/").status_code == 404
    tenant.is_active = False
    tenant.save()
    assert Client().get("/apply/alpha/").status_code == 404


def test_happy_path_in_chinese(tenant, form_data, regions, settings, django_capture_on_commit_callbacks):
    client = zh_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/alpha/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/apply/alpha/thanks/"
    with tenant_scope(tenant):
        application = Application.objects.get()
        assert application.state == S.SUBMITTED
        assert application.language == "zh-hans"
        assert application.source == ApplicationSource.PUBLIC_FORM
        assert application.contact_phone == "138 1234 5678"
        assert set(application.regions.values_list("code", flat=True)) == {"SH", "310115"}
        kinds = sorted(ApplicationDocument.objects.values_list("kind", "original_name"))
        assert kinds == [("business_licence", "营业执照.pdf"), ("qualification", "3C.jpg"),
                         ("qualification", "ISO9001.png")]
        assert StateTransition.objects.filter(object_id=application.pk, to_state=S.SUBMITTED).exists()
    assert len(stored_files(settings)) == 3

    thanks = client.get(response["Location"])
    # The thank-you page shows the token kept in the applicant's session (only its hash is stored).
    track_path = f"/apply/alpha/track/{client.session[SESSION_KEY]['token']}/"
    assert track_path in thanks.content.decode()
    assert "感谢" in thanks.content.decode()

    (message,) = mail.outbox
    assert message.to == ["chen@yunfan.example"]
    assert "我们已收到" in message.subject or "收到" in message.subject
    # The e-mail carries a token of its own; both links open the application.
    mail_path = re.search(r"/apply/alpha/track/[\w-]{40,}/", message.body).group(0)
    assert f"{settings.SITE_URL}{mail_path}" in message.body
    assert "已提交" in client.get(mail_path).content.decode()
    assert "尊敬的" in message.body or "您好" in message.body or "陈晓明" in message.body

    page = client.get(track_path).content.decode()
    assert "已提交" in page
    assert "杭州云帆智能科技有限公司" in page


def test_english_applicant_gets_english_mail(tenant, form_data, django_capture_on_commit_callbacks):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/apply/alpha/", form_data())
    with tenant_scope(tenant):
        assert Application.objects.get().language == "en"
    assert "we received your partner application" in mail.outbox[0].subject


def test_language_switch_cookie_wins(tenant, regions, settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert '<html lang="zh-hans">' in client.get("/apply/alpha/").content.decode()


def test_campaign_is_tagged_by_path_or_query(tenant, form_data, regions):
    with tenant_scope(tenant):
        campaign = CampaignFactory(code="EXPO2026", name="2026 电子展")
    page = zh_client().get("/apply/alpha/expo2026/").content.decode()
    assert "2026 电子展" in page
    zh_client().post("/apply/alpha/?c=EXPO2026", form_data())
    zh_client().post("/apply/alpha/EXPO2026/", form_data(contact_email="b@yunfan.example"))
    with tenant_scope(tenant):
        assert list(Application.objects.values_list("campaign_id", flat=True)) == [campaign.pk, campaign.pk]
        assert Application.objects.filter(plan=campaign.plan).count() == 2


def test_unknown_campaign_code_still_accepts_the_application_with_a_note(tenant, form_data):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/apply/alpha/NOPE2026/").content.decode()
    assert "NOPE2026" in page and "not linked to a campaign" in page
    assert client.post("/apply/alpha/NOPE2026/", form_data()).status_code == 302
    with tenant_scope(tenant):
        assert Application.objects.get().campaign is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_code": "91310000MA1FL8TQ3X"}, "credit_code", "check character"),
        ({"credit_code": "9131000"}, "credit_code", "18 characters"),
        ({"credit_code": "91310000MA1FL8TQIO"}, "credit_code", "other than I, O, S, V, Z"),
        ({"business_licence": None}, "business_licence", "Upload a scan or photo of the business licence"),
        ({"business_licence": upload("licence.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf")},
         "business_licence", "licence.pdf: Upload a PDF, JPEG or PNG"),
        ({"qualifications": [upload("ok.png", PNG_BYTES, "image/png"), upload("setup.exe.pdf", b"MZ" + b"\x00" * 40)]},
         "qualifications", "setup.exe.pdf: Upload a PDF, JPEG or PNG"),
        ({"regions": []}, "regions", "Choose at least one region"),
        ({"consent": None}, "consent", "Please confirm"),
        ({"contact_email": "not-an-email"}, "contact_email", "valid email"),
        ({"contact_phone": "call me"}, "contact_phone", "phone number"),
        ({"founding_year": "1850"}, "founding_year", "1900"),
        ({"partner_type": "emperor"}, "partner_type", "valid choice"),
    ],
)
def test_bad_input_re_renders_with_errors_and_saves_nothing(tenant, form_data, settings, overrides, field, message):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/apply/alpha/", form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert any(message in error for error in form.errors[field]), form.errors[field]
    page = response.content.decode()
    assert "Nothing was saved yet" in page
    assert application_count(tenant) == 0
    assert stored_files(settings) == []


def test_oversize_file_is_refused_with_its_name(tenant, form_data, settings):
    settings.RECRUITMENT_MAX_DOCUMENT_BYTES = 1024
    big = upload("big-scan.pdf", PDF_BYTES + b"0" * 2048)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/apply/alpha/", form_data(business_licence=big))
    errors = [error.replace("\xa0", " ") for error in response.context["form"].errors["business_licence"]]
    assert errors == ["big-scan.pdf: The file is too large (2.0 KB); the limit is 1.0 KB."]
    assert "Choose your files again" in response.content.decode()
    assert application_count(tenant) == 0
    assert stored_files(settings) == []


def test_a_failure_after_files_were_written_leaves_no_file_behind(tenant, form_data, settings, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("duplicate check failed")

    monkeypatch.setattr(services.applications, "application_check_duplicates", explode)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    assert client.post("/apply/alpha/", form_data()).status_code == 500
    assert application_count(tenant) == 0
    assert stored_files(settings) == []


def test_another_tenants_region_is_refused(tenant, other_tenant, form_data):
    with tenant_scope(other_tenant):
        theirs = RegionFactory(code="THEIRS")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/apply/alpha/", form_data(regions=[theirs.pk]))
    assert "regions" in response.context["form"].errors
    assert application_count(tenant) == 0


def test_honeypot_silently_succeeds_without_saving(tenant, form_data, settings, django_capture_on_commit_callbacks):
    client = zh_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/alpha/", form_data(hp_comment="Buy cheap watches"))
    assert response.status_code == 302 and response["Location"] == "/apply/alpha/thanks/"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "/track/" not in thanks.content.decode()
    assert application_count(tenant) == 0
    assert stored_files(settings) == []
    assert mail.outbox == []


def test_rate_limit_per_address_and_tenant(tenant, other_tenant, form_data, settings):
    settings.RECRUITMENT_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    for number in range(2):
        response = Client(REMOTE_ADDR="10.0.0.7").post("/apply/alpha/", form_data(contact_email=f"{number}@x.example"))
        assert response.status_code == 302
    refused = Client(REMOTE_ADDR="10.0.0.7", HTTP_ACCEPT_LANGUAGE="zh-hans").post("/apply/alpha/", form_data())
    assert refused.status_code == 429
    assert "请稍候" in refused.content.decode() or "稍后" in refused.content.decode()
    assert application_count(tenant) == 2
    # Another address, and the same address at another tenant, are not affected.
    assert Client(REMOTE_ADDR="10.0.0.8").post("/apply/alpha/", form_data()).status_code == 302
    assert Client(REMOTE_ADDR="10.0.0.7").get("/apply/beta/").status_code == 200


def test_invalid_posts_have_their_own_looser_limit(tenant, form_data, settings):
    settings.RECRUITMENT_PUBLIC_ATTEMPTS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="10.0.0.9")
    statuses = [client.post("/apply/alpha/", form_data(consent=None)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --------------------------------------------------------------------------- tracking


@pytest.fixture
def applied(tenant, form_data):
    """An application sent through the form; returns (application, tracking path)."""
    client = Client()
    client.post("/apply/alpha/", form_data())
    with tenant_scope(tenant):
        application = Application.objects.get()
    # Only the hash is stored: the raw token is the one the thank-you page got from the session.
    application.tracking_token = client.session[SESSION_KEY]["token"]
    return application, f"/apply/alpha/track/{application.tracking_token}/"


def test_wrong_token_and_other_tenants_token_are_404(tenant, other_tenant, applied, settings):
    application, path = applied
    assert Client().get("/apply/alpha/track/" + "x" * 43 + "/").status_code == 404
    assert Client().get(f"/apply/beta/track/{application.tracking_token}/").status_code == 404
    assert Client().get(path).status_code == 200


def test_failed_lookups_are_rate_limited(tenant, applied, settings):
    settings.RECRUITMENT_PUBLIC_FAILED_LOOKUPS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [client.get(f"/apply/alpha/track/{'y' * 40}{n:03d}/").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]
    # A valid link is always served, even from the blocked address; guesses stay blocked.
    assert client.get(applied[1]).status_code == 200
    assert client.get(f"/apply/alpha/track/{'z' * 43}/").status_code == 429
    assert Client(REMOTE_ADDR="10.1.1.2").get(applied[1]).status_code == 200


def test_status_words_hide_internal_details(tenant, applied, people, chain, criteria):
    application, path = applied
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Submitted" in client.get(path).content.decode()
    with tenant_scope(tenant):
        services.application_transition(application=application, to_state=S.SCREENING, actor=people["manager"])
        services.application_transition(application=application, to_state=S.SCORING, actor=people["manager"])
        services.application_assign_reviewers(application=application, reviewers=[people["reviewer1"]],
                                              actor=people["manager"])
        services.scorecard_submit(application=application, reviewer=people["reviewer1"],
                                  scores={criteria["a"].pk: 4, criteria["b"].pk: 8}, comment="SECRET-REVIEW-NOTE")
    page = client.get(path).content.decode()
    assert "Under review" in page
    for internal in ("SECRET-REVIEW-NOTE", people["reviewer1"].username, "Scoring", "scorecard", "80.00"):
        assert internal not in page
    with tenant_scope(tenant):
        services.application_transition(application=application, to_state=S.IN_REVIEW, actor=people["manager"])
        services.application_decide(application=application, actor=people["manager"], decision="reject",
                                    comment="Capital below our requirement for this region.")
    page = client.get(path).content.decode()
    assert "Not approved" in page and "Capital below our requirement" in page
    assert "渠道经理审核" not in page and "Withdraw the application" not in page


def test_applicant_answers_a_question(tenant, applied, people, django_capture_on_commit_callbacks):
    application, path = applied
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        question = services.application_ask_question(application=application, actor=people["manager"],
                                                     body="请提供近三年的销售额。")
    # The question's e-mail carries a fresh link (only hashes are stored); the earlier one still works.
    mail_path = re.search(r"/apply/alpha/track/[\w-]{40,}/", mail.outbox[-1].body).group(0)
    assert mail_path != path
    assert "请提供近三年的销售额。" in zh_client().get(mail_path).content.decode()
    client = zh_client()
    page = client.get(path).content.decode()
    assert "请提供近三年的销售额。" in page and people["manager"].username not in page
    empty = client.post(f"{path}answer/", {"reply_to_id": question.pk, f"q{question.pk}-reply_to": question.pk,
                                            f"q{question.pk}-body": "  "})
    assert empty.status_code == 200 and empty.context["questions"][0]["form"].errors
    response = client.post(f"{path}answer/", {"reply_to_id": question.pk, f"q{question.pk}-reply_to": question.pk,
                                               f"q{question.pk}-body": "2023 年 1200 万元，2024 年 1500 万元。"})
    assert response.status_code == 302
    with tenant_scope(tenant):
        answer = ApplicationMessage.objects.get(sender=MessageSender.APPLICANT)
    assert answer.reply_to_id == question.pk and answer.body.startswith("2023")
    assert "1500 万元" in client.get(path).content.decode()


def test_answer_cannot_point_at_another_applications_question(tenant, applied, people, submit):
    _application, path = applied
    other = submit()
    with tenant_scope(tenant):
        foreign = services.application_ask_question(application=other, actor=people["manager"], body="?")
    response = Client().post(f"{path}answer/", {"reply_to_id": foreign.pk, f"q{foreign.pk}-reply_to": foreign.pk,
                                                 f"q{foreign.pk}-body": "hello"})
    assert response.status_code == 200
    with tenant_scope(tenant):
        assert not ApplicationMessage.objects.filter(sender=MessageSender.APPLICANT).exists()


def test_applicant_adds_a_document_and_downloads_it(tenant, applied, settings):
    _application, path = applied
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    bad = client.post(f"{path}documents/", {"kind": "qualification", "file": upload("virus.png", b"MZ" + b"0" * 30)})
    assert bad.status_code == 200
    assert "virus.png: Upload a PDF, JPEG or PNG" in bad.content.decode()
    before = len(stored_files(settings))
    added = client.post(f"{path}documents/", {"kind": "qualification", "file": upload("ISO14001.pdf")})
    assert added.status_code == 302
    assert len(stored_files(settings)) == before + 1
    with tenant_scope(tenant):
        document = ApplicationDocument.objects.get(original_name="ISO14001.pdf")
    response = client.get(f"{path}documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "ISO14001.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_applicant_withdraws_after_confirming(tenant, applied):
    application, path = applied
    client = zh_client()
    confirm = client.get(f"{path}withdraw/")
    assert confirm.status_code == 200 and "撤回" in confirm.content.decode()
    with tenant_scope(tenant):
        assert Application.objects.get().state == S.SUBMITTED  # a GET changes nothing
    assert client.post(f"{path}withdraw/", {"reason": "已与其他厂商合作"}).status_code == 302
    with tenant_scope(tenant):
        application.refresh_from_db()
        assert application.state == S.WITHDRAWN
        move = StateTransition.objects.get(object_id=application.pk, to_state=S.WITHDRAWN)
        assert move.actor is None and "已与其他厂商合作" in move.reason
    page = client.get(path).content.decode()
    assert "已撤回" in page
    assert f"{path}withdraw/" not in page and f"{path}documents/\"" not in page
    closed = client.post(f"{path}documents/", {"kind": "other", "file": upload()}, follow=True)
    assert "这份申请已经结束" in closed.content.decode()
    with tenant_scope(tenant):
        assert ApplicationDocument.objects.count() == 3


def test_tracking_urls_in_mail_resolve(tenant, applied):
    _application, path = applied
    assert re.fullmatch(r"/apply/alpha/track/[A-Za-z0-9_-]{40,}/", path)


# --------------------------------------------------------------------------- partner types on offer


def offered_types(response) -> list[str]:
    return [value for value, _label in response.context["form"].fields["partner_type"].choices if value]


def test_form_offers_every_type_when_the_tenant_names_none(tenant, regions, other_tenant):
    from .factories import ScorecardTemplateFactory

    with tenant_scope(other_tenant):  # another tenant's templates change nothing here
        ScorecardTemplateFactory(partner_type="broker")
    assert offered_types(Client().get("/apply/alpha/")) == [
        "distributor", "reseller", "retailer", "agent", "broker", "service_provider"]
    with tenant_scope(tenant):  # a default template alone names no type
        ScorecardTemplateFactory(partner_type="")
    assert len(offered_types(Client().get("/apply/alpha/"))) == 6


def test_form_offers_only_the_types_with_a_scorecard_template(tenant, regions, form_data):
    from .factories import ScorecardTemplateFactory

    with tenant_scope(tenant):
        ScorecardTemplateFactory(partner_type="")
        ScorecardTemplateFactory(partner_type="retailer")
        ScorecardTemplateFactory(partner_type="distributor")
        ScorecardTemplateFactory(partner_type="broker", is_active=False)
    response = zh_client().get("/apply/alpha/")
    assert offered_types(response) == ["distributor", "retailer"]
    page = response.content.decode()
    assert 'value="distributor"' in page and 'value="broker"' not in page
    # A type the tenant does not recruit is refused, and nothing is saved.
    refused = zh_client().post("/apply/alpha/", form_data(partner_type="broker"))
    assert refused.status_code == 200 and "partner_type" in refused.context["form"].errors
    assert application_count(tenant) == 0
    accepted = zh_client().post("/apply/alpha/", form_data(partner_type="retailer"))
    assert accepted.status_code == 302
    with tenant_scope(tenant):
        assert Application.objects.get().partner_type == "retailer"
