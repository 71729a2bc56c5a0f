"""HTTP for quotes: ``POST /v1/quotes`` and ``GET /v1/quotes/{quote_id}``.

Both return the body already validated against ``QuoteOut`` and encoded
(``schemas.quote_json``); ``response_model`` documents it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Response
from sqlmodel import Session

from service.auth import CallerDep
from service.db import run_in_transaction
from service.deps import ClockDep, DatabaseDep, SessionDep, SettingsDep
from service.errors import problems
from service.i18n import LangDep
from service.quotes import service
from service.quotes.examples import REQUEST_EXAMPLES
from service.quotes.schemas import QuoteIn, QuoteOut, quote_json

router = APIRouter(prefix="/v1", tags=["quotes"])


@dataclass(frozen=True, slots=True)
class ReadWrite:
    read: Session
    write: Session


_transaction = contextmanager(run_in_transaction)


def get_read_write(db: DatabaseDep) -> Iterator[ReadWrite]:
    """A read session and a write session as one dependency (FastAPI sends each sync
    dependency to the threadpool on entry and exit: one pair of hops, not two). When the
    endpoint succeeds the write session commits first, then the read session; if it
    raises, both roll back."""
    with _transaction(db.session()) as read, _transaction(db.write_session()) as write:
        yield ReadWrite(read, write)


ReadWriteDep = Annotated[ReadWrite, Depends(get_read_write, scope="function")]


@router.post(
    "/quotes",
    status_code=201,
    response_model=QuoteOut,
    summary="Price a trip and keep the price",
    description=(
        "Prices stay items, transit legs and ticket stubs against the catalogue and the "
        "discount rules in force, and stores the quote with every line. The quote is "
        "honoured until `expires_at` (30 minutes by default). The sales channel comes "
        "from the caller (`direct` when anonymous). `Location` names the stored quote.\n\n"
        "Refused with a 422 problem naming the field: `duration_not_allowed`, "
        "`too_many_guests`, `pack_not_offered`, `duplicate_pack`, `check_in_in_past`, "
        "`not_on_sale`, `unknown_product`, `unknown_transit_line`, `travel_date_in_past`, "
        "`unknown_stub`, `stub_already_used`, `duplicate_stub`, `invalid_dates`, "
        "`validation_error` (with `unknown_field`, `too_long`... in `errors`)."
    ),
    responses={
        201: {
            "headers": {
                "Location": {"description": "/v1/quotes/{id}", "schema": {"type": "string"}}
            }
        },
        **problems(401, 422, 429),
    },
)
def create_quote(
    body: Annotated[QuoteIn, Body(openapi_examples=REQUEST_EXAMPLES)],
    sessions: ReadWriteDep,
    caller: CallerDep,
    clock: ClockDep,
    settings: SettingsDep,
    lang: LangDep,
) -> Response:
    quote = service.create_quote(
        sessions.read,
        body.model_dump(mode="json"),
        caller=caller,
        now=clock.now(),
        ttl_minutes=settings.quote_ttl_minutes,
        write_session=sessions.write,
    )
    return Response(
        quote_json(quote, lang),
        status_code=201,
        media_type="application/json",
        headers={"Location": f"/v1/quotes/{quote.id}"},
    )


@router.get(
    "/quotes/{quote_id}",
    response_model=QuoteOut,
    summary="Read a stored quote",
    description=(
        "Returns the quote exactly as it was made, even after rates or rules changed. "
        "Check `expires_at` to know whether it can still be booked. A quote made by an "
        "API client is visible to that client only."
    ),
    responses=problems(401, 404, 429),
)
def get_quote(
    quote_id: Annotated[str, Path(description="The id returned by POST /v1/quotes")],
    session: SessionDep,
    caller: CallerDep,
    lang: LangDep,
) -> Response:
    quote = service.get_quote(session, quote_id, caller=caller)
    return Response(quote_json(quote, lang), media_type="application/json")
