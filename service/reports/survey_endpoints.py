"""HTTP of the satisfaction survey: ``/v1/bookings/{reference}/survey``.

Reached like the booking itself (the traveller's ``X-Booking-Token``, or the partner's
key that made it: ``service.bookings.service.find_for_caller``); anything else is 404.
"""

from typing import Any

from fastapi import APIRouter, Response

from service.auth import CallerDep
from service.bookings.endpoints import BookingToken, Reference
from service.bookings.service import find_for_caller
from service.deps import ClockDep, SessionDep, SettingsDep, WriteSessionDep
from service.errors import problems
from service.i18n import LangDep, pick
from service.reports import schemas, survey
from service.reports.models import ASPECTS

router = APIRouter(prefix="/v1/bookings", tags=["survey"])


def stay_states(states: list[survey.StayState], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "item_index": s.item_index,
            "product_name": pick(lang, s.product_name_zh, s.product_name_en),
            "check_in": s.check_in,
            "check_out": s.check_out,
            "open": s.open,
            "answered": s.answered,
            "opens": s.opens,
        }
        for s in states
    ]


@router.get(
    "/{reference}/survey",
    response_model=schemas.SurveyState,
    summary="The booking's stays and which of them can be rated",
    description="A stay can be rated once, from its check-out date, unless its booking was "
    "cancelled or the stay was a no-show.",
    responses=problems(401, 404, 422, 429),
)
def read_survey(
    reference: Reference,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    lang: LangDep,
    token: BookingToken = None,
) -> Any:
    booking = find_for_caller(session, reference, caller=caller, token=token, settings=settings)
    states = survey.states(session, booking, clock.today())
    return {"reference": booking.reference, "stays": stay_states(states, lang)}


@router.post(
    "/{reference}/survey",
    status_code=201,
    response_model=schemas.SurveyAnswer,
    summary="Rate a stay (one answer per stay)",
    description=(
        "Overall and by aspect (accommodation, medical access, food, activities, value, "
        "elder-friendliness), 1–5, and a comment, stored without phone numbers, ID numbers "
        "or the booking's names. The same answer sent again (a retry) is 200 with the "
        "stored answer; 409 `survey_not_open` before the stay has ended (its check-out "
        "date, or the front desk marking it `completed`: `opens` gives the check-out "
        "date), for a cancelled or expired booking or a no-show; 409 `survey_answered` "
        "for a different second answer; 422 "
        "`unknown_item` for a stay the booking does not have."
    ),
    responses={
        200: {"model": schemas.SurveyAnswer, "description": "The same answer, sent again"},
        **problems(401, 404, 409, 413, 422, 429),
    },
)
def answer_survey(
    response: Response,
    reference: Reference,
    body: schemas.SurveyIn,
    caller: CallerDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    token: BookingToken = None,
) -> Any:
    booking = find_for_caller(session, reference, caller=caller, token=token, settings=settings)
    row, created = survey.submit(
        session,
        booking,
        item_index=body.item_index,
        scores={"overall": body.overall, **{a: getattr(body, a) for a in ASPECTS}},
        comment=body.comment,
        now=clock.now(),
        today=clock.today(),
    )
    response.status_code = 201 if created else 200
    return {
        "item_index": body.item_index,
        "overall": row.overall,
        **{a: getattr(row, a) for a in ASPECTS},
        "comment": row.comment,
    }
