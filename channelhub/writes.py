"""One declaration for the three services that write a model, shared by the API and the admin.

Most viewsets and admins wrote the same three hooks, differing only in the service names::

    def create_object(self, data):
        return services.plan_create(tenant=self.tenant, actor=self.actor, **data)
    def update_object(self, instance, data):
        return services.plan_update(plan=instance, actor=self.actor, **data)
    def delete_object(self, instance):
        services.plan_delete(plan=instance, actor=self.actor)

They declare instead ``writes = ServiceTrio(create=services.plan_create, update=services.plan_update,
delete=services.plan_delete, instance="plan")`` and ``CrudViewSet`` / ``TenantScopedAdmin`` call
it. A hook with a rule of its own (a field to drop, a row to re-read) is still written out.

``add_service_errors`` is the other half of a form that writes through a service: the
service's refusal shown on the form (portal, public and admin pages alike).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class ServiceTrio:
    """The services that create, update and delete one model.

    Called as ``create(tenant=, actor=, **fields)``, ``update(<instance>=row, actor=, **fields)``
    and ``delete(<instance>=row, actor=)``.
    """

    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    instance: str  # the keyword the update and delete services name the row by: plan=, campaign=…

    def create_row(self, *, tenant, actor, fields: dict) -> Any:
        return self.create(tenant=tenant, actor=actor, **fields)

    def update_row(self, row, *, actor, fields: dict) -> Any:
        return self.update(**{self.instance: row}, actor=actor, **fields)

    def delete_row(self, row, *, actor) -> None:
        self.delete(**{self.instance: row}, actor=actor)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
