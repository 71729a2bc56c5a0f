"""The API contract: schemathesis against the app's own OpenAPI document, every operation,
fed data made from its schemas (valid and invalid), on SQLite and PostgreSQL with the
demo catalogue and the demo operators.

Each operation is called as the callers its ``security`` admits, with real credentials,
so that authenticated operations are exercised beyond their 401: anonymously where
anonymous callers are served, with a partner's API key where a key is read, with a
province operator's token (``jlop_…``) on the admin and reports API. What schemathesis
checks on every answer (its default checks, one left out below):

* ``not_a_server_error``: no 5xx, whatever was sent;
* ``status_code_conformance``, ``content_type_conformance``, ``response_headers_conformance``,
  ``response_schema_conformance``: the answer is one the document gives for that
  operation, status, media type, headers and body (a problem body against ``Problem``,
  whose ``code`` is the ``ProblemCode`` enum and which forbids undeclared members);
* ``negative_data_rejection``: data the schema forbids is refused with a 4xx;
* ``ignored_auth``: an operation that declares a key or token refuses a request without
  one, or with a wrong one (401);
* ``missing_required_header``, ``unsupported_method``, ``use_after_free``,
  ``ensure_resource_availability``;

and one of ours, ``problem_bodies``: every 4xx is ``application/problem+json`` whose
``status`` is the answer's, a 422 names its ``field``, and every answer says its
``Content-Language`` and ``X-Request-Id``.

Deterministic and bounded: derandomized Hypothesis (``tests/support/bounded.py``), a fixed
number of examples per operation and caller (``MAX_EXAMPLES``), so that the module stays
within about a minute and a half on a two-core machine (it runs in every CI run). Deeper
by hand: ``JL_CONTRACT_EXAMPLES=200``, or ``JL_CONTRACT_COVERAGE=1`` for schemathesis's
coverage phase (``test_every_boundary_answer_is_documented``). The app runs in-process
(ASGI), one app and database per backend for the whole module, so what one operation
creates (quotes, bookings, webhook endpoints, accounts, products) the next one meets.

Left out: ``positive_data_acceptance`` (below). The Stripe webhook is called but only as
far as its signature check (a 400 ``invalid_signature``): its body is the raw bytes Stripe
signs, which the document does not describe for a generator to make, and a signed event
is what tests/service/test_payments_webhook.py sends.

A failure names the operation and prints each failing check with the request to replay
(a curl line): document the answer in the operation (``responses=problems(...)``, or
``service/openapi.py`` for all operations alike) or fix the server. How to run it:
docs/testing.md.
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import negated_parameters
from schemathesis.specs.openapi.checks import positive_data_acceptance

from catalog.demo.loader import load_demo
from service.app import create_app
from service.cli import OPENAPI_PATH
from service.clients import service as clients
from service.db import Database
from service.errors import PROBLEM_JSON
from service.operators.demo import load_demo_operators
from service.operators.models import PROVINCE_ADMIN
from tests.conftest import BACKENDS, _database
from tests.support.bounded import bounded
from tests.support.operators import add_operator

# Per operation and caller; JL_CONTRACT_EXAMPLES=500 for a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("JL_CONTRACT_EXAMPLES", "12"))
COVERAGE = os.environ.get("JL_CONTRACT_COVERAGE") == "1"
STATEFUL_EXAMPLES = 10
# "Schema-valid data is accepted" does not hold for a booking API: a schema-valid quote for
# a product that does not exist, or for last year, is rightly a 422 problem (documented).
NOT_CHECKED = [positive_data_acceptance]
DOCUMENT = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
SECURITY = {
    f"{method.upper()} {path}": operation["security"]
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
}
OPERATIONS = list(SECURITY)


def callers(operation: str) -> list[str]:
    """Who calls an operation: the callers its documented ``security`` admits."""
    security = SECURITY[operation]
    admitted = ["anonymous"] if security == [] or {} in security else []
    if {"ApiKey": []} in security:
        admitted.append("partner")
    if {"OperatorToken": []} in security:
        admitted.append("operator")
    return admitted


def problem_bodies(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """What every answer promises beyond its schema (RFC 9457 problems, README)."""
    headers = {name.lower(): values for name, values in response.headers.items()}
    for name in ("content-language", "x-request-id"):
        if name not in headers:
            raise AssertionError(f"no {name} header")
    if not 400 <= response.status_code < 500:
        return
    media_type = headers.get("content-type", [""])[0].split(";")[0].strip()
    if media_type != PROBLEM_JSON:
        raise AssertionError(f"a {response.status_code} sent as {media_type!r}, not {PROBLEM_JSON}")
    body = response.json()
    if body.get("status") != response.status_code:
        raise AssertionError(f"problem status {body.get('status')} in a {response.status_code}")
    if response.status_code == 422 and body.get("field") is None:
        raise AssertionError(f"a 422 {body.get('code')} that names no field")


def authenticate(case: schemathesis.Case, headers: dict[str, str]) -> None:
    """Put a caller's credentials into the case, as schemathesis's own auth providers do:
    marked explicit, so ``ignored_auth`` takes them for valid ones and checks that the
    operation refuses the request without them or with a wrong one; and in the case,
    not beside it, so that the case is judged as it is sent. A negative case that leaves
    ``Authorization`` out on purpose is sent without it (its answer must be a 401)."""
    if not headers or ("Authorization", ParameterLocation.HEADER) in set(
        negated_parameters(case.meta)
    ):
        return
    case.headers = {**(case.headers or {}), **headers}
    # No public setter in schemathesis 4 (pinned): its providers set this attribute.
    case._has_explicit_auth = True


@dataclass
class Fuzzed:
    schema: schemathesis.BaseSchema
    database: Database
    headers: dict[str, dict[str, str]]


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed(request) -> Fuzzed:
    """The app on a database of its own with the demo catalogue and operators, and a
    partner's key."""
    database: Database = _database(request, request.param, "fuzz")
    with database.write_session() as s:
        load_demo(s)
        load_demo_operators(s, env="test", now=datetime.now(UTC))
        issued = clients.create_client(
            s,
            name="fuzzing-ota",
            channel="ota",
            merchant_collects=False,
            pepper=database.settings.secret_key,
            now=datetime.now(UTC),
        )
        s.commit()
    # A rate limit the fuzzer cannot reach: 429 is documented, but it would hide the rest.
    # Likewise the query-string limit: 414 is documented, but schemathesis's check that
    # invalid data is rejected does not count 414 as a rejection, and a long invalid
    # value would then hide the 422 the operation gives it. A Stripe webhook secret, so
    # that the webhook answers its signature check rather than 503.
    app_settings = database.settings.model_copy(
        update={
            "rate_limit_per_minute": 1_000_000,
            "max_query_bytes": 1_000_000,
            "stripe_webhook_secret": "whsec_contract",
        }
    )
    app = create_app(app_settings, database=database)
    # Not emptied afterwards: nothing else uses this database (dropped with the run).
    return Fuzzed(
        schemathesis.openapi.from_asgi("/openapi.json", app),
        database,
        {"anonymous": {}, "partner": {"Authorization": f"Bearer {issued.plaintext}"}},
    )


def _operator(fuzzed: Fuzzed, operation: str) -> dict[str, str]:
    """A province operator of the operation's own: what an earlier operation did to
    accounts and tokens (deactivated, revoked) cannot lock this one out."""
    login = "contract-" + "".join(c if c.isalnum() else "-" for c in operation.lower())
    return add_operator(fuzzed.database, login[:60], PROVINCE_ADMIN).headers


def _callers_headers(fuzzed: Fuzzed, operation: str) -> list[dict[str, str]]:
    return [
        _operator(fuzzed, operation) if caller == "operator" else fuzzed.headers[caller]
        for caller in callers(operation)
    ]


def _call_as(case: schemathesis.Case, headers: list[dict[str, str]]) -> None:
    for caller_headers in headers:
        authenticate(case, caller_headers)
        case.call_and_validate(additional_checks=[problem_bodies], excluded_checks=NOT_CHECKED)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_answer_is_documented(fuzzed, operation):
    method, path = operation.split(" ", 1)
    api_operation = fuzzed.schema[path][method]
    headers = _callers_headers(fuzzed, operation)
    cases = st.one_of(
        api_operation.as_strategy(GenerationMode.POSITIVE),
        api_operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @bounded(MAX_EXAMPLES)
    def as_every_caller(case):
        _call_as(case, headers)

    as_every_caller()


# By hand only; skipped once per backend, not once per operation, in every other run.
@pytest.mark.skipif(not COVERAGE, reason="by hand: JL_CONTRACT_COVERAGE=1 (docs/testing.md)")
@pytest.mark.parametrize("operation", OPERATIONS if COVERAGE else [None])
def test_every_boundary_answer_is_documented(fuzzed, operation):
    """schemathesis's coverage phase, by hand: for each operation the cases it derives
    from the schema rather than draws (each parameter and member at its bounds and
    just past them, of each wrong type, left out, the body in each media type), about
    5,500 per backend: some minutes, too long for every CI run. Every failure of the
    operation is listed, not only the first."""
    method, path = operation.split(" ", 1)
    api_operation = fuzzed.schema[path][method]
    headers = _callers_headers(fuzzed, operation)
    failures = []
    for case in api_operation.schema.iter_coverage_cases(
        api_operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=fuzzed.schema.config.generation_for(
            operation=api_operation, phase="coverage"
        ),
        extra_data_source=None,
        error_feedback=None,
        session=None,
    ):
        try:
            _call_as(case, headers)
        except (AssertionError, BaseExceptionGroup) as failure:
            failures.append(str(failure))
    assert not failures, "\n\n".join(failures[:10])


def test_every_operation_is_called_with_credentials_it_takes():
    """No operation is left to its 401: each is called by someone it serves."""
    assert all(callers(operation) for operation in OPERATIONS)
    assert callers("GET /v1/admin/accounts") == ["operator"]
    assert callers("GET /v1/reports/measures") == ["operator"]
    assert callers("POST /v1/quotes") == ["anonymous", "partner"]
    assert callers("GET /v1/bookings") == ["partner"]


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_following_the_links_every_answer_is_documented(fuzzed, caller):
    """Sequences that follow the document's links (quote -> read it, book it; booking ->
    read it, cancel it with its token), checked after every step."""
    headers = fuzzed.headers[caller]
    base = fuzzed.schema.as_state_machine()

    class Scenario(base):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=[problem_bodies],
                excluded_checks=NOT_CHECKED,
                transport_kwargs=kwargs,
            )

    Scenario.run(settings=bounded(STATEFUL_EXAMPLES, stateful_step_count=6))
