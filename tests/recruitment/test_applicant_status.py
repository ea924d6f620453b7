"""The applicant's tracking page tells an ending apart from a welcome."""

from django.utils import translation

from recruitment.models import Application, ApplicationState
from recruitment.public.views import applicant_status


def _status(state):
    with translation.override("en"):
        status = applicant_status(Application(state=state))
        return status, [str(step["label"]) for step in status["steps"]]


def test_a_rejected_application_ends_greyed_out_not_green():
    status, labels = _status(ApplicationState.REJECTED)
    last = status["steps"][-1]
    assert status["ended"] and last["ended"] and not last["done"]
    assert labels[-1] == "Not approved"


def test_a_withdrawn_application_ends_too():
    status, labels = _status(ApplicationState.WITHDRAWN)
    assert status["ended"] and labels[-1] == "Withdrawn"


def test_an_approved_application_completes_the_stepper():
    status, labels = _status(ApplicationState.APPROVED)
    assert not status["ended"] and all(step["done"] for step in status["steps"])
    assert labels[-1] == "Approved"


def test_an_open_application_waits_for_the_decision():
    status, labels = _status(ApplicationState.SCORING)
    assert labels[-1] == "Decision" and not status["steps"][-1]["done"]
