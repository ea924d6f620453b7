"""Migration 0012: each feedback item's single attachment becomes its first ``FeedbackFile``; going back copies
the first file into the attachment columns again; going forward once more copies it once (never twice)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from cooperation.models import FeedbackFile
from tests.conftest import make_member
from tests.factories import PartnerFactory

BEFORE = [("cooperation", "0011_service_ticket_unique_number")]
AFTER = [("cooperation", "0012_feedback_files")]
PATH = "cooperation/feedback/1/2026/01/7-140.pdf"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_0012_copies_the_attachment_into_a_file_row_and_back(tenant):
    with tenant_scope(tenant):
        partner = PartnerFactory()
    author = make_member(tenant, Role.PARTNER_ADMIN, partner=partner, username="sender")
    sent = timezone.now() - datetime.timedelta(days=3)
    try:
        old = _migrate(BEFORE)
        OldFeedback = old.get_model("cooperation", "Feedback")
        common = {"tenant_id": tenant.pk, "partner_id": partner.pk, "category": "pricing", "text": "t",
                  "submitted_at": sent, "submitted_by_id": author.pk, "month": sent.date().replace(day=1)}
        with_file = OldFeedback._base_manager.create(
            title="带附件", attachment=PATH, attachment_name="价格表.pdf", attachment_type="application/pdf",
            attachment_size=47, **common)
        without = OldFeedback._base_manager.create(title="无附件", **common)

        _migrate(AFTER)
        with tenant_scope(tenant):
            rows = list(FeedbackFile.objects.values_list(
                "feedback_id", "partner_id", "file", "original_name", "content_type", "size", "uploaded_by_id",
                "uploaded_at"))
            assert rows == [(with_file.pk, partner.pk, PATH, "价格表.pdf", "application/pdf", 47, author.pk, sent)]
            assert not FeedbackFile.objects.filter(feedback_id=without.pk).exists()
            # A second file, added after the change: going back keeps the first one only.
            first = FeedbackFile.objects.get()
            FeedbackFile.all_tenants.create(tenant=tenant, feedback_id=with_file.pk, partner=partner,
                                            file="cooperation/feedback/1/2026/01/7-141.png", original_name="b.png",
                                            content_type="image/png", size=40)

        old = _migrate(BEFORE)
        OldFeedback = old.get_model("cooperation", "Feedback")
        restored = OldFeedback._base_manager.get(pk=with_file.pk)
        assert (restored.attachment.name, restored.attachment_name, restored.attachment_type,
                restored.attachment_size) == (first.file.name, "价格表.pdf", "application/pdf", 47)
        assert OldFeedback._base_manager.get(pk=without.pk).attachment.name == ""

        _migrate(AFTER)  # again: one row per attachment, not one more each time
        with tenant_scope(tenant):
            assert list(FeedbackFile.objects.values_list("feedback_id", "file")) == [(with_file.pk, PATH)]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
