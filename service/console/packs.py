"""The console's page of one add-on pack (``/console/packs/{pack_id}``): its facts, the
products that offer it and, for who may change the catalogue, its form. The form
changes what ``PATCH /v1/admin/packs/{pack_id}`` changes (kind, names, descriptions,
price, basis; the code and the destination stay), through the same request model
(``PackPatch``) and the same service (``operators.catalogue.update_pack``: scope, role,
audit), so the page and the API refuse alike and the audit log says both alike. A pack
has no retired state in the API; a product stops offering it on the product's page
(``set_product_packs``). The list and the new pack's form are ``console.catalogue``'s.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from service import runner
from service.console import forms, session
from service.console.catalogue import PACK_BASES, PACK_KINDS
from service.console.session import ConsoleOperatorDep, ConsoleRoute
from service.deps import ClockDep, SessionDep, WriteSessionDep
from service.i18n import pick
from service.operators import catalogue
from service.operators.catalogue_endpoints import PackId
from service.operators.catalogue_schemas import PackPatch
from service.operators.scope import CATALOGUE, destination_of
from service.pages import web

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

NAMES = ("name_zh", "name_en")
DESCRIPTIONS = ("description_zh", "description_en")
PACK_FIELDS = forms.mapper({n: n for n in ("kind", *NAMES, *DESCRIPTIONS, "price_fen", "basis")})


def pack_values(pack: Any) -> dict[str, str]:
    """The stored pack as its form shows it (the price in yuan), so saving the form
    unchanged changes nothing."""
    return {
        **{n: getattr(pack, n) for n in ("kind", *NAMES, *DESCRIPTIONS, "basis")},
        "price_fen": forms.yuan_input(pack.price_fen),
    }


def pack_changes(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as a ``PackPatch`` body (every field: one left as it is changes
    nothing), and the text keys of the fields it could not read. A description is taken
    as typed: the API's rule for it (``Description``: no line breaks, at most 4000
    characters) is said beside it, as for the destination's."""
    body: dict[str, Any] = {n: str(form.get(n, "")).strip() for n in ("kind", *NAMES, "basis")}
    for name in DESCRIPTIONS:
        body[name] = str(form.get(name, ""))
    unreadable: dict[str, str] = {}
    forms.read_into(body, unreadable, "price_fen", form.get("price_fen", ""), forms.fen)
    return body, unreadable


def _pack_page(request, operator, db_session, pack_id, *, values=None, errors=None, status=200):
    """One pack: another destination's is 404, as an unknown id (``pack_of``)."""
    lang = web.page_lang(request)
    pack = catalogue.pack_of(db_session, operator, pack_id, "pack_id")
    place = destination_of(db_session, operator, pack.destination_id, "destination_id")
    offering = set(catalogue.products_offering(db_session, pack.id))
    products = [
        (p.id, pick(lang, p.name_zh, p.name_en))
        for p in catalogue.products_in_scope(
            db_session, operator, destination_id=pack.destination_id
        )
        if p.id in offering
    ]
    name = pick(lang, pack.name_zh, pack.name_en)
    return session.render(
        request,
        operator,
        "console/pack.html",
        {
            "pack": pack,
            "name": name,
            "description": pick(lang, pack.description_zh, pack.description_en),
            "destination": pick(lang, place.name_zh, place.name_en),
            "products": products,
            "kinds": PACK_KINDS,
            "bases": PACK_BASES,
            "may_change": operator.can(CATALOGUE),
            "values": values or pack_values(pack),
            "errors": errors or {},
        },
        status_code=status,
        title=name,
        nav="products",
    )


@router.get("/packs/{pack_id}")
def pack_page(
    request: Request, pack_id: PackId, operator: ConsoleOperatorDep, db_session: SessionDep
) -> Response:
    return _pack_page(request, operator, db_session, pack_id)


@router.post("/packs/{pack_id}")
async def edit_pack(
    request: Request,
    pack_id: PackId,
    operator: ConsoleOperatorDep,
    db_session: WriteSessionDep,
    clock: ClockDep,
) -> Response:
    form = forms.form_dict(await request.form())
    return await runner.in_thread(_edit_pack, request, pack_id, operator, db_session, clock, form)


def _edit_pack(request, pack_id, operator, db_session, clock, form) -> Response:
    body, unreadable = pack_changes(form)

    def validate() -> PackPatch:
        return PackPatch.model_validate(body)

    def work() -> None:
        changes = validate().model_dump(exclude_unset=True)
        catalogue.update_pack(db_session, operator, pack_id, changes, now=clock.now())

    errors, status = forms.attempt(
        request, db_session, work, PACK_FIELDS, unreadable=unreadable, validate=validate
    )
    if errors:
        return _pack_page(
            request, operator, db_session, pack_id, values=form, errors=errors, status=status
        )
    return RedirectResponse(f"/console/packs/{pack_id}?done=saved", status_code=303)
