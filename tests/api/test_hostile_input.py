"""Hostile input never reaches a 500, on any endpoint the API exposes, now or later.

Schemathesis (test_fuzz.py) draws values from the schema's own types, so it never sent a
lone surrogate in a choice field, a NUL in a search box or ``1e400`` where a number goes.
Here hypothesis feeds exactly those to every field of every request body and to every
query parameter of every operation drf-spectacular finds, through the test client as the
tenant's owner. A new endpoint joins as soon as it is routed.

The fixes are layered: the API's parsers (channelhub.api.parsers) refuse unusable text and
numbers with a 400 naming the field, a middleware (channelhub.security.middleware) refuses
NUL in URLs and form bodies on every surface, and the renderers repair what still reaches a
response. The explicit tests at the end pin each layer on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.db import DataError, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ErrorDetail

from channelhub.api.exceptions import exception_handler
from channelhub.api.renderers import JSONRenderer
from channelhub.tenancy.roles import Role
from channelhub.tenancy.services import tenant_create
from channelhub.testing import A_TOKEN, Side, autodiscover

autodiscover()

# Deterministic and modest: the whole file runs in well under a minute on SQLite.
EXAMPLES = 6
PATH_EXAMPLES = 3
HYPOTHESIS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------------------
# Hostile values
# --------------------------------------------------------------------------------------

BAD_CHARACTERS = ["\x00", "\ud800", "\udfff", "\udc80"]
ODD_CHARACTERS = [
    "\u202e", "\u200f", "\u2066", "\u200b", "\ufeff", "\u0301", "😀", "中", "\u00e9", "\t", "\n", "\x7f", "\x1b",
]


@st.composite
def _with(draw, characters: list[str]) -> str:
    """Ordinary text with one of ``characters`` somewhere inside it."""
    before = draw(st.text(max_size=6))
    after = draw(st.text(max_size=6))
    return before + draw(st.sampled_from(characters)) + after


# Text no surface can store: NUL (PostgreSQL refuses it) and lone surrogates (not UTF-8).
unusable_text = _with(BAD_CHARACTERS)

# Text that is legal but unkind: bidi overrides, zero-width marks, very long, look-alikes of
# numbers, dates and ids, markup.
odd_text = st.one_of(
    _with(ODD_CHARACTERS),
    st.sampled_from([
        "", " ", "\t\n", "null", "None", "true", "[]", "{}", "0", "-0", "1e400", "-1e400", "NaN", "Infinity",
        "9" * 400, "0x10", "١٢٣", "9999-99-99", "0000-01-01", "2026-02-30", "2026-13-01T25:61:61Z",
        "<script>alert(1)</script>", "' OR 1=1 --", "%00", "../../etc/passwd", "a,b", "-pk", "__str__",
        "x" * 5001, "长" * 2000,
    ]),
    st.text(min_size=1, max_size=30),
)

odd_number = st.one_of(
    st.sampled_from([10**100, -(10**100), 2**63, -(2**63) - 1, 2**31, -1, 0, 1e308, -1e308, 5e-324, -0.0, 0.1]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)

odd_structure = st.one_of(
    st.sampled_from([None, True, False, [], {}, [None], {"id": 1}, [10**100], {"": ""}]),
    st.lists(odd_text, max_size=3),
)

# A value for a field that the parser lets through, so the field itself must cope.
storable_value = st.one_of(odd_text, odd_number, odd_structure)


def quoted(text: str) -> str:
    """``text`` percent-encoded the way a hostile client sends it (surrogates as their bytes)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# --------------------------------------------------------------------------------------
# Every operation the API exposes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    fields: tuple[str, ...]
    query: tuple[str, ...]
    media_type: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _properties(schema: dict, components: dict) -> tuple[str, ...]:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return tuple(schema.get("properties", {}))


def _operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch"):
                continue  # DELETE takes no input; fuzzing it would only empty the world
            content = operation.get("requestBody", {}).get("content", {})
            media_type = next(iter(content), None)
            fields = _properties(content[media_type]["schema"], components) if media_type else ()
            query = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            found.append(Operation(method.upper(), path, fields, query, media_type))
    return found


OPERATIONS = _operations()
WRITES = [op for op in OPERATIONS if op.method != "GET"]
READS = [op for op in OPERATIONS if op.method == "GET"]


def test_the_schema_exposes_the_api():
    """Guard the discovery itself: if it found nothing, every test below would pass vacuously."""
    paths = {op.path for op in OPERATIONS}
    assert "/api/v1/partners/" in paths and "/api/v1/recruitment/applications/{id}/decide/" in paths
    assert len(WRITES) > 30 and len(READS) > 20
    partner_create = next(op for op in WRITES if op.method == "POST" and op.path == "/api/v1/partners/")
    assert "partner_type" in partner_create.fields


# --------------------------------------------------------------------------------------
# The tenant: one row of every registered model (the isolation harness's builders), built
# once for the module in a transaction rolled back at its end, as setUpTestData does
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_side(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            side = Side(tenant_create(name="Hostile", slug="hostile", default_language="en"), A_TOKEN)
            side.build_all()
            for role in (Role.OWNER, Role.PARTNER_ADMIN):  # users made later would vanish with their test
                side.user(role)
            yield side
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def owner_api(shared_side, db):
    return shared_side.api(shared_side.user(Role.OWNER))


_ids: dict[str, str] = {}


def real_path(api, path: str) -> str:
    """``path`` with ``{id}`` replaced by the id of a row the owner can see (or 1 if none)."""
    if "{id}" not in path:
        return path
    collection = path.split("{id}")[0]
    if collection not in _ids:
        body = api.get(collection).json()
        rows = body.get("results", body) if isinstance(body, dict) else body
        _ids[collection] = str(rows[0]["id"]) if rows and isinstance(rows, list) else "1"
    return path.replace("{id}", _ids[collection])


def assert_handled(response, operation: Operation) -> None:
    assert response.status_code < 500, f"{operation}: {response.status_code} {response.content[:300]!r}"
    if response.get("Content-Type", "").startswith("application/json"):
        json.loads(response.content.decode("utf-8"))  # the answer itself is valid UTF-8 JSON


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (key, *_strings(item))]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def unusable(texts: list[str]) -> bool:
    return any(char == "\x00" or 0xD800 <= ord(char) <= 0xDFFF for text in texts for char in text)


def encode_form(payload: dict) -> tuple[str, list[str]]:
    """A urlencoded body (a list becomes a repeated field) and the values the server decodes."""
    pairs = [
        (key, "" if item is None else str(item))
        for key, value in payload.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    body = "&".join(f"{quoted(key)}={quoted(value)}" for key, value in pairs)
    # Django decodes form bodies with errors="replace": only NUL survives as itself.
    return body, [value.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for _, value in pairs]


@st.composite
def payloads(draw, fields: tuple[str, ...]) -> dict:
    """A body for ``fields``: every field odd, and sometimes one of them unusable."""
    payload = {name: draw(storable_value) for name in fields}
    if fields and draw(st.booleans()):
        payload[draw(st.sampled_from(fields))] = draw(st.one_of(unusable_text, st.lists(unusable_text, min_size=1)))
    return payload


@pytest.mark.parametrize("operation", WRITES, ids=str)
@HYPOTHESIS
@given(data=st.data())
def test_hostile_values_in_any_field_are_refused_with_a_4xx(operation, owner_api, data):
    payload = data.draw(payloads(operation.fields))
    if operation.media_type != "application/json" or data.draw(st.booleans()):
        body, decoded = encode_form(payload)
        content_type = "application/x-www-form-urlencoded"
    else:
        body, decoded = json.dumps(payload, ensure_ascii=True), _strings(payload)
        content_type = "application/json"
    url = real_path(owner_api, operation.path)
    response = owner_api.generic(operation.method, url, body, content_type=content_type)
    assert_handled(response, operation)
    if unusable(decoded) and response.status_code not in (403, 404, 405, 409):
        assert response.status_code == 400, f"{operation}: unusable text accepted: {response.content[:300]!r}"


@pytest.mark.parametrize("operation", READS, ids=str)
@HYPOTHESIS
@given(data=st.data())
def test_hostile_query_parameters_are_refused_with_a_4xx(operation, owner_api, data):
    names = [*operation.query, "page", "page_size", "ordering", "search"]
    value = st.one_of(odd_text, unusable_text, odd_number.map(str))
    query = "&".join(f"{quoted(name)}={quoted(data.draw(value))}" for name in names if data.draw(st.booleans()))
    response = owner_api.get(f"{real_path(owner_api, operation.path)}?{query}")
    assert_handled(response, operation)


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if "{id}" in op.path], ids=str)
@settings(HYPOTHESIS, max_examples=PATH_EXAMPLES)
@given(ident=st.one_of(odd_text, unusable_text, odd_number.map(str)))
def test_hostile_ids_in_the_path_are_a_4xx(operation, owner_api, ident):
    url = operation.path.replace("{id}", quoted(ident))
    response = owner_api.generic(operation.method, url, "{}", content_type="application/json")
    assert_handled(response, operation)


# --------------------------------------------------------------------------------------
# Each layer on its own: the messages a client sees
# --------------------------------------------------------------------------------------

BAD_TEXT = "Invalid text encoding"


@pytest.mark.parametrize("value", ["\ud800", "Acme\x00", ["\udfff"]], ids=["surrogate", "nul", "in-a-list"])
def test_unusable_text_in_a_choice_field_is_a_400_naming_the_field(owner_api, value):
    """The demo's bug: a lone surrogate in partner_type answered 500 (its error echoed it)."""
    body = json.dumps({"legal_name": "Acme", "partner_type": value}, ensure_ascii=True)
    response = owner_api.post("/api/v1/partners/", body, content_type="application/json")
    assert response.status_code == 400
    assert BAD_TEXT in response.json()["partner_type"][0]


def test_unusable_text_in_a_workflow_move_is_a_400(owner_api):
    url = real_path(owner_api, "/api/v1/recruitment/applications/{id}/transition/")
    body = json.dumps({"to_status": "\ud800", "comment": "x"}, ensure_ascii=True)
    response = owner_api.post(url, body, content_type="application/json")
    assert response.status_code == 400 and BAD_TEXT in response.json()["to_status"][0]


def test_a_bad_key_is_reported_without_echoing_it(owner_api):
    body = json.dumps({"legal_name\ud800": "Acme"}, ensure_ascii=True)
    response = owner_api.post("/api/v1/partners/", body, content_type="application/json")
    assert response.status_code == 400
    assert BAD_TEXT in response.json()["non_field_errors"][0]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
        ('{"legal_name": ' + "[" * 200 + "]" * 200 + "}", "levels deep"),
        ('{"legal_name": "Acme", "partner_type": 1e400}', "too large"),
        ('{"legal_name": "Acme", "partner_type": ' + "9" * 5000 + "}", "JSON parse error"),
    ],
    ids=["10000-nested-arrays", "200-nested-in-a-field", "1e400", "5000-digit-integer"],
)
def test_absurd_json_is_a_400(owner_api, body, message):
    response = owner_api.post("/api/v1/partners/", body, content_type="application/json")
    assert response.status_code == 400
    assert message in json.dumps(response.json())


@pytest.mark.parametrize(
    "query",
    ["search=a%00b", "q=a%00b", "status=%00", "ordering=%00", "page=%00", "page_size=%00", "region=1%00"],
)
def test_nul_in_a_list_filter_is_a_400(owner_api, query):
    """SQLite shrugs, PostgreSQL refuses the query ("A string literal cannot contain NUL").

    The refusal comes before the tenant (and so the user's language) is known: ask in English.
    """
    response = owner_api.get(f"/api/v1/partners/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert BAD_TEXT in response.json()["detail"]


@pytest.mark.parametrize(
    "query", ["page=999999999999999999999", "page=-1", "page_size=999999999999999999999", "ordering=nonexistent,-pk"]
)
def test_out_of_range_paging_and_unknown_ordering_are_not_an_error(owner_api, query):
    response = owner_api.get(f"/api/v1/partners/?{query}")
    assert response.status_code in (200, 404)


def test_nul_in_a_patch_form_body_is_a_400(owner_api):
    """Django parses only POST form bodies; the API's form parser checks PUT and PATCH ones."""
    url = real_path(owner_api, "/api/v1/partners/{id}/")
    response = owner_api.patch(url, "legal_name=Acme%00", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and BAD_TEXT in response.json()["legal_name"][0]


def test_the_renderer_repairs_text_that_slipped_through():
    """The backstop: an error echoing a lone surrogate or inf still renders (as U+FFFD, null)."""
    data = {"partner_type": [ErrorDetail('"\ud800" is not a valid choice.', code="invalid_choice")], "x": 1e400}
    rendered = json.loads(JSONRenderer().render(data).decode("utf-8"))
    assert rendered == {"partner_type": ['"\ufffd" is not a valid choice.'], "x": None}


def test_a_value_the_database_refuses_is_a_400_not_a_500():
    """The last layer: whatever validation missed, a DataError (out of range, text the column
    cannot hold) is the client's input, answered 400."""
    from django.utils import translation

    with translation.override("en"):
        response = exception_handler(DataError("integer out of range"), {})
        assert response.status_code == 400 and "out of range" in str(response.data["detail"])
