"""The base every API viewset extends: tenant-scoped, role-checked, writes through services."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from channelhub.tenancy.roles import PARTNER_ROLES
from channelhub.writes import ServiceTrio

from .permissions import HasTenantRole
from .schema import ChannelHubAutoSchema, documented
from .serializers import HistoryEntrySerializer


class TenantScopedViewSet(viewsets.GenericViewSet):
    """Lists and details of the current tenant's rows, narrowed for partner staff.

    Subclasses implement ``get_base_queryset()`` (usually a selector), never
    ``get_queryset()``: the narrowing here must not be skipped by accident.

    - ``read_roles`` / ``write_roles``: who may call it (deny by default).
    - ``partner_lookup``: the path from the row to its partner; partner staff see only
      rows of their own partner. ``published_to_partners``: rows every partner may read.
    - ``create_object`` / ``update_object`` / ``delete_object``: call the app's services;
      ``writes = ServiceTrio(...)`` (``channelhub.writes``) declares the usual three at once.
    """

    permission_classes = [HasTenantRole]
    # Documents each operation's error answers (400, 401, 403, 404, 409, 413) as shared components.
    schema = ChannelHubAutoSchema()
    read_roles: frozenset[str] = frozenset()
    write_roles: frozenset[str] = frozenset()
    partner_lookup: str | None = None
    published_to_partners = False
    writes: ServiceTrio | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: implement get_base_queryset(), not get_queryset().")
        partner_roles = (cls.read_roles | cls.write_roles) & PARTNER_ROLES
        if partner_roles and cls.partner_lookup is None and not cls.published_to_partners:
            raise TypeError(f"{cls.__name__} admits partner roles but has no partner_lookup.")

    def get_base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        queryset = self.get_base_queryset()
        access = getattr(self.request, "access", None)
        if access is None:
            return queryset.none()
        if access.is_partner:
            if self.partner_lookup is not None:
                return queryset.filter(**{self.partner_lookup: access.partner_id})
            if not self.published_to_partners:
                return queryset.none()
        return queryset

    @property
    def tenant(self):
        return self.request.tenant

    @property
    def actor(self):
        return self.request.user

    def _writes(self) -> ServiceTrio:
        if self.writes is None:
            raise NotImplementedError(f"{type(self).__name__}: declare ``writes`` or implement the write hooks")
        return self.writes

    def create_object(self, data: dict):
        return self._writes().create_row(tenant=self.tenant, actor=self.actor, fields=data)

    def update_object(self, instance, data: dict):
        return self._writes().update_row(instance, actor=self.actor, fields=data)

    def delete_object(self, instance) -> None:
        self._writes().delete_row(instance, actor=self.actor)


class CrudViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """List, read, create, update and delete, with every write going through a service."""

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        if self.request.access.is_partner and self.partner_lookup == "partner":
            # Partner staff write only for their own partner, whatever the body says.
            from channelhub.partners.models import Partner

            data["partner"] = Partner.objects.get(pk=self.request.access.partner_id)
        with transaction.atomic():
            serializer.instance = self._as_listed(self.create_object(data))

    def perform_update(self, serializer) -> None:
        with transaction.atomic():
            serializer.instance = self._as_listed(
                self.update_object(serializer.instance, dict(serializer.validated_data))
            )

    def _as_listed(self, row):
        """The written row re-read through the scoped queryset, so the answer has the fields a list
        computes (a partner's ``contact_count``); the service's own object if the reader may not list it."""
        return self.get_queryset().filter(pk=row.pk).first() or row

    def perform_destroy(self, instance) -> None:
        with transaction.atomic():
            self.delete_object(instance)


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    pass


class AuditHistoryMixin:
    """``GET <detail>/history/``: the row's audit trail, newest first (who, when, what, why).

    Declare who may read it with ``action_roles = {"history": …}``.
    """

    history_limit = 200

    @documented(
        "Audit trail",
        "The row's audit trail, newest first (at most 200 entries): who changed it, when, what kind of "
        "change, which fields from what to what, and why.",
        responses=HistoryEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        instance = self.get_object()
        records = instance.history.select_related("history_user").order_by("-history_date")
        return Response(HistoryEntrySerializer(records[: self.history_limit], many=True).data)


def transition_action(*, service, instance: str, body, responses, doc: str = "", summary: str = ""):
    """``POST <detail>/transition/`` for a row with a status workflow, declared in one line.

    ``body`` validates ``to_status`` and an optional ``reason``; ``service`` is called as
    ``service(<instance>=row, to_status=…, actor=…, reason=…)`` and refuses an illegal move
    (answered 409 by the exception handler). The answer is the row re-read through the
    viewset's scoped queryset, as a list shows it. ``summary`` and ``doc`` document the
    operation (``doc`` is its description).
    """

    def transition(self, request, pk=None):
        row = self.get_object()
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        service(**{instance: row}, to_status=data.validated_data["to_status"], actor=request.user,
                reason=data.validated_data.get("reason", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data)

    transition.__doc__ = doc or transition_action.__doc__.splitlines()[0]
    return documented(summary or "Change the state", transition.__doc__, conflict=True, request=body,
                      responses=responses)(action(detail=True, methods=["post"])(transition))

