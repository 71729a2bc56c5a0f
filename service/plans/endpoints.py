"""HTTP for the trip planner: ``POST /v1/plans``."""

from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Body, Request, Response
from pydantic import TypeAdapter

from service import runner
from service.auth import Caller, CallerDep
from service.db import Database
from service.errors import problem_doc, problems
from service.i18n import Lang, LangDep
from service.plans import service
from service.plans.schemas import PLAN_EXAMPLE_REQUEST, PlanIn, PlansOut
from service.plans.slots import SearchSlots

router = APIRouter(prefix="/v1", tags=["plans"])
_OUT = TypeAdapter(PlansOut)


@router.post(
    "/plans",
    response_model=PlansOut,
    summary="Plan a multi-week, multi-destination trip: exactly the cheapest plans that fit",
    description=(
        "Finds the `limit` cheapest plans (one per sequence of products) of 1 to "
        "`max_stays` back-to-back stays in the window, every night on sale with the "
        "units, each stay at least `min_nights_per_stay` nights and a length its product "
        "sells, consecutive destinations joined by a transit line (its fare and date "
        "included) unless `allow_self_travel`, every need met by published facts, each "
        "product stayed at once and no destination come back to once left (unless "
        "`route` visits it again). Without `nights`, `min_nights` or `max_nights` the "
        "plans fit the dates: the most nights any plan has in the window (`fitted`). Ranked "
        "by total, then fewer stays, then the earliest first check-in, then product ids. "
        "Each plan carries `quote_request` (POST it to `/v1/quotes` for the same total), "
        "its whole price as the quote engine prices it, why it fits and nudges priced "
        "by the engine. With no plan: 200 with the reasons and the relaxations that "
        "would give plans. Nothing is held or written.\n\n"
        "Refused with a 422 problem naming the field: `window_in_past`, `invalid_window`, "
        "`window_too_long` (the most days a window spans in `limit`), "
        "`window_too_short` (on `latest_check_out`: the window is "
        "shorter than the shortest stay, `shortest_stay_nights`), `nights_exceed_window` "
        "(the most nights the dates hold in `limit`), "
        "`nights_below_shortest_stay` (on `nights` or `max_nights`), "
        "`more_rooms_than_guests` (on `units`: more units than `guests`, as a quote "
        "refuses them), `contradictory`, "
        "`unknown_route`, "
        "`unknown_destination`, `unknown_certification`, `unknown_stub`, "
        "`stub_already_used` (`stubs[i]`, `stub` its code), `validation_error` (unknown "
        "theme, pack kind...), "
        "`plan_too_broad` (the search's work budget ran out before it proved its plans: "
        "narrow the field named to `suggested`).\n\n"
        "429 `rate_limited` (with `Retry-After`, in seconds; `limit` the number) for an "
        "anonymous caller past its client address's share: "
        "`JL_PLANNER_ANONYMOUS_PER_MINUTE` searches a minute (20), "
        "`JL_PLANNER_ANONYMOUS_AT_ONCE` at once (1); with an API key, the key's own "
        "per-minute limit instead.\n\n"
        "503 `planner_busy` (with `Retry-After`, in seconds): the server runs a few "
        "searches at once and none freed in time; nothing about the request is wrong, "
        "send it again after `Retry-After` seconds. A request refused for what it says "
        "(the 422s above but `plan_too_broad`, which needs the search) is refused so "
        "whether the searches are busy or not, never 503."
    ),
    responses={
        **problems(401, 422, 429),
        503: problem_doc(
            503,
            "Planner busy (`planner_busy`): too many searches at once; retry after "
            "`Retry-After` seconds",
            retry_after=True,
        ),
    },
)
async def create_plans(
    request: Request,
    body: Annotated[
        PlanIn,
        Body(
            openapi_examples={
                "six_weeks": {
                    "summary": "Six weeks next summer, up to three stays, hospital nearby",
                    "value": PLAN_EXAMPLE_REQUEST,
                }
            }
        ),
    ],
    caller: CallerDep,
    lang: LangDep,
) -> Response:
    state = request.app.state
    slots: SearchSlots = state.planner_slots
    now = state.clock.now()
    check = partial(check_plans, state.db, body, caller, now)
    async with state.planner_share.admitted(request, caller):  # an address's fair share
        content = await slots.run_checked(check, _plans, state.db, body, caller, now, lang)
    return Response(
        content,
        media_type="application/json",
        headers={"Content-Language": lang, "Vary": "Accept-Language"},
    )


def _plans(db: Database, body: PlanIn, caller: Caller, now: datetime, lang: Lang) -> bytes:
    # One read transaction (nothing is written; it commits nothing but its reads).
    with runner.core_transaction(db) as conn:
        out = service.make_plans(conn, body, caller=caller, now=now, lang=lang)
    return _OUT.dump_json(_OUT.validate_python(out))


def check_plans(db: Database, body: PlanIn, caller: Caller, now: datetime) -> None:
    """``body``'s refusals that need no search, on a read transaction of their own:
    what a request that finds every search slot taken is told before it waits
    (``SearchSlots.run_checked``; the planner page's too)."""
    with runner.core_transaction(db) as conn:
        service.check_request(conn, body, caller=caller, now=now)
