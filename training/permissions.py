"""What training lets people do, and who may (see ``channelhub.tenancy.policy``).

Trainers and channel managers (and owners) run the training; partner administrators enrol
their own staff (第十六条) and fill in the needs survey; every trainee takes assessments and
gives feedback for themselves. Services check these before they change anything; the admin,
the API and the portal derive what they offer from the same rows.
"""

from django.utils.translation import gettext_lazy as _

from channelhub.tenancy.policy import declare
from channelhub.tenancy.roles import ALL_ROLES, MANAGERS, PARTNER_ROLES, Role

TRAINERS = MANAGERS | {Role.TRAINER}

CATALOG_MANAGE = declare(
    "training.catalog.manage", TRAINERS,
    _("change the training catalogue (courses, certifications, learning paths, assessments and questions)"),
)
PLAN_MANAGE = declare(
    "training.plan.manage", TRAINERS, _("change, publish or close training plans and generate their sessions"),
)
SESSION_MANAGE = declare("training.session.manage", TRAINERS, _("change training sessions"))
ATTENDANCE_TAKE = declare("training.attendance.take", TRAINERS, _("take attendance"))
# Staff enrol anyone of the tenant; a partner administrator enrols staff of their own partner.
ENROL_OTHERS = declare("training.enrolment.manage", TRAINERS | {Role.PARTNER_ADMIN}, _("enrol people in sessions"))
ENROL_SELF = declare("training.enrolment.self", ALL_ROLES, _("enrol yourself in a session"))
ATTEMPT_TAKE = declare("training.attempt.take", ALL_ROLES, _("take an assessment"))
ATTEMPT_GRADE = declare("training.attempt.grade", TRAINERS, _("score practical assessments"))
FEEDBACK_GIVE = declare("training.feedback.give", ALL_ROLES, _("rate a session"))
CERTIFICATE_MANAGE = declare(
    "training.certificate.manage", MANAGERS, _("issue or revoke certificates"),
)
REQUIREMENT_MANAGE = declare(
    "training.requirement.manage", MANAGERS, _("declare the qualifications partner types require"),
)
QUALIFICATION_SUBMIT = declare(
    "training.qualification.submit", TRAINERS | PARTNER_ROLES, _("upload an external qualification"),
)
QUALIFICATION_VERIFY = declare(
    "training.qualification.verify", MANAGERS, _("verify or reject external qualifications"),
)
NEED_SUBMIT = declare("training.need.submit", MANAGERS | {Role.PARTNER_ADMIN}, _("fill in a training needs survey"))
NEED_ASSESS = declare("training.need.assess", TRAINERS, _("assess training needs"))
REPORTS_VIEW = declare("training.reports.view", TRAINERS, _("see the training reports"))
