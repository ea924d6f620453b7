"""What recruitment hears from other chapters: milestones tick the onboarding checklist.

The checklist's keys stay recruitment's own; which milestone proves which item is decided
here, so cooperation and training only announce what happened (``channelhub.milestones``).
"""

from __future__ import annotations

from channelhub.milestones import Announcement, listens_to
from channelhub.partners.models import Partner

from . import services

# milestone → checklist item it proves (the defaults in services.onboarding use these keys)
CHECKLIST_ITEMS = {
    "agreement.signed": "sign_agreement",
    "sales.first_report": "first_sales_report",
    "course.completed": "orientation_course",
    "partner.user_joined": "portal_users",
}


@listens_to(*CHECKLIST_ITEMS)
def tick_onboarding_checklist(announcement: Announcement) -> None:
    # Only the orientation course proves the orientation item; other courses are training's business.
    if announcement.milestone == "course.completed" and announcement.details.get("course_kind") != "orientation":
        return
    partner = Partner.objects.filter(pk=announcement.partner_id).first()
    if partner is not None:
        services.onboarding_task_complete(
            partner=partner, key=CHECKLIST_ITEMS[announcement.milestone], actor=None,
            source=f"milestone:{announcement.milestone}",
        )
