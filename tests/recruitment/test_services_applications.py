"""Applications: submission, documents, duplicates, transitions (allowed and illegal), Q&A."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.models import StateTransition
from channelhub.tenancy.workflow import IllegalTransition
from recruitment import selectors, services
from recruitment.duplicates import normalise_company_name
from recruitment.models import Application, ApplicationDocument, ApplicationState, MessageSender
from recruitment.workflow import APPLICATION_WORKFLOW, DECISION_ONLY
from tests.factories import PartnerFactory

from .conftest import move, pdf
from .factories import JPEG_BYTES, PNG_BYTES, CampaignFactory

S = ApplicationState


def test_submit_creates_a_submitted_application_with_documents_and_mails_the_tracking_link(
    tenant, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit()
    assert application.state == S.SUBMITTED
    assert application.submitted_at is not None
    assert len(application.tracking_token) >= 40
    with tenant_scope(tenant):
        document = ApplicationDocument.objects.get(application=application)
        assert document.content_type == "application/pdf"
        assert document.original_name == "licence.pdf"
        assert StateTransition.objects.filter(object_id=application.pk, to_state=S.SUBMITTED).exists()
    assert len(mail.outbox) == 1
    # The e-mail carries its own token (only hashes are stored); it opens this application.
    token = re.search(r"/track/([\w-]{40,})/", mail.outbox[0].body).group(1)
    with tenant_scope(tenant):
        assert selectors.application_by_token(token=token) == application
    assert mail.outbox[0].to == ["lina@xingchen.example"]


def test_documents_are_stored_privately_with_a_random_name(tenant, submit, settings):
    application = submit()
    with tenant_scope(tenant):
        document = ApplicationDocument.objects.get(application=application)
    path = document.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "licence" not in document.file.name
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - private files have no URL


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", b"MZ\x90\x00 not a pdf", "PDF, JPEG or PNG"),
        ("licence.exe", b"%PDF-1.4 but named .exe", "PDF, JPEG or PNG"),
        ("photo.png", JPEG_BYTES, "PDF, JPEG or PNG"),  # JPEG bytes under a .png name
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(tenant, submit, name, content, message):
    with pytest.raises(ValidationError) as error:
        submit(documents=[("business_licence", SimpleUploadedFile(name, content))])
    assert message in str(error.value.message_dict["documents"])
    with tenant_scope(tenant):
        assert Application.objects.count() == 0


def test_too_large_upload_is_refused(tenant, submit, settings):
    settings.RECRUITMENT_MAX_DOCUMENT_BYTES = 1000
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2000)
    with pytest.raises(ValidationError, match="too large"):
        submit(documents=[("business_licence", big)])


def test_png_and_jpeg_are_accepted(tenant, submit):
    application = submit(documents=[
        {"kind": "qualification", "file": SimpleUploadedFile("cert.png", PNG_BYTES)},
        {"kind": "other", "file": SimpleUploadedFile("photo.JPG", JPEG_BYTES)},
    ])
    with tenant_scope(tenant):
        documents = ApplicationDocument.objects.filter(application=application)
        types = sorted(documents.values_list("content_type", flat=True))
    assert types == ["image/jpeg", "image/png"]


def test_bad_company_data_gives_field_errors_and_saves_nothing(tenant, submit):
    with pytest.raises(ValidationError) as error:
        submit(credit_code="91310000MA1234567X", contact_email="not-an-email")
    assert {"credit_code", "contact_email"} <= set(error.value.message_dict)
    with tenant_scope(tenant):
        assert Application.objects.count() == 0


def test_at_least_one_region_is_required(tenant, submit):
    with pytest.raises(ValidationError) as error:
        submit(regions=[])
    assert "regions" in error.value.message_dict
    with tenant_scope(tenant):
        assert Application.objects.count() == 0


def test_unknown_fields_are_refused(tenant, submit):
    with pytest.raises(ValidationError) as error:
        submit(state="approved")
    assert "state" in error.value.message_dict


def test_campaign_tags_the_application_and_its_plan(tenant, application_data):
    with tenant_scope(tenant):
        campaign = CampaignFactory(code="EXPO2026")
    application = services.application_submit(tenant=tenant, data=application_data(), campaign=campaign)
    assert application.campaign == campaign
    assert application.plan_id == campaign.plan_id


def test_campaign_of_another_tenant_is_refused(tenant, other_tenant, application_data):
    with tenant_scope(other_tenant):
        theirs = CampaignFactory()
    with pytest.raises(ValidationError):
        services.application_submit(tenant=tenant, data=application_data(), campaign=theirs)


def test_submit_refuses_to_write_inside_another_tenants_scope(tenant, other_tenant, application_data):
    from channelhub.tenancy.context import TenantScopeError

    with tenant_scope(other_tenant), pytest.raises(TenantScopeError):
        services.application_submit(tenant=tenant, data=application_data())


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("上海星辰科技有限公司", "上海 星辰科技 股份有限公司"),
        ("上海星辰科技有限责任公司", "上海星辰科技（有限公司）"),
        ("Star Tech Co., Ltd.", "STAR TECH CO LTD"),
        ("Star Tech Limited", "star-tech"),
    ],
)
def test_company_names_normalise_to_the_same(a, b):
    assert normalise_company_name(a) == normalise_company_name(b)


def test_different_names_stay_different():
    assert normalise_company_name("上海星辰科技有限公司") != normalise_company_name("北京星辰科技有限公司")
    assert normalise_company_name("Coral Trading") == "coraltrading"


def test_same_credit_code_as_an_earlier_application_is_flagged(tenant, submit):
    first = submit(legal_name="甲公司有限公司")
    second = submit(legal_name="完全不同的名字有限公司", credit_code=first.credit_code)
    assert second.has_duplicates
    [flag] = second.duplicate_flags
    assert flag == {"kind": "application", "id": first.pk, "name": "甲公司有限公司", "credit_code": first.credit_code,
                    "state": "submitted", "match": "credit_code", "ratio": "1.00"}


def test_near_identical_name_of_an_application_is_flagged(tenant, submit):
    submit(legal_name="上海星辰科技有限公司")
    second = submit(legal_name="上海星辰科技股份有限公司")
    assert [f["match"] for f in second.duplicate_flags] == ["same_name"]
    third = submit(legal_name="上海星辰科技发展有限公司")  # 上海星辰科技发展 vs 上海星辰科技: ratio 0.89
    assert not any(f["kind"] == "application" and f["match"] == "similar_name" and f["ratio"] < "0.90"
                   for f in third.duplicate_flags)


def test_similar_name_above_the_ratio_is_flagged(tenant, submit):
    submit(legal_name="Shanghai Xingchen Electronics Trading Co., Ltd.")
    second = submit(legal_name="Shanghai Xingchen Electronic Trading Co., Ltd.")
    [flag] = second.duplicate_flags
    assert flag["match"] == "similar_name"
    assert flag["ratio"] >= "0.90"


def test_existing_partner_is_flagged_by_credit_code_and_by_name(tenant, submit):
    with tenant_scope(tenant):
        by_code = PartnerFactory(legal_name="某某渠道有限公司")
        by_name = PartnerFactory(legal_name="杭州远大贸易有限公司")
    one = submit(legal_name="新公司有限公司", credit_code=by_code.credit_code)
    two = submit(legal_name="杭州远大贸易有限责任公司")
    assert [(f["kind"], f["id"], f["match"]) for f in one.duplicate_flags] == [("partner", by_code.pk, "credit_code")]
    assert [(f["kind"], f["id"], f["match"]) for f in two.duplicate_flags] == [("partner", by_name.pk, "same_name")]


def test_other_tenants_are_never_compared(tenant, other_tenant, submit):
    with tenant_scope(other_tenant):
        PartnerFactory(legal_name="上海星辰科技有限公司")
    application = submit(legal_name="上海星辰科技有限公司")
    assert application.duplicate_flags == []
    assert not application.has_duplicates


def test_a_clean_application_has_no_flags(tenant, submit):
    assert submit().duplicate_flags == []


# --------------------------------------------------------------------------- transitions


ALLOWED_PLAIN_MOVES = sorted(
    (src, dst) for src, targets in APPLICATION_WORKFLOW.allowed.items() for dst in targets
    if (src, dst) not in DECISION_ONLY
)
ROUTE_TO = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.SCREENING: [S.SUBMITTED, S.SCREENING],
    S.SCORING: [S.SUBMITTED, S.SCREENING, S.SCORING],
    S.IN_REVIEW: [S.SUBMITTED, S.SCREENING, S.SCORING, S.IN_REVIEW],
}


@pytest.mark.parametrize(("source", "target"), ALLOWED_PLAIN_MOVES)
def test_every_allowed_plain_move(tenant, chain, people, source, target, application_data):
    with tenant_scope(tenant):
        application = services.application_create(tenant=tenant, actor=people["manager"], data=application_data())
        move(application, *ROUTE_TO[source], actor=people["manager"])
        assert application.state == source
        if target == S.WITHDRAWN:
            services.application_withdraw(application=application, actor=None, reason="changed our mind")
        else:
            move(application, target, actor=people["manager"])
        application.refresh_from_db()
        assert application.state == target
        log = StateTransition.objects.filter(object_id=application.pk).order_by("-created_at", "-id").first()
        assert (log.from_state, log.to_state) == (source, target)


@pytest.mark.parametrize(
    ("route", "target"),
    [
        ([], S.SCREENING),
        ([], S.APPROVED),
        ([S.SUBMITTED], S.SCORING),
        ([S.SUBMITTED], S.REJECTED),
        ([S.SUBMITTED, S.SCREENING], S.IN_REVIEW),
        ([S.SUBMITTED, S.SCREENING], S.APPROVED),
        ([S.SUBMITTED, S.SCREENING, S.REJECTED], S.SCREENING),
        ([S.SUBMITTED, S.WITHDRAWN], S.SUBMITTED),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(tenant, chain, people, application_data, route, target):
    with tenant_scope(tenant):
        application = services.application_create(tenant=tenant, actor=people["manager"], data=application_data())
        move(application, *route, actor=people["manager"])
        before = application.state
        with pytest.raises(IllegalTransition):
            services.application_transition(application=application, to_state=target, actor=people["manager"])
        application.refresh_from_db()
        assert application.state == before


@pytest.mark.parametrize("target", [S.APPROVED, S.REJECTED, S.SCREENING, S.SCORING])
def test_moves_out_of_review_need_a_decision(tenant, in_review, people, target):
    application = in_review()
    with tenant_scope(tenant), pytest.raises(IllegalTransition, match="decision"):
        services.application_transition(application=application, to_state=target, actor=people["manager"])


def test_entering_review_without_a_chain_is_refused(tenant, people, application_data):
    with tenant_scope(tenant):
        application = services.application_create(tenant=tenant, actor=people["manager"], data=application_data())
        move(application, S.SUBMITTED, S.SCREENING, S.SCORING, actor=people["manager"])
        with pytest.raises(ValidationError, match="approval chain"):
            move(application, S.IN_REVIEW, actor=people["manager"])


def test_entering_scoring_fixes_the_template_and_qualifies(tenant, submit, criteria, people):
    application = submit()
    with tenant_scope(tenant):
        move(application, S.SCREENING, S.SCORING, actor=people["manager"])
    application.refresh_from_db()
    assert application.scorecard_template == criteria["template"]
    assert application.qualified_at is not None


def test_withdraw_in_review_clears_the_step(tenant, in_review):
    application = in_review()
    with tenant_scope(tenant):
        services.application_withdraw(application=application, reason="found another vendor")
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert application.current_step is None
    assert application.decided_at is not None


def test_rejection_in_screening_notifies_the_applicant(tenant, submit, people, django_capture_on_commit_callbacks):
    application = submit(language="en")
    mail.outbox.clear()
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        move(application, S.SCREENING, S.REJECTED, actor=people["manager"])
    assert len(mail.outbox) == 1
    assert "decision" in mail.outbox[0].subject


def test_editing_is_closed_once_scoring_starts(tenant, submit, people, criteria):
    application = submit()
    with tenant_scope(tenant):
        services.application_update(application=application, actor=people["manager"], data={"staff_count": 70})
        move(application, S.SCREENING, S.SCORING, actor=people["manager"])
        with pytest.raises(ValidationError):
            services.application_update(application=application, actor=people["manager"], data={"staff_count": 80})


# --------------------------------------------------------------------------- Q&A


def test_question_and_answer_thread(tenant, submit, people, django_capture_on_commit_callbacks):
    application = submit()
    mail.outbox.clear()
    with tenant_scope(tenant), django_capture_on_commit_callbacks(execute=True):
        question = services.application_ask_question(
            application=application, actor=people["manager"], body="请提供近三年财务报表。"
        )
    assert len(mail.outbox) == 1
    assert "请提供近三年财务报表。" in mail.outbox[0].body
    with tenant_scope(tenant):
        answer = services.application_answer(application=application, body="已上传。", reply_to=question)
    assert answer.sender == MessageSender.APPLICANT
    assert answer.reply_to == question
    with tenant_scope(tenant), pytest.raises(ValidationError):
        services.application_answer(application=application, body="  ")


def test_document_can_be_added_while_open_only(tenant, submit, people):
    application = submit()
    with tenant_scope(tenant):
        services.application_add_document(application=application, kind="other", file=pdf("more.pdf"))
        services.application_withdraw(application=application, actor=people["manager"])
        with pytest.raises(ValidationError):
            services.application_add_document(application=application, kind="other", file=pdf("late.pdf"))
        assert ApplicationDocument.objects.filter(application=application).count() == 2


# --------------------------------------------------------------------------- duplicates both ways


def test_a_later_duplicate_is_flagged_on_the_earlier_open_application_too(tenant, submit, people):
    first = submit(legal_name="上海星辰科技有限公司")
    unrelated = submit(legal_name="成都天府电器有限公司")
    same_code = submit(legal_name="完全不同的名字有限公司", credit_code=first.credit_code)
    with tenant_scope(tenant):
        first.refresh_from_db()
        unrelated.refresh_from_db()
    assert first.has_duplicates
    assert [(f["kind"], f["id"], f["match"]) for f in first.duplicate_flags] == [
        ("application", same_code.pk, "credit_code")]
    assert first.duplicate_flags[0]["name"] == "完全不同的名字有限公司"
    assert not unrelated.has_duplicates and unrelated.duplicate_flags == []

    # A third one with a near-identical name: the first now mentions both, once each.
    similar = submit(legal_name="上海 星辰科技 股份有限公司")
    with tenant_scope(tenant):
        first.refresh_from_db()
        services.application_check_duplicates(application=similar)  # a re-run adds nothing twice
        first.refresh_from_db()
        same_code.refresh_from_db()
    assert sorted((f["id"], f["match"]) for f in first.duplicate_flags) == sorted(
        [(same_code.pk, "credit_code"), (similar.pk, "same_name")])
    assert [f["id"] for f in same_code.duplicate_flags] == [first.pk]  # the code differs, the name too

    # Corrected: the similar one gets another name, and the first forgets it.
    with tenant_scope(tenant):
        services.application_update(application=similar, actor=people["manager"],
                                    data={"legal_name": "杭州远大贸易有限公司"})
        first.refresh_from_db()
    assert [f["id"] for f in first.duplicate_flags] == [same_code.pk]


def test_flagging_the_earlier_duplicates_costs_the_same_queries_however_many_there_are(tenant, submit):
    """A common name may match many open applications: they are told in one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def checked_after(copies: int) -> int:
        name = f"广州{copies}号贸易有限公司"
        earlier = [submit(legal_name=name) for _ in range(copies)]
        with CaptureQueriesContext(connection) as captured:
            latest = submit(legal_name=name)
        with tenant_scope(tenant):
            for application in earlier:
                application.refresh_from_db()
                assert [f["id"] for f in application.duplicate_flags if f["id"] == latest.pk] == [latest.pk]
        return len(captured)

    assert checked_after(1) == checked_after(4)


def test_closed_applications_are_not_reflagged(tenant, submit, people):
    first = submit(legal_name="上海星辰科技有限公司")
    with tenant_scope(tenant):
        services.application_withdraw(application=first, actor=people["manager"])
    later = submit(legal_name="上海星辰科技有限公司")
    with tenant_scope(tenant):
        first.refresh_from_db()
        later.refresh_from_db()
    assert later.has_duplicates and later.duplicate_flags[0]["id"] == first.pk
    assert not first.has_duplicates and first.duplicate_flags == []
