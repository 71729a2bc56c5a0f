"""The console's sales rules and records: discount rules and their versions (change a
rule by adding a version), ticket stub batches with the register as CSV, and the audit
log. The same services as ``/v1/admin/rules``, ``/stub-issuers`` and ``/audit``.
"""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from service import query_params
from service.console import audit_words, forms, lists, session
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.console.text import CONSOLE_TEXT
from service.deps import ClockDep, SessionDep, WriteSessionDep
from service.i18n import pick
from service.operators import audit as operator_audit
from service.operators import lists as operator_lists
from service.operators import rules as operator_rules
from service.operators import stubs as operator_stubs
from service.operators.desk_endpoints import IssuerId, RuleId
from service.operators.lists import AuditFilters
from service.operators.schemas import RuleTermsIn, StubBatchIn
from service.operators.scope import RATES
from service.pages import formats, web

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

TIER_ROWS = 5  # tier rows on the form (empty rows are left out)
TIERED = ("long_stay", "advance_booking")
RULE_FIELDS = forms.mapper(
    {
        "name_zh": "name_zh",
        "name_en": "name_en",
        "bps": "bps",
        "tiers": "tiers",
        "check_in_from": "check_in_from",
        "check_in_to": "check_in_to",
        "booking_from": "booking_from",
        "booking_to": "booking_to",
    }
)


# --- discount rules ---------------------------------------------------------------------


def _rule_row(view, lang) -> dict[str, Any]:
    current = view.versions[-1]
    return {
        "id": view.rule.id,
        "key": view.rule.key,
        "kind": view.rule.kind,
        "name": pick(lang, current.name_zh, current.name_en),
        "version": view.rule.current_version,
        "is_active": view.rule.is_active,
        "terms": operator_rules.terms_json(current),
    }


@router.get("/rules")
@query_params.reads("cursor")
def rules_page(request: Request, operator: ConsoleOperatorDep, db_session: SessionDep) -> Response:
    """The rules a page at a time, by the API's pages (``operators.lists.rule_page``),
    the province-wide rules that price the operator's products among them by id, each
    once and marked read only (``operators.rules.list_rules``, ``province_wide``)."""
    lang = web.page_lang(request)
    shown = lists.listed(
        request,
        "/console/rules",
        lambda _filters, cursor: operator_lists.rule_page(
            db_session, operator, cursor=cursor, limit=lists.PAGE_SIZE, with_province_wide=True
        ),
    )
    rows = [
        _rule_row(v, lang) | {"province_wide": operator_rules.province_wide(operator, v)}
        for v in shown.items
    ]
    return session.render(
        request,
        operator,
        "console/rules.html",
        {
            "rows": rows,
            "listed": shown,
            # no rule of its own anywhere in the list (its pages may hold the province's)
            "none_own": not operator_rules.list_rules(db_session, operator, limit=1),
            "any_province_wide": any(r["province_wide"] for r in rows),
            "is_province": operator.is_province,
        },
        title=web.text(request)("rule_title"),
        nav="rules",
        status_code=shown.status,
    )


def _version_values(terms: dict[str, Any]) -> dict[str, Any]:
    """A version's terms as the form shows them (percentages, dates as text)."""
    values: dict[str, Any] = {
        "name_zh": terms["name_zh"],
        "name_en": terms["name_en"],
        "bps": forms.hundredths_input(terms["bps"]),
    }
    for f in ("check_in_from", "check_in_to", "booking_from", "booking_to"):
        values[f] = terms[f] or ""
    for i, tier in enumerate(terms["tiers"][:TIER_ROWS]):
        values[f"tier_{i}_threshold"] = str(tier["threshold"])
        values[f"tier_{i}_pct"] = forms.hundredths_input(tier["bps"])
    return values


def _rule_page(request, operator, db_session, rule_id, *, values=None, errors=None, status=200):
    lang = web.page_lang(request)
    view = operator_rules.rule_of(db_session, operator, rule_id)
    current = operator_rules.terms_json(view.versions[-1])
    versions = [
        {
            "version": v.version,
            "created_at": v.created_at,
            "created_by": v.created_by,
            "name": pick(lang, v.name_zh, v.name_en),
            "terms": operator_rules.terms_json(v),
        }
        for v in reversed(view.versions)
    ]
    return session.render(
        request,
        operator,
        "console/rule.html",
        {
            "rule": _rule_row(view, lang),
            "versions": versions,
            "tiered": view.rule.kind in TIERED,
            "tier_rows": range(TIER_ROWS),
            "may_change": operator.can(RATES) and view.rule.is_active,
            "values": values or _version_values(current),
            "errors": errors or {},
        },
        status_code=status,
        title=web.text(request)("rule_detail_title", name=_rule_row(view, lang)["name"]),
        nav="rules",
    )


@router.get("/rules/{rule_id}")
def rule_page(
    request: Request, rule_id: RuleId, operator: ConsoleOperatorDep, db_session: SessionDep
) -> Response:
    return _rule_page(request, operator, db_session, rule_id)


def terms_of_form(current: dict[str, Any], form: dict[str, Any], tiered: bool):
    """The next version's terms: the current ones with what the form changes (names,
    percentages, tiers, dates); the text keys of what could not be read; and the form's
    row of each tier. The tiers are sorted by threshold here, as the request model
    stores them, so a problem naming ``tiers[j]`` is said beside row ``rows[j]``."""
    terms = dict(current)
    unreadable: dict[str, str] = {}
    rows: list[int] = []
    for f in ("name_zh", "name_en"):
        terms[f] = str(form.get(f, "")).strip()
    for f in ("check_in_from", "check_in_to", "booking_from", "booking_to"):
        forms.read_into(terms, unreadable, f, form.get(f, ""), forms.iso_day, nullable=True)
    if tiered:
        read = []
        for i in range(TIER_ROWS):
            raw_n = str(form.get(f"tier_{i}_threshold", "")).strip()
            raw_p = str(form.get(f"tier_{i}_pct", "")).strip()
            if not raw_n and not raw_p:
                continue
            try:
                tier = {"threshold": forms.whole(raw_n), "bps": forms.hundredths(raw_p)}
                read.append((tier["threshold"], i, tier))
            except forms.Unreadable as exc:
                unreadable[f"tier_{i}_pct" if raw_n.isdigit() else f"tier_{i}_threshold"] = (
                    "error_percent" if exc.key == "error_money" else exc.key
                )
        read.sort(key=lambda r: r[0])
        terms["tiers"] = [tier for _threshold, _row, tier in read]
        rows = [row for _threshold, row, _tier in read]
    else:
        forms.read_into(terms, unreadable, "bps", form.get("bps", ""), forms.hundredths)
    return terms, unreadable, rows


def _rule_fields(rows: list[int]):
    """Where a problem is said: ``tiers[j].bps`` beside the percentage of the form row
    of tier ``j`` (``.threshold`` beside its threshold), anything else by
    ``RULE_FIELDS``."""

    def field_map(path: str) -> str | None:
        match = re.fullmatch(r"tiers\[(\d+)\](?:\.(threshold|bps))?", path)
        if match and int(match.group(1)) < len(rows):
            row = rows[int(match.group(1))]
            return f"tier_{row}_threshold" if match.group(2) == "threshold" else f"tier_{row}_pct"
        return RULE_FIELDS(path)

    return field_map


@router.post("/rules/{rule_id}/versions")
async def add_version(
    request: Request,
    rule_id: RuleId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    from service import runner

    form = forms.form_dict(await request.form())
    return await runner.in_thread(_add_version, request, rule_id, operator, db_session, clock, form)


def _add_version(request, rule_id, operator, db_session, clock, form) -> Response:
    view = operator_rules.rule_of(db_session, operator, rule_id)
    current = operator_rules.terms_json(view.versions[-1])
    terms, unreadable, rows = terms_of_form(current, form, view.rule.kind in TIERED)

    def validate() -> RuleTermsIn:
        return RuleTermsIn.model_validate(terms)

    def work() -> None:
        operator_rules.add_version(
            db_session, operator, rule_id, terms=validate().terms(), now=clock.now()
        )

    errors, status = forms.attempt(
        request, db_session, work, _rule_fields(rows), unreadable=unreadable, validate=validate
    )
    if errors:
        return _rule_page(
            request, operator, db_session, rule_id, values=form, errors=errors, status=status
        )
    return RedirectResponse(f"/console/rules/{rule_id}?done=version", status_code=303)


@router.post("/rules/{rule_id}/retire")
def retire_rule(
    request: Request,
    rule_id: RuleId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    operator_rules.retire(db_session, operator, rule_id, now=clock.now())
    return RedirectResponse(f"/console/rules/{rule_id}?done=retired", status_code=303)


# --- ticket stubs -----------------------------------------------------------------------


def _stubs_page(
    request, operator, db_session, *, values=None, errors=None, issued=None, status=200
):
    """The issuers a page at a time, by the API's pages (``operators.lists.issuer_page``),
    each with its register; the batch form, for who may issue (an operator admin), chooses
    among the issuers at its own destinations (``_issuer_groups``)."""
    lang = web.page_lang(request)

    def said(i) -> dict[str, Any]:
        return {"id": i.id, "name": pick(lang, i.name_zh, i.name_en), "kind": i.kind}

    may_issue = operator.can(RATES)

    shown = lists.listed(
        request,
        "/console/stubs",
        lambda _filters, cursor: operator_lists.issuer_page(
            db_session, operator, cursor=cursor, limit=lists.PAGE_SIZE
        ),
    )
    return session.render(
        request,
        operator,
        "console/stubs.html",
        {
            "any_issuer": bool(operator_stubs.issuers_of(db_session, operator, limit=1)),
            "issuer_groups": _issuer_groups(db_session, operator, lang) if may_issue else [],
            "listed": shown,
            "page_issuers": [said(i) for i in shown.items],
            "may_issue": may_issue,
            "values": values or {"count": "50", "persons": "2"},
            "errors": errors or {},
            "issued": issued,
        },
        status_code=status if errors else shown.status,
        title=web.text(request)("stub_title"),
        nav="stubs",
    )


def _issuer_groups(db_session, operator, lang: str) -> list[tuple[str | None, list]]:
    """The batch form's choice: the issuers the operator may issue for (those at its
    destinations: ``stubs.issuers_of``, the service's own scope), by name, under their
    destination's name when it has more than one (one group without a name when it has
    one). Only an operator admin issues, so the choice never holds the province's
    hundreds of issuers, only the few at one operator's places."""
    names = dict(lists.destinations(db_session, operator, lang))
    groups: dict[int | None, list[tuple[int, str]]] = {}
    for i in operator_stubs.issuers_of(db_session, operator):
        groups.setdefault(i.destination_id, []).append((i.id, pick(lang, i.name_zh, i.name_en)))
    out = [(names.get(d), sorted(rows, key=lambda r: r[1])) for d, rows in groups.items()]
    if len(out) == 1:
        return [(None, out[0][1])]
    return sorted(out, key=lambda g: g[0] or "")


@router.get("/stubs")
@query_params.reads("cursor")
def stubs_page(request: Request, operator: ConsoleOperatorDep, db_session: SessionDep) -> Response:
    return _stubs_page(request, operator, db_session)


@router.post("/stubs")
def issue_stubs(
    request: Request,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
    issuer_id: Annotated[str, Form(max_length=12)] = "",
    count: Annotated[str, Form(max_length=12)] = "",
    visit_date: Annotated[str, Form(max_length=20)] = "",
    persons: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    values = {"issuer_id": issuer_id, "count": count, "visit_date": visit_date, "persons": persons}
    unreadable: dict[str, str] = {}
    read: dict[str, Any] = {"visit_date": visit_date}  # the issuer and the batch, as read
    for name in ("issuer_id", "count", "persons"):
        forms.read_into(read, unreadable, name, values[name], forms.whole)
    issued: dict[str, Any] = {}

    def validate() -> StubBatchIn:
        return StubBatchIn.model_validate(
            {k: read[k] for k in ("count", "visit_date", "persons") if k in read}
        )

    def work() -> None:
        body = validate()
        rows = operator_stubs.issue_batch(
            db_session,
            operator,
            read["issuer_id"],
            count=body.count,
            visit_date=body.visit_date,
            persons=body.persons,
            now=clock.now(),
        )
        issued.update(
            issuer_id=read["issuer_id"],
            codes=[r.code for r in rows],
            visit_date=body.visit_date,
        )

    errors, status = forms.attempt(
        request,
        db_session,
        work,
        forms.mapper({k: k for k in values}),
        not_found_is_a_page=False,
        unreadable=unreadable,
        validate=validate,
    )
    return _stubs_page(
        request,
        operator,
        db_session,
        values=values,
        errors=errors,
        issued=issued or None,
        status=status if errors else 200,
    )


@router.get("/stubs/{issuer_id}/stubs.csv")
def stubs_csv(
    issuer_id: IssuerId,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
    visit_date: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    day = None
    if visit_date:
        try:
            day = forms.day(visit_date)
        except forms.Unreadable:  # not a date: the whole register
            day = None
    text = operator_stubs.register_csv(db_session, operator, issuer_id, day)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="stubs-{issuer_id}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


# --- the audit log ----------------------------------------------------------------------

# The actions an entry can name (``action_<code>`` in the console's text).
AUDIT_ACTIONS = tuple(k.removeprefix("action_") for k in CONSOLE_TEXT if k.startswith("action_"))


@router.get("/audit")
@query_params.reads(*AuditFilters.model_fields, "cursor")
def audit_page(request: Request, operator: ConsoleOperatorDep, db_session: SessionDep) -> Response:
    """The log by the API's filters and pages (``operators.lists.audit_page``): a kind
    not in the list said beside the choice (a hand-typed or old link), never an empty
    log read as "nothing changed"; another destination's id, as the API, a 404."""
    t = web.text(request)
    shown = lists.listed(
        request,
        "/console/audit",
        lambda filters, cursor: operator_lists.audit_page(
            db_session, operator, filters, cursor=cursor, limit=lists.PAGE_SIZE
        ),
        filters=AuditFilters,
        readers={
            "destination_id": forms.whole,
            "changed_from": forms.iso_day,
            "changed_to": forms.iso_day,
        },
        unknown="audit_unknown_parameter",
    )
    rows = shown.items
    lang = web.page_lang(request)

    def day(iso: str) -> str:
        return formats.long_date(iso, lang)

    return session.render(
        request,
        operator,
        "console/audit.html",
        {
            "rows": [
                (e, audit_words.entry_said(e.action, e.before, e.after, lang, day)) for e in rows
            ],
            "values": shown.values,
            "errors": shown.errors,
            "destinations": lists.destinations(db_session, operator, lang),
            "entities": operator_audit.ENTITIES,
            "names": {e: t(f"entity_{e}") for e in operator_audit.ENTITIES},
            # what each entry is about by name, not "product 1" (else its id)
            "named": {
                key: pick(lang, zh, en)
                for key, (zh, en) in operator_audit.names_of(db_session, rows).items()
            },
            "actions": {a: t(f"action_{a}") for a in AUDIT_ACTIONS},
            "listed": shown,
        },
        title=t("audit_title"),
        nav="audit",
        status_code=shown.status,
    )
