"""The console's destinations: the facts travellers choose by (descriptions, facilities,
certifications), changed through the same service as ``PATCH
/v1/admin/destinations/{id}`` with the same request model (``DestinationFactsIn``)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from catalog.vocab import CERTIFICATION_NAMES
from service import runner
from service.console import forms, session
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.deps import ClockDep, SessionDep, WriteSessionDep
from service.i18n import pick
from service.operators import catalogue
from service.operators.catalogue_endpoints import DestinationId
from service.operators.catalogue_schemas import DestinationFactsIn
from service.operators.scope import CATALOGUE, destination_of, visible_destination_ids
from service.pages import web

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

FACILITIES = (
    "medical_insurance_station",
    "cross_province_settlement",
    "elder_friendly_rooms",
    "has_5g",
)
FACT_FIELDS = forms.mapper(
    {
        "description_zh": "description_zh",
        "description_en": "description_en",
        "nearest_hospital_km": "nearest_hospital_km",
        "certifications": "certifications",
    }
)


@router.get("/destinations")
def destinations_page(
    request: Request, operator: ConsoleOperatorDep, db_session: SessionDep
) -> Response:
    lang = web.page_lang(request)
    rows = [
        {"id": d, "name": pick(lang, row.name_zh, row.name_en)}
        for d in visible_destination_ids(db_session, operator)
        for row in [destination_of(db_session, operator, d, "destination_id")]
    ]
    return session.render(
        request,
        operator,
        "console/destinations.html",
        {"rows": rows},
        title=web.text(request)("dest_facts_title"),
        nav="destinations",
    )


def _values(d) -> dict[str, Any]:
    values: dict[str, Any] = {
        "description_zh": d.description_zh,
        "description_en": d.description_en,
        "nearest_hospital_km": _km_input(d.nearest_hospital_km),
        "certifications": list(d.certifications or []),
    }
    for f in FACILITIES:
        values[f] = "on" if getattr(d, f) else ""
    return values


def _page(request, operator, db_session, destination_id, *, values=None, errors=None, status=200):
    lang = web.page_lang(request)
    d = destination_of(db_session, operator, destination_id, "destination_id")
    return session.render(
        request,
        operator,
        "console/destination.html",
        {
            "d": d,
            "name": pick(lang, d.name_zh, d.name_en),
            "facilities": FACILITIES,
            "cert_choices": [
                (c, pick(lang, zh, en)) for c, (zh, en) in CERTIFICATION_NAMES.items()
            ],
            "may_change": operator.can(CATALOGUE),
            "values": values or _values(d),
            "errors": errors or {},
        },
        status_code=status,
        title=pick(lang, d.name_zh, d.name_en),
        nav="destinations",
    )


@router.get("/destinations/{destination_id}")
def destination_page(
    request: Request,
    destination_id: DestinationId,
    operator: ConsoleOperatorDep,
    db_session: SessionDep,
) -> Response:
    return _page(request, operator, db_session, destination_id)


def facts_of_form(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as a ``DestinationFactsIn`` body (an unchecked box is "no"), and the
    text keys of unreadable fields."""
    body: dict[str, Any] = {
        "description_zh": str(form.get("description_zh", "")),
        "description_en": str(form.get("description_en", "")),
    }
    for f in FACILITIES:
        body[f] = form.get(f) == "on"
    raw = form.get("certifications") or []
    body["certifications"] = raw if isinstance(raw, list) else [raw]
    unreadable: dict[str, str] = {}
    forms.read_into(
        body, unreadable, "nearest_hospital_km", form.get("nearest_hospital_km", ""), _km
    )
    return body, unreadable


def _km_input(km: float) -> str:
    """A distance typed back into its field as ``_km`` reads it, to the hundredth, no
    trailing zeros (``12.5``, ``12``): never ``1e-07``, which the form could not read
    back (a distance stored finer than a hundredth, through the API, shows rounded and
    is saved so with the form)."""
    return forms.yuan_input(round(km * 100)).rstrip("0").rstrip(".")


def _km(raw: str) -> float:
    """Kilometres as typed (``12.5``), read as an amount with two decimals is."""
    try:
        return forms.fen(raw) / 100
    except forms.Unreadable:
        raise forms.Unreadable("error_km") from None


@router.post("/destinations/{destination_id}")
async def edit_destination(
    request: Request,
    destination_id: DestinationId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = forms.form_dict(await request.form())
    return await runner.in_thread(_edit, request, destination_id, operator, db_session, clock, form)


def _edit(request, destination_id, operator, db_session, clock, form) -> Response:
    body, unreadable = facts_of_form(form)

    def validate() -> DestinationFactsIn:
        return DestinationFactsIn.model_validate(body)

    def work() -> None:
        changes = validate().model_dump(exclude_unset=True)
        catalogue.update_destination(db_session, operator, destination_id, changes, now=clock.now())

    errors, status = forms.attempt(
        request, db_session, work, FACT_FIELDS, unreadable=unreadable, validate=validate
    )
    if errors:
        return _page(
            request,
            operator,
            db_session,
            destination_id,
            values=form,
            errors=errors,
            status=status,
        )
    return RedirectResponse(f"/console/destinations/{destination_id}?done=1", status_code=303)
