"""Training's KPI inputs for performance evaluation (``channelhub.kpi_inputs``)."""

from django.utils.translation import gettext_lazy as _

from channelhub.kpi_inputs import register_kpi_input

from . import selectors

register_kpi_input("training.certified_staff_ratio", label=_("Certified staff ratio"),
                   function=selectors.certified_staff_ratio, unit="ratio")
register_kpi_input("training.qualification_status", label=_("Required qualifications held"),
                   function=selectors.qualification_status, unit="ratio")
register_kpi_input("training.attended_sessions", label=_("Training sessions attended"),
                   query=selectors.attended_sessions_query, unit="count")
