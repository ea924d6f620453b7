"""The admin pages, the API, the portal and the public verification page, as their users use them."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import api_client_for, make_member
from training import services
from training.models import Certificate, Enrolment

from .factories import SessionFactory


def _web(user):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


# --------------------------------------------------------------------------- portal


def test_a_partner_user_takes_an_assessment_and_downloads_the_certificate(tenant, quiz, path, staff):
    client = _web(staff[0])
    url = reverse("training-portal:assessments")
    page = client.get(url)
    assert page.status_code == 200 and "PK final" in page.content.decode()
    started = client.post(url, {"start": quiz["assessment"].pk})
    assert started.status_code == 302
    running = client.get(started["Location"])
    body = running.content.decode()
    assert 'data-seconds-left="' in body and "training-timer.js" in body
    assert "correct" not in body.lower()  # nothing says which option is right
    with tenant_scope(tenant):
        attempt = services.attempt_start(assessment=quiz["assessment"], actor=staff[0])  # resumes the same one
    answers = {f"q_{key}": value for key, value in quiz["right"].items()}
    done = client.post(url, {"attempt": attempt.pk, **answers})
    assert done.status_code == 302
    with tenant_scope(tenant):
        certificate = Certificate.objects.get(holder=staff[0])
    listing = client.get(reverse("training-portal:certificates"))
    assert certificate.number in listing.content.decode()
    pdf = client.get(reverse("training-portal:certificates") + f"?pdf={certificate.pk}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # Another person of the same partner cannot download it.
    assert _web(staff[1]).get(reverse("training-portal:certificates") + f"?pdf={certificate.pk}").status_code == 404


def test_the_partner_admin_enrols_staff_and_a_full_session_waitlists(tenant, staff, partner_admin):
    with tenant_scope(tenant):
        session = SessionFactory(capacity=2)
    client = _web(partner_admin)
    assert client.get(reverse("training-portal:enrol")).status_code == 200
    response = client.post(reverse("training-portal:enrol"), {"session": session.pk,
                                                             "people": [p.pk for p in staff]})
    assert response.status_code == 302
    with tenant_scope(tenant):
        states = sorted(Enrolment.objects.filter(session=session).values_list("state", flat=True))
    assert states == ["enrolled", "enrolled", "waitlisted"]
    page = _web(partner_admin).get(reverse("training-portal:sessions"))
    assert page.status_code == 200 and "no. 1 in line" in page.content.decode()
    # Partner users do not get the enrol page.
    assert _web(staff[0]).get(reverse("training-portal:enrol")).status_code == 403


def test_needs_survey_is_saved_for_the_partner(tenant, partner, partner_admin):
    client = _web(partner_admin)
    response = client.post(reverse("training-portal:needs"), {
        "topics": ["sales_skills", "product_knowledge"], "sales_staff": 12, "service_staff": 3, "managers": 1,
        "product_level": 2, "sales_level": 3, "service_level": 4, "notes": "更多产品培训"})
    assert response.status_code == 302
    from training.models import TrainingNeed

    with tenant_scope(tenant):
        need = TrainingNeed.objects.get(partner=partner)
    assert need.topics == ["sales_skills", "product_knowledge"] and need.skill_levels["after_sales"] == 4


def test_portal_pages_cost_a_fixed_number_of_queries(tenant, quiz, path, staff, partner_admin, trainer):
    with tenant_scope(tenant):
        session = SessionFactory(capacity=50)
        for person in staff:
            services.enrolment_create(session=session, trainee=person, actor=trainer)
    client = _web(partner_admin)
    counts = {}
    for name in ("catalogue", "sessions", "assessments", "certificates"):
        client.get(reverse(f"training-portal:{name}"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"training-portal:{name}")).status_code == 200
        counts[name] = len(queries)
    extra = [make_member(tenant, Role.PARTNER_USER, partner=staff_partner(staff[0])) for _ in range(3)]
    with tenant_scope(tenant):
        more = SessionFactory(capacity=50)
        for person in extra:
            services.enrolment_create(session=more, trainee=person, actor=trainer)
        # More of the catalogue: courses with prerequisites, a learning path with its steps.
        from training.models import CoursePrerequisite, LearningPathStep

        from .factories import CourseFactory, LearningPathFactory

        first, second = CourseFactory(is_published=True), CourseFactory(is_published=True)
        CoursePrerequisite.objects.create(course=second, required=first)
        CoursePrerequisite.objects.create(course=second, required=quiz["course"])
        learning_path = LearningPathFactory()
        for order, course in enumerate((first, second), start=1):
            LearningPathStep.objects.create(path=learning_path, course=course, order=order)
    for name, before in counts.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(f"training-portal:{name}"))
        assert len(queries) == before, f"{name}: {before} → {len(queries)} queries"


def staff_partner(user):
    from channelhub.partners.models import Partner
    from channelhub.tenancy.models import Membership

    return Partner.all_tenants.get(pk=Membership.all_tenants.get(user=user).partner_id)


# --------------------------------------------------------------------------- API


def test_api_attempt_never_shows_correct_options_and_grades_on_submit(tenant, quiz, staff):
    client = api_client_for(staff[0])
    started = client.post("/api/v1/training/attempts/", {"assessment": quiz["assessment"].pk}, format="json")
    assert started.status_code == 201, started.content
    attempt_id = started.json()["id"]
    questions = client.get(f"/api/v1/training/attempts/{attempt_id}/questions/")
    assert questions.status_code == 200
    assert "is_correct" not in questions.content.decode() and "correct" not in questions.content.decode()
    assert sorted(q["id"] for q in questions.json()) == sorted(q.pk for q in quiz["questions"])
    graded = client.post(f"/api/v1/training/attempts/{attempt_id}/submit/", {"answers": quiz["right"]},
                         format="json")
    assert graded.status_code == 200 and graded.json()["passed"] is True
    again = client.post(f"/api/v1/training/attempts/{attempt_id}/submit/", {"answers": quiz["right"]},
                        format="json")
    assert again.status_code == 400


def test_api_schema_documents_every_training_operation(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    if schema.status_code != 200:
        pytest.skip("schema served elsewhere")
    import json

    paths = json.loads(schema.content)["paths"] if schema["Content-Type"].startswith("application/json") else {}
    for path, operations in paths.items():
        if "/training/" in path:
            for method, operation in operations.items():
                assert operation.get("summary") and operation.get("description"), f"{method} {path}"


# --------------------------------------------------------------------------- admin


def test_trainer_takes_attendance_on_the_register(tenant, staff, trainer):
    with tenant_scope(tenant):
        session = SessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=1),
                                 ends_at=timezone.now() + datetime.timedelta(hours=5))
        rows = [Enrolment.objects.create(session=session, trainee=p, partner=None) for p in staff[:2]]
    client = _web(trainer)
    url = reverse("admin:training_session_attendance", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="mark_' in page.content.decode()
    saved = client.post(url, {f"mark_{rows[0].pk}": "attended", f"mark_{rows[1].pk}": "absent"})
    assert saved.status_code == 302
    with tenant_scope(tenant):
        assert sorted(Enrolment.objects.filter(session=session).values_list("state", flat=True)) == [
            "absent", "attended"]


def test_question_import_page_shows_row_errors(tenant, quiz, trainer):
    client = _web(trainer)
    url = reverse("admin:training_assessment_import_questions", args=[quiz["assessment"].pk])
    csv = b"kind,text,points,option_1,option_2,correct\nsingle,Q1,1,a,b,1\nsingle,,1,a,b,1\n"
    response = client.post(url, {"file": SimpleUploadedFile("bank.csv", csv, content_type="text/csv")})
    assert response.status_code == 200 and "Row 3" in response.content.decode()
    good = b"kind,text,points,option_1,option_2,correct\nsingle,Q1,1,a,b,1\n"
    assert client.post(url, {"file": SimpleUploadedFile("bank.csv", good)}).status_code == 302
    analysis = client.get(reverse("admin:training_assessment_item_analysis", args=[quiz["assessment"].pk]))
    assert analysis.status_code == 200


def test_plan_report_and_generate_pages(tenant, trainer, staff):
    with tenant_scope(tenant):
        session = SessionFactory()
    client = _web(trainer)
    report = client.get(reverse("admin:training_trainingplan_report", args=[session.plan.pk]))
    assert report.status_code == 200 and "No sales data yet" in report.content.decode()
    assert client.get(reverse("admin:training_trainingplan_generate", args=[session.plan.pk])).status_code == 200


# --------------------------------------------------------------------------- public verification


def test_public_verification_by_code(tenant, other_tenant, staff):
    from .factories import CertificationFactory

    with tenant_scope(tenant):
        certificate = services.certificate_issue(certification=CertificationFactory(), holder=staff[0], actor=None)
    from django.test import Client

    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = anonymous.get(reverse("training-public:verify", args=[tenant.slug, certificate.verification_code]))
    assert page.status_code == 200 and certificate.number in page.content.decode() and "Valid" in page.content.decode()
    assert anonymous.get(reverse("training-public:verify", args=[other_tenant.slug,
                                                                 certificate.verification_code])).status_code == 404
    with tenant_scope(tenant):
        services.certificate_revoke(certificate=certificate, actor=None, reason="Forged attendance")
    revoked = anonymous.get(reverse("training-public:verify", args=[tenant.slug, certificate.verification_code]))
    assert "Forged attendance" in revoked.content.decode()
