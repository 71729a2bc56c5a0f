"""HTTP for quotes: ``POST /v1/quotes`` and ``GET /v1/quotes/{quote_id}``.

Both return the body already validated against ``QuoteOut`` and encoded
(``schemas.quote_json``); ``response_model`` documents it.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Request, Response

from service import runner
from service.auth import Caller, CallerDep
from service.db import Database
from service.deps import SessionDep
from service.errors import problems
from service.i18n import Lang, LangDep
from service.quotes import service
from service.quotes.examples import REQUEST_EXAMPLES
from service.quotes.schemas import QuoteIn, QuoteOut, quote_json
from service.text import Text

router = APIRouter(prefix="/v1", tags=["quotes"])


# A quote's id in a path, the API's and the pages' (``Text``: a control character is a
# 422, never looked up).
QuoteId = Annotated[Text, Path(description="The id returned by POST /v1/quotes")]


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
        "`more_rooms_than_guests` (`items[i].units`: more units than guests, `asked_units` "
        "and `guests`; each room or bed needs at least one guest), "
        "`too_many_guests`, `pack_not_offered`, `duplicate_pack`, `check_in_in_past`, "
        "`not_on_sale`, `too_many_units` (`items[i].units`: more units than the product "
        "has in all on a night of the stay, taken or not, so it could never be booked; "
        "`night`, `product_id`, `limit` the units in all, `asked_units` the stay's; units "
        "taken by others, or stays that fit one by one but not together, are the "
        "booking's 409 `sold_out`), `overlapping_stays` (two stays at different "
        "destinations share a night; stays at one destination may), `leg_outside_trip` "
        "(a leg's travel date is outside first check-in..last check-out), "
        "`too_many_riders` (`legs[i].riders` above the party: the most guests of the "
        "stays at once, `limit`), "
        "`unknown_product`, `unknown_transit_line`, "
        "`travel_date_in_past`, "
        "a leg's stops (`from_destination_id`, `to_destination_id`: both or neither, two "
        "distinct stops of its line; they do not change the fare): `leg_stop_missing` "
        "(naming the one missing), `leg_stops_same`, `stop_not_on_line`, "
        "`unknown_destination`, "
        "`unknown_stub`, `stub_already_used`, `duplicate_stub` (`stubs[i]`, `stub` its "
        "code), `invalid_dates`, "
        "`validation_error` (with `unknown_field`, `too_long`... in `errors`)."
    ),
    responses={
        201: {
            "headers": {
                "Location": {"description": "/v1/quotes/{id}", "schema": {"type": "string"}}
            },
            "links": {
                "ReadTheQuote": {
                    "operationId": "getQuote",
                    "parameters": {"quote_id": "$response.body#/id"},
                },
                "BookTheQuote": {
                    "operationId": "createBooking",
                    "requestBody": {
                        "quote_id": "$response.body#/id",
                        "lead_traveller": {"name": "王秀兰", "phone": "13800138000"},
                    },
                },
            },
        },
        **problems(401, 422, 429),
    },
)
async def create_quote(
    request: Request,
    body: Annotated[QuoteIn, Body(openapi_examples=REQUEST_EXAMPLES)],
    caller: CallerDep,
    lang: LangDep,
) -> Response:
    # Everything that blocks or costs (encoding the body, the database, pricing,
    # rendering) runs in ONE threadpool call; the dependencies are async. The app's
    # database, clock and settings are read from its state directly (what DatabaseDep,
    # ClockDep and SettingsDep return): each dependency costs FastAPI work per request.
    state = request.app.state
    content, quote_id = await runner.in_thread(
        _create_quote,
        state.db,
        body,
        caller,
        state.clock.now(),
        state.settings.quote_ttl_minutes,
        lang,
    )
    return Response(
        content,
        status_code=201,
        media_type="application/json",
        headers={"Location": f"/v1/quotes/{quote_id}"},
    )


def _create_quote(
    db: Database, body: QuoteIn, caller: Caller, now: datetime, ttl_minutes: int, lang: Lang
) -> tuple[bytes, str]:
    """``POST /v1/quotes``'s whole blocking work, in one thread.

    Reads and prices in a read transaction (it ends before the write), then inserts the
    row in a write transaction: on SQLite that one begins IMMEDIATE, so the database
    write lock is taken for the INSERT and the commit only, never while the catalogue is
    read or the quote priced. Nothing read is changed by the write.
    """
    quote = price_and_store(db, body, caller=caller, now=now, ttl_minutes=ttl_minutes)
    return quote_json(quote, lang), quote.id


def price_and_store(
    db: Database, body: QuoteIn, *, caller: Caller, now: datetime, ttl_minutes: int
) -> service.NewQuote:
    """Price ``body`` (a validated ``QuoteIn``) and store the quote: the unit of work of
    ``POST /v1/quotes``, also used by the traveller pages.

    Reads and prices, then inserts the row with one statement. On PostgreSQL both in
    autocommit (``runner.autocommit``): one round trip each, no BEGIN and COMMIT around
    them (the version and the stubs are one SELECT, so one snapshot). On SQLite each in
    a transaction, the write one BEGIN IMMEDIATE, so the database write lock is taken
    for the INSERT and the commit only, never while the catalogue is read or the quote
    priced."""
    with runner.autocommit(db) as conn:
        quote = service.build_quote(conn, body, caller=caller, now=now, ttl_minutes=ttl_minutes)
    with service.insert_lock(db), runner.autocommit(db, write=True) as conn:
        service.store(conn, quote)
    return quote


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
    quote_id: QuoteId,
    session: SessionDep,
    caller: CallerDep,
    lang: LangDep,
) -> Response:
    quote = service.get_quote(session.connection(), quote_id, caller=caller)
    return Response(quote_json(quote, lang), media_type="application/json")
