"""Two enrolments for the last seat at the same time, on PostgreSQL: one seat, one waiting list."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from channelhub.tenancy.context import tenant_scope
from channelhub.tenancy.roles import Role
from tests.conftest import make_member
from training import services
from training.models import Enrolment, EnrolmentState

from .factories import SessionFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def test_two_enrolments_for_the_last_seat(tenant, partner, trainer):
    people = [make_member(tenant, Role.PARTNER_USER, partner=partner) for _ in range(3)]
    with tenant_scope(tenant):
        session = SessionFactory(capacity=2)
        services.enrolment_create(session=session, trainee=people[0], actor=trainer)
    barrier = threading.Barrier(2)
    errors = []

    def enrol(person):
        try:
            barrier.wait(timeout=10)
            with tenant_scope(tenant):
                services.enrolment_create(session=session, trainee=person, actor=trainer)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(person,)) for person in people[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    with tenant_scope(tenant):
        states = sorted(Enrolment.objects.filter(session=session, trainee__in=people[1:])
                        .values_list("state", flat=True))
    assert states == [EnrolmentState.ENROLLED, EnrolmentState.WAITLISTED]
