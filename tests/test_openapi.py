"""The OpenAPI document is one a partner can generate a client from.

* Every example in it validates against its own schema (``jsonschema``, 2020-12).
* ``@redocly/cli lint`` (the pinned version, run through npm) finds 0 errors.
* What ``service.openapi`` guarantees holds for every operation, including ones added
  later: security declared, 401/429 where a key is read, 413 where a body can be sent,
  422 as a ``Problem``, problem bodies only as ``application/problem+json``.
* Every problem ``code`` the source can raise is declared (``PROBLEM_CODES``).

Each failure says which operation and status to fix, and where.
"""

import ast
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from service.cli import OPENAPI_PATH, render_openapi
from service.errors import PROBLEM_CODES
from service.openapi import examples

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
REDOCLY_VERSION = "2.77.0"
DOC_URI = "urn:jilin:openapi"
PROBLEM_JSON = "application/problem+json"
BODY_METHODS = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(render_openapi())


def operations(document: dict[str, Any]):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", method, operation


# -- examples --------------------------------------------------------------------------------


def test_every_example_validates_against_its_schema(document):
    registry = Registry().with_resource(DOC_URI, Resource(document, specification=DRAFT202012))
    found, failures = 0, []
    for where, schema_at, value in examples(document):
        found += 1
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"{DOC_URI}#{schema_at}"},
            registry=registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        for error in validator.iter_errors(value):
            path = "/".join(str(p) for p in error.absolute_path)
            failures.append(f"{where} (at '{path}'): {error.message[:200]}")
    assert found >= 26, f"only {found} examples found: the walk over the document is broken"
    assert not failures, (
        f"{len(failures)} example(s) of the OpenAPI document break their own schema; fix the "
        "example (json_schema_extra / Body(openapi_examples=...)) or the schema, then run "
        "`./dev openapi`:\n" + "\n".join(failures[:40])
    )


# -- redocly ---------------------------------------------------------------------------------


def _redocly() -> Path:
    """The pinned @redocly/cli, installed once into a cache folder outside the checkout."""
    npm = shutil.which("npm")
    if npm is None:
        message = "npm (Node.js) is needed to lint the OpenAPI document with @redocly/cli"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    prefix = cache / "jilin-sojourn" / f"redocly-cli-{REDOCLY_VERSION}"
    binary = prefix / "node_modules" / ".bin" / "redocly"
    if not binary.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund"]
            + ["--loglevel=error", f"@redocly/cli@{REDOCLY_VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"npm install @redocly/cli failed:\n{done.stderr[-3000:]}"
    return binary


def test_the_committed_document_passes_redocly_lint_with_no_error():
    binary = _redocly()
    env = {
        **os.environ,
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_UPDATE_NOTIFIER": "1",
    }
    done = subprocess.run(
        [str(binary), "lint", str(OPENAPI_PATH), "--format=json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )
    report = json.loads(done.stdout[done.stdout.index("{") :])
    errors = [
        f"{p['ruleId']}: {p['message']} at {p['location'][0].get('pointer')}"
        for p in report["problems"]
        if p["severity"] == "error"
    ]
    assert report["totals"]["errors"] == 0 and not errors, (
        f"@redocly/cli {REDOCLY_VERSION} lint of openapi/openapi.json found errors "
        "(fix the endpoint or service/openapi.py, then `./dev openapi`):\n" + "\n".join(errors)
    )


# -- what every operation declares ------------------------------------------------------------


def test_every_operation_declares_its_security_and_the_answers_a_key_brings(document):
    wrong = []
    for name, _method, op in operations(document):
        security = op.get("security")
        if security is None:
            wrong.append(f"{name}: no `security` (service/openapi.py sets it from the route)")
            continue
        if security == []:
            continue
        assert security in (
            [{}, {"ApiKey": []}],
            [{"ApiKey": []}],
            [{"OperatorToken": []}],
        ), f"{name}: {security}"
        for status in ("401", "429"):
            if status not in op["responses"]:
                wrong.append(f"{name}: reads a key or token but does not document {status}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_operations_are_declared_so_and_partner_ones_need_a_key(document):
    security = {name: op["security"] for name, _m, op in operations(document)}
    anonymous_too = [{}, {"ApiKey": []}]
    for name in (
        "POST /v1/quotes",
        "GET /v1/quotes/{quote_id}",
        "POST /v1/bookings",
        "GET /v1/bookings/{reference}",
        "POST /v1/bookings/{reference}/cancel",
        "GET /v1/products",  # a key presented on a catalogue read is checked too
    ):
        assert security[name] == anonymous_too, name
    for name in ("GET /v1/bookings", "POST /v1/webhook-endpoints", "GET /v1/webhook-deliveries"):
        assert security[name] == [{"ApiKey": []}], name
    assert security["GET /v1/health"] == []


def test_the_admin_and_reports_api_declare_the_operator_token(document):
    """Every operation behind ``service.operators.auth`` says so (it was documented as
    public, ``security: []``, until December 2026); logging in is the one that is not."""
    security = {name: op["security"] for name, _m, op in operations(document)}
    operator = [
        name
        for name in security
        if name.split(" ", 1)[1].startswith(("/v1/admin/", "/v1/reports/"))
        and name != "POST /v1/admin/tokens"
    ]
    assert len(operator) > 40
    wrong = [name for name in operator if security[name] != [{"OperatorToken": []}]]
    assert not wrong, wrong
    assert security["POST /v1/admin/tokens"] == []
    schemes = document["components"]["securitySchemes"]
    assert (schemes["OperatorToken"]["type"], schemes["OperatorToken"]["scheme"]) == (
        "http",
        "bearer",
    )


def test_every_operation_that_takes_a_body_documents_413(document):
    missing = [
        f"{name}: document 413 payload_too_large (the body-size limit refuses any method "
        "that can carry a body)"
        for name, method, op in operations(document)
        if method in BODY_METHODS and "413" not in op["responses"]
    ]
    assert not missing, "\n".join(missing)


def test_problems_are_problem_json_only_and_no_422_is_fastapis(document):
    wrong = []
    for name, _method, op in operations(document):
        for status, response in op["responses"].items():
            if not status.startswith(("4", "5")):
                continue
            content = response.get("content", {})
            if list(content) != [PROBLEM_JSON]:
                wrong.append(f"{name} {status}: content {list(content)}, want [{PROBLEM_JSON}]")
            elif content[PROBLEM_JSON]["schema"] != {"$ref": "#/components/schemas/Problem"}:
                wrong.append(f"{name} {status}: the schema is not Problem")
    assert not wrong, "\n".join(wrong)
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert "HTTPValidationError" not in json.dumps(document)


def test_operation_ids_are_readable_and_unique(document):
    ids = [op["operationId"] for _n, _m, op in operations(document)]
    ids += [op["operationId"] for item in document["webhooks"].values() for op in item.values()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    unreadable = [i for i in ids if not re.fullmatch(r"[a-z][a-zA-Z0-9]*", i)]
    assert not unreadable, unreadable
    names = {name: op["operationId"] for name, _m, op in operations(document)}
    assert names["GET /v1/health"] == "health"
    assert names["POST /v1/bookings"] == "createBooking"


def test_partner_webhooks_and_their_signature_are_in_the_webhooks_section(document):
    events = document["webhooks"]
    assert set(events) == {
        "booking.confirmed",
        "booking.cancelled",
        "booking.expired",
        "booking.refunded",
        "booking.refund_succeeded",
        "booking.refund_failed",
        "ping",
    }
    for event, item in events.items():
        op = item["post"]
        headers = {p["name"]: p for p in op["parameters"] if p["in"] == "header"}
        assert headers["Jilin-Signature"]["required"] is True, event
        assert {"Jilin-Event-Id", "Jilin-Event-Type"} <= set(headers), event
        body = op["requestBody"]["content"]["application/json"]["schema"]
        kind = "PingEvent" if event == "ping" else "BookingEvent"
        assert body == {"$ref": f"#/components/schemas/{kind}"}, event


def test_servers_shared_enums_and_problem_fields_are_declared(document):
    assert document["servers"]
    schemas = document["components"]["schemas"]
    status_ref = {"$ref": "#/components/schemas/BookingStatus"}
    for model in ("BookingOut", "BookingCreated", "BookingSummary", "BookingEventData"):
        assert schemas[model]["properties"]["status"] == status_ref, model
    assert schemas["BookingOut"]["properties"]["channel"]["$ref"].endswith("/Channel")
    assert schemas["BookingSummary"]["properties"]["payment_mode"]["$ref"].endswith("/PaymentMode")
    assert schemas["PaymentOut"]["properties"]["mode"]["$ref"].endswith("/PaymentMode")
    assert "RuleKind" in json.dumps(schemas["QuoteLineOut"]["properties"]["rule_kind"])
    assert schemas["ProductSummary"]["properties"]["unit_type"]["$ref"].endswith("/UnitType")
    problem = schemas["Problem"]
    assert problem["properties"]["code"]["$ref"].endswith("/ProblemCode")
    assert set(schemas["ProblemCode"]["enum"]) == set(PROBLEM_CODES)
    assert {"night", "product_id", "held_units", "limit", "errors"} <= set(problem["properties"])
    assert problem["additionalProperties"] is False


def test_the_idempotency_key_documents_its_limit_and_the_takeover(document):
    for name, _m, op in operations(document):
        for p in op.get("parameters", []):
            if p["name"] == "Idempotency-Key":
                assert p["required"] is True and p["schema"]["maxLength"] == 200, name
                assert "taken over" in p["description"] and "60 seconds" in p["description"]


def test_updated_since_is_documented_as_an_instant(document):
    params = document["paths"]["/v1/bookings"]["get"]["parameters"]
    since = next(p for p in params if p["name"] == "updated_since")
    assert "date-time" in json.dumps(since["schema"])


# Query parameters that bound a range of dates, and body fields that do: each says
# whether its end is in the range (README, "Date ranges").
_RANGE_ENDS = {"from", "to", "arriving_from", "arriving_to", "check_in", "check_out"}
_RANGE_FIELDS = {"from", "to", "booking_from", "booking_to", "check_in_from", "check_in_to"}


def _says_which(description: str | None) -> bool:
    return bool(description) and ("inclusive" in description or "exclusive" in description)


def test_every_date_range_says_whether_its_ends_are_included(document):
    vague = [
        f"{name} {p['name']}"
        for name, _, operation in operations(document)
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p["name"] in _RANGE_ENDS and not _says_which(p.get("description"))
    ]
    for schema_name, schema in document["components"]["schemas"].items():
        for field, prop in (schema.get("properties") or {}).items():
            if field in _RANGE_FIELDS and "date" in json.dumps(prop):
                if not _says_which(prop.get("description")):
                    vague.append(f"{schema_name}.{field}")
    assert vague == []


# -- problem codes ---------------------------------------------------------------------------

_CODE_PATTERNS = [
    re.compile(r"\bcode\s*=\s*\"([a-z_]+)\""),  # code="sold_out", code = "x"
    re.compile(r"\bcode, title = \d+, \"([a-z_]+)\""),  # status, code, title = 409, "x", ...
    re.compile(r"problem_(?:response|body)\(\s*\d+,\s*\"([a-z_]+)\""),
    re.compile(r"PricingError\(\s*\"([a-z_]+)\""),
]


def _sources() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for package in ("service", "pricing", "catalog")
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _code_positions(trees) -> dict[str, set[int]]:
    """Every function of the source that takes a ``code`` (``errors.invalid(field, code,
    ...)``, ``_conflict(code, ...)``...): its name and the position of ``code``."""
    makers: dict[str, set[int]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                names = names[1:] if names[:1] in (["self"], ["cls"]) else names
                if "code" in names:
                    makers.setdefault(node.name, set()).add(names.index("code"))
    return makers


def _raised_codes(trees):
    """(code, where) of every string given as a ``code``: a ``code="x"`` keyword, or the
    positional ``code`` of a function that takes one."""
    makers = _code_positions(trees)
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            given = [k.value for k in node.keywords if k.arg == "code"]
            given += [node.args[i] for i in makers.get(name, ()) if i < len(node.args)]
            for value in given:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.value, f"{path.relative_to(ROOT)}:{node.lineno}"


def test_every_problem_code_in_the_source_is_declared():
    from service.quotes.errors import CATALOGUE_CODES

    undeclared = []
    trees = _sources()
    for path in trees:
        text = path.read_text(encoding="utf-8")
        for pattern in _CODE_PATTERNS:
            for match in pattern.finditer(text):
                code = match.group(1)
                if code in PROBLEM_CODES or code in CATALOGUE_CODES:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                undeclared.append(f"{code!r} ({path.relative_to(ROOT)}:{line})")
    for code, where in _raised_codes(trees):
        if code not in PROBLEM_CODES and code not in CATALOGUE_CODES:
            undeclared.append(f"{code!r} ({where})")
    assert not undeclared, (
        "problem codes raised in the source but missing from PROBLEM_CODES in "
        "service/errors.py (add each with its meaning, then `./dev openapi`): "
        + ", ".join(undeclared)
    )


# -- what the server answers ------------------------------------------------------------------


UNPARSABLE = {
    "invalid UTF-8": b'{"items": "\xff\xfe"}',
    "nested 20,000 deep": b"[" * 20_000 + b"]" * 20_000,
    "truncated": b'{"items": [',
}


@pytest.mark.parametrize("body", list(UNPARSABLE.values()), ids=list(UNPARSABLE))
def test_an_unparsable_json_body_is_422_malformed_json_everywhere(db, client, body):
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "ota-json")
    headers = {"Content-Type": "application/json", "Idempotency-Key": "k-1"}
    for path, extra in (
        ("/v1/quotes", {}),
        ("/v1/bookings", {}),
        ("/v1/bookings/JL-AAAAAA/cancel", {"X-Booking-Token": "t"}),
        ("/v1/webhook-endpoints", partner.headers),
    ):
        r = client.post(path, content=body, headers={**headers, **extra})
        assert r.status_code == 422, (path, r.status_code, r.text[:200])
        assert r.headers["content-type"].startswith(PROBLEM_JSON), path
        assert r.json()["code"] == "malformed_json" and r.json()["field"] == "body", path


def test_a_wrong_key_is_refused_before_an_unparsable_body(db, client):
    r = client.post(
        "/v1/bookings",
        content=b"\xff",
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": "k",
            "Authorization": "Bearer jl_wrong",
        },
    )
    assert r.status_code == 401 and r.json()["code"] == "invalid_api_key"


@pytest.mark.parametrize("since", ["-1.5", "0", "1700000000", "2027-01-01", "2027-01-01T00:00Z"])
def test_updated_since_takes_rfc3339_instants_only(db, client, since):
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "ota-since")
    r = client.get("/v1/bookings", params={"updated_since": since}, headers=partner.headers)
    assert r.status_code == 422, (since, r.text)
    assert r.json()["field"] == "updated_since"
    ok = client.get(
        "/v1/bookings",
        params={"updated_since": "2027-01-01T08:00:00.5+08:00"},
        headers=partner.headers,
    )
    assert ok.status_code == 200, ok.text


def test_an_unencoded_plus_in_updated_since_is_said_as_such_in_both_languages(db, client):
    """``?updated_since=2026-12-07T00:00:00+08:00`` as typed: the query reads the + as a
    space; the refusal says so and how to send it (%2B, or Z)."""
    from tests.service.booking_support import add_partner

    partner = add_partner(db, "ota-plus")
    said = {}
    for lang in ("en", "zh-CN"):
        r = client.get(
            "/v1/bookings?updated_since=2026-12-07T00:00:00+08:00",
            headers=partner.headers | {"Accept-Language": lang},
        )
        assert (r.status_code, r.json()["field"]) == (422, "updated_since"), r.text
        said[lang] = r.json()["errors"][0]["message"]
    assert "%2B" in said["en"] and "read as a space" in said["en"], said
    assert "%2B" in said["zh-CN"] and "空格" in said["zh-CN"], said
    other = client.get(
        "/v1/bookings?updated_since=2026-12-07 00:00", headers=partner.headers
    ).json()["errors"][0]["message"]
    assert "%2B" not in other  # no offset was meant: the plain words
    encoded = client.get(
        "/v1/bookings?updated_since=2026-12-07T00:00:00%2B08:00", headers=partner.headers
    )
    assert encoded.status_code == 200, encoded.text


def _members_left_out(document, schema, example, where, comps) -> list[str]:
    """Members of ``schema`` missing from ``example`` (recursively), but those a schema
    marks ``x-absent-when-null`` and does not require (documented as left out)."""

    def options(s):
        while "$ref" in s:
            s = comps[s["$ref"].rsplit("/", 1)[-1]]
        branches = s.get("anyOf") or s.get("oneOf") or s.get("allOf")
        if branches and "properties" not in s:
            return [o for b in branches for o in options(b)]
        return [s]

    out: list[str] = []
    for s in options(schema):
        if isinstance(example, dict) and "properties" in s:
            optional = s.get("x-absent-when-null")
            for name, sub in s["properties"].items():
                if name in example:
                    out += _members_left_out(document, sub, example[name], f"{where}.{name}", comps)
                elif not (optional and name not in s.get("required", [])):
                    out.append(f"{where}.{name}")
            return out
        if isinstance(example, list) and "items" in s and example:
            return _members_left_out(document, s["items"], example[0], f"{where}[0]", comps)
    return out


def test_every_answer_example_shows_every_member_of_its_schema(document):
    """An example of an answer (a response's, or the schema's own of a schema an answer
    holds) lists every member the API sends, so the examples cannot drift from the
    models: a member left out must be marked `x-absent-when-null` (and not required)."""
    from service.openapi import _answer_schemas

    comps = document["components"]["schemas"]
    answers = _answer_schemas(document)
    failures = []
    for where, schema_at, value in examples(document):
        name = schema_at.rsplit("/", 1)[-1]
        if not ("/responses/" in schema_at or (schema_at.startswith("/components/schemas/")
                                               and name in answers)):  # fmt: skip
            continue
        schema = _resolve(document, schema_at)
        failures += _members_left_out(document, schema, value, where, comps)
    assert not failures, "examples leave out members the API sends:\n" + "\n".join(failures)


def _resolve(document, pointer):
    from service.openapi import resolve

    return resolve(document, pointer)
