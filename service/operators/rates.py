"""The public history of nightly rates: ``GET /v1/products/{id_or_slug}/rate-history``
(明码标价).

Every change of a night's effective rate made through the calendar is kept
(``rate_change``), newest first; anyone may read it, as anyone may read the rates.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import select

from catalog.models import RateChange
from service.auth import KEY_CHECKED
from service.catalog.endpoints import IdOrSlug
from service.catalog.service import find_product
from service.deps import SessionDep
from service.errors import problems
from service.operators import schemas
from service.pagination import Cursor, Listing

router = APIRouter(prefix="/v1", tags=["catalogue"], dependencies=KEY_CHECKED)


@router.get(
    "/products/{id_or_slug}/rate-history",
    response_model=schemas.RateHistoryPage,
    summary="The public history of a product's nightly rates",
    description=(
        "Every change of a night's rate made by its operator: when, which nights "
        "(`first_night`..`last_night`, inclusive), the rate before and after. Newest first. "
        "A change never moves a night before the day it was made (Asia/Shanghai): what was "
        "sold or published for past nights is history."
    ),
    responses=problems(404, 422),
)
def rate_history(
    id_or_slug: IdOrSlug,
    session: SessionDep,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    product_id = find_product(session, id_or_slug).id
    stmt = select(RateChange).where(RateChange.product_id == product_id)
    # one list per product, by id or slug alike
    listing = Listing("/v1/products/{id_or_slug}/rate-history", {"product_id": product_id})
    before = listing.after_id(cursor)
    if before is not None:
        stmt = stmt.where(RateChange.id < before)
    rows = list(session.exec(stmt.order_by(RateChange.id.desc()).limit(limit + 1)))
    page = rows[:limit]
    return schemas.RateHistoryPage(
        items=[
            schemas.RateChangeOut(
                id=r.id,
                changed_at=r.changed_at,
                first_night=r.first_night.isoformat(),
                last_night=r.last_night.isoformat(),
                old_rate_fen=r.old_rate_fen,
                new_rate_fen=r.new_rate_fen,
                source=r.source,
            )
            for r in page
        ],
        next=listing.next_of(rows, limit, lambda r: [r.id]),
    )
