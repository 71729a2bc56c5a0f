"""schemathesis against the app's own OpenAPI document: every operation, fed data made
from its schemas (valid and invalid), anonymously and with a partner's key, on SQLite and
PostgreSQL with the demo catalogue. No answer may be a server error or differ from the
document (status, content type, headers, body schema), and the documented security must
hold (an operation that needs a key refuses a request without one).

The app runs in-process (ASGI), one app and database per backend for the whole module, so
what one operation creates (quotes, bookings, webhook endpoints) the next one meets. The
examples per operation are bounded (``MAX_EXAMPLES``) so the run stays within about two
minutes on a two-core machine. A failure names the operation and prints each failing
check with the request to replay (a curl line): document the answer in the operation
(``responses=problems(...)``, or ``service/openapi.py`` for all operations alike) or fix
the server.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from catalog.demo.loader import load_demo
from service.app import create_app
from service.cli import OPENAPI_PATH
from service.clients import service as clients
from service.db import Database
from tests.conftest import BACKENDS, _database
from tests.support.bounded import bounded

MAX_EXAMPLES = 10
STATEFUL_EXAMPLES = 10
# "Schema-valid data is accepted" does not hold for a booking API: a schema-valid quote for
# a product that does not exist, or for last year, is rightly a 422 problem (documented).
NOT_CHECKED = [positive_data_acceptance]
OPERATIONS = [
    f"{method.upper()} {path}"
    for path, item in json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))["paths"].items()
    for method in item
]


@dataclass
class Fuzzed:
    schema: schemathesis.BaseSchema
    partner: dict[str, str]


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed(request) -> Fuzzed:
    """The app on a database of its own with the demo catalogue, and a partner's key."""
    database: Database = _database(request, request.param, "fuzz")
    with database.write_session() as s:
        load_demo(s)
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
    # value would then hide the 422 the operation gives it.
    app_settings = database.settings.model_copy(
        update={"rate_limit_per_minute": 1_000_000, "max_query_bytes": 1_000_000}
    )
    app = create_app(app_settings, database=database)
    # Not emptied afterwards: nothing else uses this database (dropped with the run).
    return Fuzzed(
        schemathesis.openapi.from_asgi("/openapi.json", app),
        {"Authorization": f"Bearer {issued.plaintext}"},
    )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_answer_is_documented(fuzzed, operation):
    method, path = operation.split(" ", 1)
    api_operation = fuzzed.schema[path][method]
    cases = st.one_of(
        api_operation.as_strategy(GenerationMode.POSITIVE),
        api_operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @bounded(MAX_EXAMPLES)
    def anonymously_and_as_a_partner(case):
        case.call_and_validate(excluded_checks=NOT_CHECKED)
        case.call_and_validate(headers=fuzzed.partner, excluded_checks=NOT_CHECKED)

    anonymously_and_as_a_partner()


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_following_the_links_every_answer_is_documented(fuzzed, caller):
    """Sequences that follow the document's links (quote -> read it, book it; booking ->
    read it, cancel it with its token), checked after every step."""
    headers = fuzzed.partner if caller == "partner" else {}
    base = fuzzed.schema.as_state_machine()

    class Scenario(base):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=NOT_CHECKED, transport_kwargs=kwargs)

    Scenario.run(settings=bounded(STATEFUL_EXAMPLES, stateful_step_count=6))
