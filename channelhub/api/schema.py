"""How the API documents itself: error shapes as shared components, summaries and descriptions.

Every operation of the OpenAPI schema has a summary, a description and the error answers it
can give (``tests/api/test_schema_docs.py`` fails for one that has not). The error shapes are
the exception handler's (``channelhub.api.exceptions``) and the body-limit middleware's, each
one component that every operation refers to:

==== ==================== =====================================================================
code component           when
==== ==================== =====================================================================
400  ``FieldErrors``      bad input: ``{"<field>": ["message", …], "non_field_errors": […]}``
401  ``ErrorDetail``      no credentials, or a bad token / API key
403  ``ErrorDetail``      signed in, but the role may not do this (or ``X-Tenant`` is not yours)
404  ``ErrorDetail``      no such row in the caller's tenant (other tenants' rows are 404 too)
409  ``IllegalTransition`` a workflow move its transition table does not allow, or a stale one
413  ``ErrorDetail``      the body is larger than the limit (refused before it is read)
429  ``LockedOut``        sign-in locked after too many failures, or too many requests
==== ==================== =====================================================================

``ChannelHubAutoSchema`` (the schema class of ``TenantScopedViewSet`` and the core's views)
adds them by what the operation is: 401/403 for operations that need a role, 404 for those
on one row, 400/413 for those with a body, 400 for deletions and for operations with query
parameters (filters, options), 409 for the ones
declared with ``documented(..., conflict=True)`` (``transition_action`` does it), 429 where
``errors=(429,)`` says so. Summaries and descriptions are written by hand in the api modules:

- ``documented(summary, description, **extend_schema_kwargs)`` on a method or action;
- ``crud_docs(...)`` for the list / create / retrieve / update / partial_update / destroy of a
  viewset, as ``@extend_schema_view(**crud_docs(...))``.

Texts are English developer documentation, like the docstrings they replace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

# --------------------------------------------------------------------------------------
# Error shapes (one component each)
# --------------------------------------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    """An error explained in one sentence, in the caller's language."""

    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")
    code = serializers.CharField(required=False, help_text="A stable code where there is one (not_authenticated…).")


class FieldErrorsSerializer(serializers.Serializer):
    """Bad input: each field with its messages; ``non_field_errors`` for rules across fields.

    (Documented by ``FieldErrorsSchema``: an object whose keys are the body's or the query's
    field names.)
    """

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class IllegalTransitionSerializer(serializers.Serializer):
    """A workflow move its transition table does not allow (or the row moved meanwhile)."""

    detail = serializers.CharField(help_text="Why the move is refused, in the caller's language.")
    from_state = serializers.CharField(help_text="The state the row is in.")
    to_state = serializers.CharField(help_text="The state asked for.")


class LockedOutSerializer(serializers.Serializer):
    """Signing in is blocked for a while (see the ``Retry-After`` header, in seconds)."""

    detail = serializers.CharField(help_text="When to try again, in the caller's language.")
    code = serializers.CharField(required=False, help_text="locked_out (sign-in lockout) or throttled.")


class FieldErrorsSchema(OpenApiSerializerExtension):
    """``FieldErrors``: any field name → list of messages, plus the two keys every 400 may carry."""

    target_class = FieldErrorsSerializer

    def get_name(self, auto_schema, direction):
        return "FieldErrors"

    def map_serializer(self, auto_schema, direction):
        messages = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": (
                "Bad input. Each key is a field of the body (or a query parameter) with its messages; "
                "nested objects and lists of objects answer with the same shape inside. "
                "`non_field_errors` holds rules across fields; `detail` a body that could not be read."
            ),
            "properties": {
                "non_field_errors": messages,
                "detail": {"type": "string"},
            },
            "additionalProperties": {},
            "example": {"legal_name": ["This field may not be blank."], "credit_code": ["Invalid check digit."]},
        }


def _named(serializer_class: type, name: str) -> type:
    from drf_spectacular.utils import extend_schema_serializer

    return extend_schema_serializer(component_name=name)(serializer_class)


_named(ErrorDetailSerializer, "ErrorDetail")
_named(IllegalTransitionSerializer, "IllegalTransition")
_named(LockedOutSerializer, "LockedOut")

ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(FieldErrorsSerializer, description=(
        "Bad input: the fields of the body (or the query parameters) with their messages, or a rule that "
        "refuses the request. Nothing was saved.")),
    401: OpenApiResponse(ErrorDetailSerializer, description=(
        "Not signed in, or the token / API key is wrong or revoked. Send `Authorization: Token <token>` "
        "or `Authorization: Api-Key <key>`.")),
    403: OpenApiResponse(ErrorDetailSerializer, description=(
        "The caller's role may not do this, or `X-Tenant` names a tenant the caller has no access to.")),
    404: OpenApiResponse(ErrorDetailSerializer, description=(
        "No such row in the caller's tenant (rows of other tenants, and of other partners for partner "
        "staff, answer 404 too).")),
    409: OpenApiResponse(IllegalTransitionSerializer, description=(
        "An illegal workflow move: the transition table does not allow it from the row's state, or "
        "the row moved meanwhile. Nothing was changed.")),
    413: OpenApiResponse(ErrorDetailSerializer, description=(
        "The request body is larger than allowed here (checked from `Content-Length` before it is read).")),
    429: OpenApiResponse(LockedOutSerializer, description=(
        "Too many attempts: signing in is locked for this account or address (or requests are "
        "throttled); `Retry-After` says for how many seconds.")),
}

# The component each error answer must refer to (the schema test checks it).
ERROR_COMPONENTS = {400: "FieldErrors", 401: "ErrorDetail", 403: "ErrorDetail", 404: "ErrorDetail",
                    409: "IllegalTransition", 413: "ErrorDetail", 429: "LockedOut"}

# --------------------------------------------------------------------------------------
# The schema class
# --------------------------------------------------------------------------------------

_ERRORS_ATTRIBUTE = "_api_error_codes"


# Query parameters that only page a list (a wrong page is a 404, not a field error).
PAGING_PARAMETERS = frozenset({"page", "page_size", "cursor", "format"})


def required_errors(*, method: str, path: str, authenticated: bool, has_body: bool, query: Iterable[str] = (),
                    declared: Iterable[int] = ()) -> set[int]:
    """The error answers an operation documents, by what it is (the schema test states the same rules)."""
    codes = set(declared)
    if authenticated:
        codes |= {401, 403}
    if "{" in path:
        codes.add(404)
    if has_body:
        codes |= {400, 413}
    if method == "DELETE":
        codes.add(400)  # a rule may refuse the deletion (rows still depend on it)
    if set(query) - PAGING_PARAMETERS:
        codes.add(400)  # a filter or option with a bad value
    if path.rstrip("/").endswith("/transition"):
        codes.add(409)
    return codes


class ChannelHubAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error answers each operation can give."""

    def _declared_errors(self) -> set[int]:
        handler = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        codes = set(getattr(handler, _ERRORS_ATTRIBUTE, ()))
        codes |= set(getattr(self.view, "api_errors", ()))
        return codes

    def _needs_authentication(self) -> bool:
        from rest_framework.permissions import AllowAny

        classes = getattr(self.view, "permission_classes", [])
        return bool(classes) and not all(issubclass(c, AllowAny) for c in classes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        query = [p["name"] for p in self._get_parameters() if p.get("in") == "query"]
        codes = required_errors(
            method=self.method, path=self.path, authenticated=self._needs_authentication(),
            has_body=self.method in ("POST", "PUT", "PATCH") and bool(self._get_request_body()),
            query=query, declared=self._declared_errors(),
        )
        for code in sorted(codes):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ERROR_RESPONSES[code], str(code))
        return responses


# --------------------------------------------------------------------------------------
# Helpers for the api modules
# --------------------------------------------------------------------------------------


def documented(summary: str, description: str, *, conflict: bool = False, errors: Iterable[int] = (),
               **schema) -> Callable:
    """``extend_schema`` with the two texts every operation needs, and the extra error answers.

    ``conflict=True``: the operation moves a workflow (409 on an illegal move);
    ``errors=(429,)``: other answers the generic rules do not infer. Other keyword arguments
    (``request``, ``responses``, ``parameters``, ``methods``…) go to ``extend_schema``.
    """
    extra = set(errors) | ({409} if conflict else set())
    unknown = extra - set(ERROR_RESPONSES)
    if unknown:
        raise ValueError(f"no documented error shape for {sorted(unknown)}")

    def decorate(function):
        function = extend_schema(summary=summary, description=description, **schema)(function)
        if extra:
            setattr(function, _ERRORS_ATTRIBUTE, set(getattr(function, _ERRORS_ATTRIBUTE, ())) | extra)
        return function

    return decorate


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeio" else f"a {noun}"


def crud_docs(one: str, many: str, *, about: str = "", only: Iterable[str] | None = None,
              **overrides: tuple[str, str]) -> dict:
    """``extend_schema_view`` arguments for a viewset's standard operations.

    ``one`` / ``many``: the resource in words ("partner", "partners"); ``about``: a sentence
    added to every description (who sees what). ``overrides``: ``list=(summary, description)``
    and the like where the standard words are not right. ``only``: the operations the viewset has.
    """
    tail = f" {about}" if about else ""
    standard = {
        "list": (f"List {many}", f"The {many} of the caller's tenant, paged; filter, search and order with "
                                 f"the query parameters.{tail}"),
        "create": (f"Create {_a(one)}", f"Create {_a(one)} in the caller's tenant; the body is validated and the "
                                      f"change is audited.{tail}"),
        "retrieve": (f"Read {_a(one)}", f"One {one} of the caller's tenant.{tail}"),
        "update": (f"Replace {_a(one)}", f"Replace the {one}'s editable fields (every required field in the "
                                       f"body); the change is audited.{tail}"),
        "partial_update": (f"Update {_a(one)}", f"Change some of the {one}'s fields (only those sent); the "
                                              f"change is audited.{tail}"),
        "destroy": (f"Delete {_a(one)}", f"Delete the {one} (the deletion is audited); a rule that forbids it "
                                       f"answers 400.{tail}"),
    }
    names = list(only) if only is not None else list(standard)
    unknown = set(overrides) - set(standard)
    if unknown:
        raise ValueError(f"crud_docs: unknown operations {sorted(unknown)}")
    return {name: extend_schema(summary=overrides.get(name, standard[name])[0],
                                description=overrides.get(name, standard[name])[1])
            for name in names}
