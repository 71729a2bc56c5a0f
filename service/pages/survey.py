"""The satisfaction survey page: ``/manage/survey`` (the booking kept in the cookie).

It calls the same services as ``GET``/``POST /v1/bookings/{reference}/survey``
(``service.reports.survey``) with the same request model (``SurveyIn``).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from service import query_params
from service.auth import ANONYMOUS
from service.bookings.service import find_for_caller
from service.deps import ClockDep, SessionDep, WriteSessionDep
from service.errors import DomainError
from service.pages import forms, refusals, web
from service.pages.manage import kept_booking, to_sign_in
from service.reports import schemas, survey
from service.reports.models import ASPECTS, SCORES
from service.reports.survey_endpoints import stay_states

router = APIRouter(route_class=web.PageRoute, include_in_schema=False)


def _booking(request: Request, session: Session):
    reference, token, _ = kept_booking(request)
    return find_for_caller(
        session, reference, caller=ANONYMOUS, token=token, settings=request.app.state.settings
    )


def _page(request, session, today, *, errors=None, values=None, status_code=200) -> Response:
    booking = _booking(request, session)
    stays = stay_states(survey.states(session, booking, today), web.page_lang(request))
    return web.render(
        request,
        "survey.html",
        {
            "nav": "manage",
            "reference": booking.reference,
            "stays": stays,
            "open": [s for s in stays if s["open"]],
            # none open: rated already (all, or those that could be), or none yet
            "rated": sum(1 for s in stays if s["answered"]),
            "aspects": ASPECTS,
            "errors": errors or {},
            "values": values or {},
            "thanks": query_params.read(request).get("thanks") == "1",
        },
        status_code=status_code,
        title=web.text(request)("survey_title"),
    )


@router.get("/manage/survey")
@query_params.reads("thanks")  # the address the answers' POST sends back to
def survey_page(request: Request, session: SessionDep, clock: ClockDep) -> Response:
    if kept_booking(request) is None:
        return to_sign_in()
    return _page(request, session, clock.today())


def _field(path: str) -> str | None:
    return path if path in (*SCORES, "comment", "item_index") else None


@router.post("/manage/survey")
@web.says_repeated
def answer(
    request: Request,
    session: WriteSessionDep,
    clock: ClockDep,
    # No length of their own (the body's limit bounds them, as every page form's): a
    # value too long for its field is ``SurveyIn``'s to refuse beside it, in the page's
    # words. ``Form(max_length=2)`` answered a score of 100, or a comment past 2,000
    # characters, with the generic page of a link before the handler ran.
    item_index: Annotated[str, Form()] = "",
    overall: Annotated[str, Form()] = "",
    accommodation: Annotated[str, Form()] = "",
    medical_access: Annotated[str, Form()] = "",
    food: Annotated[str, Form()] = "",
    activities: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    elder_friendliness: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> Response:
    if kept_booking(request) is None:
        return to_sign_in()
    raw = {
        "item_index": item_index,
        "overall": overall,
        "accommodation": accommodation,
        "medical_access": medical_access,
        "food": food,
        "activities": activities,
        "value": value,
        "elder_friendliness": elder_friendliness,
    }
    # Read as every page form's numbers are (``forms.number``: ``５`` and ``²`` are 5 and
    # 2, as on the quote form); what is still no whole number goes to ``SurveyIn`` as
    # text, said beside its field. ``int()`` of what ``str.isdigit`` admits was a 500.
    data: dict[str, Any] = {k: forms.number(v) if v.strip() else None for k, v in raw.items()}
    data["comment"] = comment
    raw["comment"] = comment
    if repeated := web.repeated_errors(request, (*SCORES, "comment", "item_index")):
        # a field sent twice is said beside it, never read as its last value
        return _page(request, session, clock.today(), errors=repeated, values=raw, status_code=422)
    try:
        body = schemas.SurveyIn.model_validate(data)
        booking = _booking(request, session)
        survey.submit(  # a repeat of the same answer thanks again
            session,
            booking,
            item_index=body.item_index,
            scores={s: getattr(body, s) for s in SCORES},
            comment=body.comment,
            now=clock.now(),
            today=clock.today(),
        )
    except ValidationError as exc:
        errors = web.validation_errors(request, exc.errors(), _field)
        if "item_index" in errors and data["item_index"] is not None:
            # The stay is chosen from the list: any other value (-1, 9999, "x") is none
            # of this booking's stays, said as the service says an index it has not.
            lang = web.page_lang(request)
            errors["item_index"] = refusals.problem_text("unknown_item", lang, "")
        return _page(request, session, clock.today(), errors=errors, values=raw, status_code=422)
    except DomainError as exc:
        if exc.status == 404:
            raise
        errors = web.form_errors(request, exc, _field)
        return _page(request, session, clock.today(), errors=errors, values=raw, status_code=422)
    return RedirectResponse("/manage/survey?thanks=1", status_code=303)
