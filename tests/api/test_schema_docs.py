"""Every operation of the OpenAPI schema is documented: a summary, a description, its error answers.

The schema is generated here, as /api/v1/schema/ serves it, and walked operation by operation,
so an operation a chapter adds fails until it is documented. The rules are written down here,
not read from the code (channelhub/api/schema.py applies the same ones to build the schema):

- a ``summary`` and a ``description`` of its own (not just the viewset's docstring, which
  drf-spectacular would repeat on every operation of the viewset);
- the error answers, each referring to its shared component:
  401 and 403 when a role is needed; 404 on one row (a path parameter); 400 and 413 with a
  request body; 400 for a deletion and for query parameters other than paging; 409 for a
  workflow move (``…/transition/``); 429 for the token exchange (sign-in lockout).
"""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import get_doc

COMPONENT = {400: "FieldErrors", 401: "ErrorDetail", 403: "ErrorDetail", 404: "ErrorDetail",
             409: "IllegalTransition", 413: "ErrorDetail", 429: "LockedOut"}
PAGING = {"page", "page_size", "cursor", "format"}
HOW_TO_FIX = (
    "document it in its api module: @documented(summary, description, ...) on the method or action, or "
    "@extend_schema_view(**crud_docs(...)) on the viewset (channelhub/api/schema.py); viewsets based on "
    "channelhub.api.viewsets.TenantScopedViewSet get the error answers from ChannelHubAutoSchema (other "
    "views: schema = ChannelHubAutoSchema()); a workflow move that can be illegal: documented(..., conflict=True)"
)


def _generate():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    views = {}
    for path, _regex, method, view in generator.endpoints:
        cls = getattr(view, "cls", None)
        action = (getattr(view, "actions", None) or {}).get(method.lower(), method.lower())
        views[(path, method.upper())] = (cls, action)
    return schema, views


SCHEMA, VIEWS = _generate()
OPERATIONS = [
    (path, method.upper(), operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
]


def _where(path: str, method: str) -> str:
    cls, action = VIEWS.get((path, method), (None, None))
    if cls is None:
        return ""
    return f" [{cls.__module__}.{cls.__name__}.{action}]"


def required(path: str, method: str, operation: dict) -> set[int]:
    codes = set()
    security = operation.get("security")
    public = security is None or {} in security
    if not public:
        codes |= {401, 403}
    if "{" in path:
        codes.add(404)
    if "requestBody" in operation:
        codes |= {400, 413}
    if method == "DELETE":
        codes.add(400)
    if {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"} - PAGING:
        codes.add(400)
    if path.rstrip("/").endswith("/transition"):
        codes.add(409)
    if path.rstrip("/").endswith("/auth/token"):
        codes |= {400, 429}
    return codes


def _ref(response: dict) -> str:
    content = response.get("content", {})
    schema = next(iter(content.values()), {}).get("schema", {}) if content else {}
    return schema.get("$ref", "").rpartition("/")[2]


def problems_of(path: str, method: str, operation: dict) -> list[str]:
    found = []
    if not (operation.get("summary") or "").strip():
        found.append("no summary")
    description = (operation.get("description") or "").strip()
    if not description:
        found.append("no description")
    else:
        cls, _action = VIEWS.get((path, method), (None, None))
        if cls is not None and description == get_doc(cls).strip():
            found.append("its description is only the viewset's docstring (the same on every operation)")
    responses = operation.get("responses", {})
    for code in sorted(required(path, method, operation)):
        response = responses.get(str(code))
        if response is None:
            found.append(f"no {code} answer")
        elif _ref(response) != COMPONENT[code]:
            found.append(f"its {code} answer is not the shared {COMPONENT[code]} component (got {_ref(response)!r})")
        elif not response.get("description"):
            found.append(f"its {code} answer has no description")
    return found


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS,
                         ids=[f"{method} {path}" for path, method, _operation in OPERATIONS])
def test_operation_is_documented(path, method, operation):
    found = problems_of(path, method, operation)
    assert not found, (
        f"{method} {path} ({operation.get('operationId')}){_where(path, method)}: " + "; ".join(found)
        + f".\nHow to fix: {HOW_TO_FIX}."
    )


def test_error_shapes_are_components():
    schemas = SCHEMA["components"]["schemas"]
    for name in set(COMPONENT.values()):
        assert name in schemas, f"component {name} is missing"
    assert set(schemas["IllegalTransition"]["properties"]) >= {"detail", "from_state", "to_state"}
    assert schemas["FieldErrors"]["additionalProperties"] == {}
    assert "detail" in schemas["ErrorDetail"]["properties"]


def test_the_walk_sees_every_part_of_the_api():
    paths = set(SCHEMA["paths"])
    for path in ("/api/v1/", "/api/v1/partners/", "/api/v1/recruitment/applications/{id}/decide/",
                 "/api/v1/auth/token/", "/api/v1/api-keys/"):
        assert path in paths, path
    assert len(OPERATIONS) >= 100


def test_an_undocumented_operation_fails_with_a_message_that_says_how_to_fix():
    bare = {"operationId": "x_list", "responses": {"200": {"description": ""}},
            "security": [{"tokenAuth": []}], "parameters": [{"name": "status", "in": "query"}]}
    found = problems_of("/api/v1/x/", "GET", bare)
    assert found == ["no summary", "no description", "no 400 answer", "no 401 answer", "no 403 answer"]
    assert "documented(" in HOW_TO_FIX and "crud_docs" in HOW_TO_FIX
