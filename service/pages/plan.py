"""The planner pages: the form, the ranked plans with why they fit, nudges and
relaxations, and choosing a plan (its quote request priced by ``POST /v1/quotes``'s
service). The form is a GET (a search changes nothing; the address can be kept); the
planner is ``POST /v1/plans``'s service with its request model (``PlanIn``).
"""

import json
from datetime import timedelta
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from catalog import queries
from catalog.vocab import CERTIFICATION_NAMES, ROOM_FACT_LABELS, ROOM_FACT_NAMES, THEME_NAMES
from service import query_params, runner
from service.auth import ANONYMOUS
from service.catalog.service import parse_key
from service.errors import DomainError, TooManyRequests
from service.i18n import Lang, pick
from service.pages import formats, forms, messages, routes, web
from service.pages.routes import named
from service.plans import service as plans
from service.plans.endpoints import check_plans
from service.plans.schemas import PlanIn
from service.plans.slots import PlannerBusy, SearchSlots
from service.quotes import schemas as quote_schemas
from service.quotes.endpoints import price_and_store

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)

# The yes/no needs of ``PlanIn`` (``NeedsIn``) by the form's names for them: the
# destination's facts by the destinations list's names (``routes.NEEDS``), the rooms'
# facts by the API's (``catalog.vocab.ROOM_FACT_NAMES``). A box sends ``yes``.
NEED_OF = {
    "settlement": "cross_province_settlement",
    "insurance": "medical_insurance_station",
    "elder": "elder_friendly_rooms",
    **{name: name for name in ROOM_FACT_NAMES},
}
assert set(routes.NEEDS) <= NEED_OF.keys()
NEEDS = tuple(NEED_OF)
FIELDS = (
    "start",
    "end",
    "nights",
    "guests",
    "units",
    "max_stays",
    "hospital_km",
    *NEEDS,
    "budget",
    "route",
    "min_nights",  # not on the form: a relaxation's range of nights, kept hidden
    "max_nights",
    "min_nights_per_stay",  # not on the form either: relaxations, kept hidden and said
    "allow_self_travel",
)
# The fields typed as numbers (``forms.number``), shown back as read (``forms.shown_number``).
# The distance and the budget are read by their own rules (``_read_typed``).
NUMBERS = ("nights", "guests", "units", "max_stays", "min_nights", "max_nights",
           "min_nights_per_stay")  # fmt: skip
# PlanIn's fields (as a problem names them) -> the form's
_FIELD_OF = {
    "earliest_check_in": "start",
    "latest_check_out": "end",
    "nights": "nights",
    "min_nights": "nights",
    "max_nights": "nights",
    "guests": "guests",
    "units": "units",
    "max_stays": "max_stays",
    "min_nights_per_stay": "min_nights_per_stay",  # not on the form: said beside the stays
    "themes": "themes",
    "max_total_fen": "budget",
    "needs.hospital_within_km": "hospital_km",
    "needs.certifications": "cert",
    **{f"needs.{need}": field for field, need in NEED_OF.items()},
    "route": "_form",
}


def _plan_field(path: str) -> str | None:
    for prefix, name in _FIELD_OF.items():
        if path == prefix or path.startswith(prefix + "[") or path.startswith(prefix + "."):
            return name
    return None


def _request_of(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as a ``PlanIn`` body: the distance and the budget read by their
    own rules (``_read_typed``, which says one that does not read: left out here)."""
    body: dict[str, Any] = {
        "earliest_check_in": values["start"],
        "latest_check_out": values["end"],
        "guests": forms.number(values["guests"]),
        "units": forms.number(values["units"] or "1"),
        "max_stays": forms.number(values["max_stays"] or "3"),
        "themes": values["themes"],
        "needs": {
            # a box's ``yes`` is true; any other value is the request model's to refuse,
            # beside the box (never read as "not needed", unsaid)
            **{need: _ticked(v) for field, need in NEED_OF.items() if (v := values.get(field))},
            "certifications": values.get("cert", []),
        },
    }
    if values["nights"]:
        body["nights"] = forms.number(values["nights"])
    else:  # a range of nights only while the nights are left empty (_nights_hint)
        for field in ("min_nights", "max_nights"):
            if values[field]:
                body[field] = forms.number(values[field])
    if values["route"]:
        body["route"] = values["route"]
    if values["min_nights_per_stay"]:
        body["min_nights_per_stay"] = forms.number(values["min_nights_per_stay"])
    if values["allow_self_travel"] == "yes":
        body["allow_self_travel"] = True
    try:
        if (km := routes.hospital_km(values["hospital_km"])) is not None:
            body["needs"]["hospital_within_km"] = km
    except ValueError:
        pass
    try:
        if values["budget"]:
            body["max_total_fen"] = forms.fen(values["budget"])
    except forms.NotAnAmount:
        pass
    return body


def _ticked(value: str) -> bool | str:
    """A need's box as ``PlanIn`` takes it: ``yes`` (what the box sends) is true; another
    value a link gives is passed as it is, for ``NeedsIn`` to refuse (a flag is a JSON
    boolean), said beside the box."""
    return True if value == "yes" else value


def _defaults(today) -> dict[str, Any]:
    start = today + timedelta(days=60)
    return {
        "start": start.isoformat(),
        "end": (start + timedelta(days=49)).isoformat(),
        "nights": "42",
        "guests": "2",
        "units": "1",
        "max_stays": "3",
        "hospital_km": "",
        **dict.fromkeys(NEEDS, ""),
        "budget": "",
        "route": "",
        "min_nights": "",
        "max_nights": "",
        "min_nights_per_stay": "",
        "allow_self_travel": "",
        "themes": [],
        "cert": [],
    }


def _nights_hint(values: dict[str, Any], t) -> str:
    """The nights field's hint: what leaving it empty plans. A relaxation's range of
    nights (``min_nights``, ``max_nights``: the form has no field for them, the address
    keeps them, the form sends them hidden) while the nights are empty; typed nights
    plan exactly that many and drop the range."""
    lo, hi = values.get("min_nights"), values.get("max_nights")
    if values.get("nights") or not (lo or hi):
        return t("plan_nights_hint")
    if lo and hi:
        return t("plan_nights_range", lo=lo, hi=hi)
    return t("plan_nights_at_least", lo=lo) if lo else t("plan_nights_at_most", hi=hi)


def _kept_words(values: dict[str, Any], t) -> list[str]:
    """What the address keeps that the form has no field for (a relaxation followed:
    ``min_nights_per_stay``, ``allow_self_travel``; sent hidden), said above the form's
    fields. A value the planner refuses is said beside the stays instead."""
    words = []
    per_stay = forms.number(values.get("min_nights_per_stay") or "")
    if isinstance(per_stay, int) and 1 <= per_stay <= 400:
        words.append(t("plan_per_stay", n=per_stay))
    if values.get("allow_self_travel") == "yes":
        words.append(t("plan_self_travel"))
    return words


def _read_typed(values: dict[str, Any], lang: Lang) -> dict[str, str]:
    """What the form reads before ``PlanIn``, each put back as read, and ``{field: why it
    cannot be read}`` (an empty date is ``PlanIn``'s "please fill this in"):

    * the start and end as the quote form reads its check-in (``forms.typed_day``: full
      width, ``2027/7/1``...), as ``YYYY-MM-DD`` (what ``PlanIn`` takes, and a date
      field shows); one that is no date said by ``forms.day_error``;
    * the nearest hospital's distance as the destinations list reads it
      (``routes.hospital_km``: any distance the need takes, the select then offering
      it), else "please choose from the list", as the list says;
    * the budget as every money field of the pages reads it (``forms.fen``: ``5000元``,
      ``¥5,000``, ``1.5万``), in fen, shown back in yuan; else the ways it can be
      written (``forms.money_error``)."""
    unreadable: dict[str, str] = {}
    for field in ("start", "end"):
        if values[field]:
            try:
                values[field] = forms.typed_day(values[field]).isoformat()
            except ValueError as exc:
                unreadable[field] = forms.day_error(exc, lang)
    try:
        values["hospital_km"] = routes.shown_km(routes.hospital_km(values["hospital_km"]))
    except ValueError:
        unreadable["hospital_km"] = messages.text_for(lang)("error_choice")
    if values["budget"]:
        try:
            values["budget"] = forms.shown_yuan(forms.fen(values["budget"]))
        except forms.NotAnAmount:
            unreadable["budget"] = forms.money_error(lang)
    return unreadable


def _replan_url(values: dict[str, Any], change: dict[str, Any]) -> str | None:
    """The planner's address with one relaxation applied, when the form can say it: every
    relaxation of a request the form makes (a field, or one kept hidden: the range of
    nights, ``min_nights_per_stay``, ``allow_self_travel``); None for a change of what
    the form never sends (``include_destinations``, a room fact...)."""
    v = {**values}
    field_of = {need: field for field, need in NEED_OF.items()}
    for key, new in change.items():
        if key == "needs" and isinstance(new, dict):
            for need, value in new.items():
                if need == "hospital_within_km":
                    v["hospital_km"] = "" if value is None else routes.shown_km(float(value))
                elif need == "certifications":
                    v["cert"] = list(value or [])
                elif need in field_of:
                    v[field_of[need]] = "yes" if value else ""
                else:
                    return None
        elif key == "earliest_check_in":
            v["start"] = str(new)
        elif key == "latest_check_out":
            v["end"] = str(new)
        elif key in ("nights", "min_nights", "max_nights", "max_stays", "guests", "units",
                     "min_nights_per_stay"):  # fmt: skip
            v[key] = "" if new is None else str(new)
        elif key == "allow_self_travel":
            v[key] = "yes" if new else ""
        elif key == "max_total_fen":
            v["budget"] = "" if new is None else str(-(-int(new) // 100))
        elif key == "themes":
            v["themes"] = list(new or [])
        else:
            return None
    params = [(k, v[k]) for k in FIELDS if v.get(k)] + [("themes", t) for t in v["themes"]]
    params += [("cert", c) for c in v.get("cert", ())]
    return "/plan?" + urlencode(params)


@router.get("/plan")
@query_params.reads(*FIELDS)
async def plan_page(
    request: Request,
    themes: Annotated[list[str] | None, Query()] = None,  # read below, with the rest
    theme: Annotated[list[str] | None, Query()] = None,
    cert: Annotated[list[str] | None, Query()] = None,  # several, as the destinations list's
) -> Response:
    """The planner's form and its plans. ``themes`` is declared for what it is, the one
    parameter the form repeats (``service.query_params`` refuses the form's other fields,
    ``FIELDS``, given twice), and ``theme`` with it (the destinations list's name for it,
    in a link made by hand); the page reads its query itself (``query_params.read``). A
    theme that is not one of the choices is said beside the themes, as the destinations
    list says it (``error_choice``)."""
    q = query_params.read(request)
    state = request.app.state
    t = web.text(request)
    lang = web.page_lang(request)
    # A search: the form sends both dates; a link with either one is a search too, so
    # the one missing is said beside its field ("please fill this in"), start or end.
    searched = "start" in q or "end" in q
    values = _defaults(state.clock.today())
    chosen = [*q.getlist("themes"), *q.getlist("theme")]
    unknown_theme = any(x and x not in THEME_NAMES for x in chosen)
    picked = {k: "yes" for k in NEEDS if q.get(k) == "yes"}  # a link's needs, unsearched
    if searched:
        values = {k: q.get(k, "").strip()[:40] for k in FIELDS}
        for k in NUMBERS:  # shown back as read: a full-width ２ is a 2, not an empty box
            values[k] = values[k] and forms.shown_number(values[k])
    else:
        values |= picked
    values["themes"] = [x for x in chosen if x in THEME_NAMES][:7]
    # the certifications, all of them (the destinations list's ``cert``, the API's
    # ``needs.certifications``): each read by the planner's own check, a code it does not
    # know said beside the boxes (``unknown_certification``)
    values["cert"] = list(dict.fromkeys(c.strip() for c in q.getlist("cert") if c.strip()))
    ctx: dict[str, Any] = {
        "nights_hint": _nights_hint(values, t),
        "kept_words": _kept_words(values, t),
        "nav": "plan",
        "values": values,
        "themes": named(lang, THEME_NAMES),
        "certs": named(lang, CERTIFICATION_NAMES),
        "room_facts": named(lang, ROOM_FACT_LABELS),
        "hospital_choices": routes.hospital_choices(values["hospital_km"]),
        "searched": searched,
        "result": None,
        "errors": {},
        "route_name": None,
    }
    if not searched and (chosen or picked or values["cert"]):
        # a link that picks themes or needs: the form with them ticked
        ctx["errors"] = {"themes": t("error_choice")} if unknown_theme else {}
        status = 422 if unknown_theme else 200
        return web.render(request, "plan.html", ctx, title=t("plan_title"), status_code=status)
    if not searched:  # the empty form: the same for every visitor on a given day

        def build(_session, lang: Lang, today) -> dict[str, Any]:
            words = messages.text_for(lang)
            title, hint = words("plan_title"), words("plan_nights_hint")
            return {**ctx, "values": _defaults(today), "page_title": title, "nights_hint": hint}

        return await web.cached_page(request, "plan.html", build)
    if values["route"] and values["route"].isprintable():  # else refused below, unread:
        # PostgreSQL refuses a NUL in text (a 500, where the form's check says 422)
        ctx["route_name"] = await runner.in_thread(_route_name, state.db, values["route"], lang)
    unreadable = _read_typed(values, lang)
    try:
        body = PlanIn.model_validate(_request_of(values))
    except ValidationError as exc:
        ctx["errors"] = web.validation_errors(request, exc.errors(), _plan_field)
        if any(_too_few_nights(e) for e in exc.errors()):  # said with the real least
            n = await runner.in_thread(_shortest, state.db, state.clock.now())
            ctx["errors"]["nights"] = t("plan_nights_below_shortest_stay", n=n)
    ctx["errors"].update(unreadable)
    if unknown_theme:
        ctx["errors"]["themes"] = t("error_choice")
    if ctx["errors"]:
        _per_stay_said(ctx["errors"], values, t)
        return web.render(request, "plan.html", ctx, title=t("plan_title"), status_code=422)
    slots: SearchSlots = state.planner_slots  # the API's searches' slots too
    now = state.clock.now()
    # With every slot taken, what is wrong with the form is said before the wait.
    check = partial(check_plans, state.db, body, ANONYMOUS, now)
    try:
        async with state.planner_share.admitted(request, ANONYMOUS):  # the address's share
            result = await slots.run_checked(check, _plan, state.db, body, now, lang)
    except (PlannerBusy, TooManyRequests) as exc:  # nothing wrong with the form: said
        # above it, kept as typed (busy: 503; this address's share spent: 429)
        said = web.problem_words(request, exc)
        if isinstance(exc, TooManyRequests):  # which share, how many, when again
            said = exc.detail_zh if lang == "zh-CN" else exc.detail
        ctx["errors"] = {"_form": said}
        page = web.render(request, "plan.html", ctx, title=t("plan_title"), status_code=exc.status)
        page.headers.update(exc.headers)
        return page
    except DomainError as exc:
        ctx["errors"] = web.form_errors(request, exc, _plan_field)
        if "shortest_stay_nights" in exc.extra:  # said with the number of nights
            words = t(f"plan_{exc.code}", n=exc.extra["shortest_stay_nights"])
            ctx["errors"] = {k: words for k in ctx["errors"]}
        if "fit_max_days" in exc.extra:  # no nights, dates too far apart to fit
            ctx["errors"] = {"nights": t("plan_fit_too_long", n=exc.extra["fit_max_days"])}
        elif exc.code == "plan_too_broad":  # with what to narrow, beside that field
            words = exc.detail_zh if lang == "zh-CN" else exc.detail
            ctx["errors"] = {k: words for k in ctx["errors"]}
        elif exc.code in ("window_too_long", "nights_exceed_window") and "limit" in exc.extra:
            words = t(f"plan_{exc.code}", n=exc.extra["limit"])  # with its limit
            ctx["errors"] = {k: words for k in ctx["errors"]}
        _per_stay_said(ctx["errors"], values, t)
        return web.render(request, "plan.html", ctx, title=t("plan_title"), status_code=422)
    for relax in result["relaxations"]:
        relax["url"] = _replan_url(values, relax["change"])
    for plan in result["plans"]:
        plan["fit_groups"] = _fit_groups(plan, t)
        plan["quote_json"] = json.dumps(_jsonable(plan["quote_request"]), ensure_ascii=False)
        for nudge in plan["nudges"]:
            if nudge.get("quote_request"):
                nudge["quote_json"] = json.dumps(_jsonable(nudge["quote_request"]))
    ctx["result"] = result
    return web.render(request, "plan.html", ctx, title=t("plan_title"))


def _per_stay_said(errors: dict[str, str], values: dict[str, Any], t) -> None:
    """A ``min_nights_per_stay`` the planner refuses (the form has no field for it: a
    link's, or a relaxation's kept hidden) said as what it is, the nights at each place,
    with the value the link gave, beside the stays (``plan.html``); it is not sent
    again (never "at most how many places: please enter a whole number" beside a choice
    that is fine, a search the form could never get past)."""
    if "min_nights_per_stay" in errors:
        why = errors["min_nights_per_stay"]
        errors["min_nights_per_stay"] = t(
            "plan_per_stay_refused", value=values["min_nights_per_stay"], why=why
        )
        values["min_nights_per_stay"] = ""


def _fit_groups(plan: dict[str, Any], t) -> list[dict[str, Any]]:
    """Why a plan fits, each reason said once: those every stay shares (the same need,
    met the same way) under "every stay", the others under the stay they belong to."""
    stays = plan["stays"]
    by_stay = [[f for f in plan["fits"] if f["stay_index"] == i] for i in range(len(stays))]
    if len(stays) == 1:
        return [{"label": None, "fits": by_stay[0]}] if by_stay[0] else []

    def key(f: dict[str, Any]) -> tuple:
        return (f["need"], f["met"], f["evidence"])

    shared = set.intersection(*({key(f) for f in fits} for fits in by_stay))
    common = [f for f in by_stay[0] if key(f) in shared]
    groups = [{"label": t("plan_why_all"), "fits": common}] if common else []
    for n, (stay, fits) in enumerate(zip(stays, by_stay, strict=True), 1):
        own = [f for f in fits if key(f) not in shared]
        if own:
            words = {"name": stay["product"]["name"], "place": stay["destination"]["name"]}
            groups.append({"label": t("plan_why_stay", n=n, **words), "fits": own})
    return groups


def _too_few_nights(error: dict[str, Any]) -> bool:
    """A ``PlanIn`` error that the nights are below 1 (its bound): the page says the
    shortest stay instead, the least a plan can have (``plans.shortest_stay_nights``)."""
    return tuple(error.get("loc", ())) == ("nights",) and error.get("type") == "greater_than_equal"


def _shortest(db, now) -> int:
    with runner.core_transaction(db) as conn:
        return plans.shortest_stay_nights(conn, now)


def _plan(db, body: PlanIn, now, lang) -> dict[str, Any]:
    """``POST /v1/plans``'s service on one read transaction (it writes nothing)."""
    with runner.core_transaction(db) as conn:
        return plans.make_plans(
            conn, body, caller=ANONYMOUS, now=now, lang=lang, say_date=formats.long_date
        )


def _route_name(db, key: str, lang: Lang) -> str | None:
    """The name of the route the address plans along, in the page's language; None for
    a code that names no route (the page then says so, and does not echo the code)."""
    with runner.core_transaction(db) as conn:
        found = queries.route_by_key(conn, parse_key(key))
    return None if found is None else pick(lang, found.route.name_zh, found.route.name_en)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return quote_schemas.QuoteIn.model_validate(value).model_dump(mode="json")


@router.post("/plan/choose")
@web.posts_again
async def choose(
    request: Request, quote_request: Annotated[str, Form(max_length=20000)] = ""
) -> Response:
    """Price a chosen plan (or a nudge's variation) with ``POST /v1/quotes``'s service and
    show it explained. The request is validated by ``QuoteIn`` like any quote."""
    try:
        body = quote_schemas.QuoteIn.model_validate_json(quote_request)
    except ValidationError:
        return web.error_page(request, 422, "error_bad_input")
    state = request.app.state
    try:
        new = await runner.in_thread(
            price_and_store,
            state.db,
            body,
            caller=ANONYMOUS,
            now=state.clock.now(),
            ttl_minutes=state.settings.quote_ttl_minutes,
        )
    except DomainError as exc:
        if exc.code in _PASSED:  # going back would only post the same plan again
            again = (_plan_again_url(body, state.clock.today()), web.text(request)("plan_again"))
            return web.error_page(request, exc.status, "plan_dates_passed", way_on=again)
        return web.error_page(request, exc.status, "error_generic", web.problem_words(request, exc))
    return RedirectResponse(f"/quotes/{new.id}", status_code=303)


# A chosen plan refused for a date now past: the plan was shown on an earlier day.
_PASSED = ("check_in_in_past", "travel_date_in_past")


def _plan_again_url(body: quote_schemas.QuoteIn, today) -> str:
    """The planner's form for the same party and length as a plan whose dates have
    passed (its guests and units, its nights in all, at most its number of stays), on
    the form's own new dates (from 60 days on, with a week to spare)."""
    nights = sum((item.check_out - item.check_in).days for item in body.items)
    values = _defaults(today)
    start = today + timedelta(days=60)
    values |= {
        "end": (start + timedelta(days=max(49, nights + 7))).isoformat(),
        "nights": str(nights),
        "guests": str(body.items[0].guests),
        "units": str(body.items[0].units),
        "max_stays": str(min(len(body.items), 4)),
    }
    return _replan_url(values, {}) or "/plan"
