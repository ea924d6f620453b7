"""Training's rows of the role table (see tests/roles/chapters.py): written down, not derived.

Trainers, channel managers and owners run the training (catalogue, plans, sessions, attendance,
assessments); owners and channel managers alone issue and revoke certificates, verify external
qualifications and declare what partner types require. Every staff role reads.
"""

from __future__ import annotations

from django.utils import timezone

from channelhub.tenancy.roles import Role
from tests.roles import setups
from tests.roles.table import MANAGERS, NOBODY, NOT_ROLE_SURFACES, PARTNER, PARTNER_ADMIN, STAFF, add, admin, api

TRAINERS = MANAGERS | {Role.TRAINER}

NOT_ROLE_SURFACES["training-public:"] = (
    "public certificate verification by code (anyone, by tenant slug; its isolation is tests/training/harness.py)")

add({"admin:app_list GET training": STAFF})
admin("training.course", view=STAFF, change=TRAINERS)
admin("training.certification", view=STAFF, change=TRAINERS)
admin("training.learningpath", view=STAFF, change=TRAINERS)
admin("training.trainingplan", view=STAFF, change=TRAINERS,
      actions={"publish": TRAINERS, "close": TRAINERS, "enrol_audience": TRAINERS},
      extra={"admin:training_trainingplan_generate GET": TRAINERS, "admin:training_trainingplan_report GET": TRAINERS})
admin("training.session", view=STAFF, change=TRAINERS,
      extra={"admin:training_session_attendance GET": TRAINERS})
# Enrolments are made (by staff here, by partner admins in the portal) and cancelled, never edited or deleted.
admin("training.enrolment", view=STAFF, change=NOBODY, add=TRAINERS, delete=NOBODY, actions={"cancel": TRAINERS})
# Partners fill in their needs survey in the portal; staff add their assessment.
admin("training.trainingneed", view=STAFF, change=TRAINERS, add=NOBODY, delete=NOBODY,
      actions={"draft_plan": TRAINERS})
admin("training.assessment", view=STAFF, change=TRAINERS, extra={
    "admin:training_assessment_import_questions GET": TRAINERS,
    "admin:training_assessment_item_analysis GET": TRAINERS,
})
admin("training.question", view=STAFF, change=TRAINERS)
admin("training.attempt", view=STAFF, change=NOBODY)
# Certificates are issued (by the rules, or by hand by managers) and revoked, never edited or deleted.
admin("training.certificate", view=STAFF, change=NOBODY, add=MANAGERS, delete=NOBODY,
      actions={"revoke_certificates": MANAGERS}, extra={"admin:training_certificate_pdf GET": STAFF})
# External qualifications are uploaded by partner staff and verified or rejected by managers.
admin("training.qualification", view=STAFF, change=NOBODY, add=NOBODY, delete=NOBODY,
      actions={"verify": MANAGERS, "reject_qualifications": MANAGERS},
      extra={"admin:training_qualification_document GET": STAFF})
admin("training.qualificationrequirement", view=STAFF, change=MANAGERS)
admin("training.qualificationlapse", view=STAFF, change=NOBODY)

# The API for LMS and HR integrations.
api("training-api:course", read=STAFF | PARTNER, write=TRAINERS)
api("training-api:plan", read=STAFF, write=TRAINERS, actions={
    "transition POST": TRAINERS, "generate POST": TRAINERS, "enrol-audience POST": TRAINERS, "report GET": TRAINERS,
})
api("training-api:session", read=STAFF | PARTNER, write=TRAINERS, actions={"attendance POST": TRAINERS})
api("training-api:enrolment", read=STAFF | PARTNER, write=TRAINERS | PARTNER_ADMIN, ops="list create retrieve",
    actions={"cancel POST": TRAINERS | PARTNER_ADMIN})
api("training-api:certificate", read=STAFF | PARTNER, ops="read", actions={"revoke POST": MANAGERS})
# Anyone may start an attempt of their own; only its trainee (the harness's is the partner user) submits it.
api("training-api:attempt", read=STAFF | PARTNER, write=STAFF | PARTNER, ops="list create retrieve", actions={
    "questions GET": STAFF | PARTNER, "submit POST": frozenset({Role.PARTNER_USER}),
})

# The portal: partner staff; the partner admin also enrols the company's staff and fills in the needs survey.
add({
    "training-portal:catalogue GET": PARTNER,
    "training-portal:sessions GET": PARTNER,
    "training-portal:enrol GET": PARTNER_ADMIN,
    "training-portal:assessments GET": PARTNER,
    "training-portal:certificates GET": PARTNER,
    "training-portal:needs GET": PARTNER_ADMIN,
})


# --------------------------------------------------------------------------------------
# Rows the actions can move
# --------------------------------------------------------------------------------------


def _plan(world, **fields):
    from training.models import TrainingPlan

    plan = world.a.new(TrainingPlan)
    with world.a.scope():
        TrainingPlan.objects.filter(pk=plan.pk).update(**fields)
        plan.refresh_from_db()
    return plan


def draft_plan(world):
    return _plan(world, state="draft")


def plan_with_audience(world):
    """A published plan for the tenant's own channel staff, with an upcoming session."""
    import datetime

    from training.models import Course, Session

    plan = _plan(world, include_channel_staff=True)
    world.a.user(Role.CHANNEL_MANAGER)
    with world.a.scope():
        start = timezone.now() + datetime.timedelta(days=5)
        Session.objects.create(plan=plan, course=world.a.get(Course), title="matrix", location="matrix",
                               starts_at=start, ends_at=start + datetime.timedelta(hours=3), capacity=50)
    return plan


setups.ACTION_SETUP.update({
    "admin:training.trainingplan#publish": draft_plan,
    "admin:training.trainingplan#delete_selected": draft_plan,
    "admin:training.trainingplan#enrol_audience": plan_with_audience,
})
setups.ACTION_BODIES.update({
    "revoke_certificates": {"apply": "1", "reason": "matrix"},
    "reject_qualifications": {"apply": "1", "note": "matrix"},
})
