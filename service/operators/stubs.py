"""Ticket stubs (票根) issued by an operator's scenic area or resort: a batch of codes,
and the register as CSV for printing.

An issuer is the operator's when it stands at one of the operator's destinations
(transit-line issuers belong to no destination: the province reads them). Codes are
``STUB-<10 random characters>`` (no 0/O, 1/I): unguessable, so a code cannot be made up
to collect a discount. Issuing needs the ``rates`` permission (stubs earn discounts).
"""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from catalog.models import StubIssuer, TicketStub
from service import spreadsheet
from service.clock import local_date
from service.operators import audit, errors
from service.operators.scope import RATES, Operator, scoped
from service.pagination import keyset

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_BATCH = 1000


def issuer_of(session: Session, operator: Operator, issuer_id: int) -> StubIssuer:
    row = session.exec(
        scoped(select(StubIssuer), operator, StubIssuer.destination_id).where(
            StubIssuer.id == issuer_id
        )
    ).first()
    if row is None:
        raise errors.not_found("issuer", issuer_id, "issuer_id")
    return row


def issuers_of(
    session: Session,
    operator: Operator,
    *,
    after_id: int | None = None,
    limit: int | None = None,
    backward: bool = False,
) -> list[StubIssuer]:
    """The stub issuers at the operator's destinations (the province: all, the transit
    lines' too), by id (a page: after ``after_id``, at most ``limit``; ``backward``,
    ``pagination.keyset``)."""
    stmt = scoped(select(StubIssuer), operator, StubIssuer.destination_id)
    stmt = keyset(stmt, StubIssuer.id, after_id, backward=backward)
    return list(session.exec(stmt.limit(limit)))


def new_code() -> str:
    return "STUB-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def issue_batch(
    session: Session,
    operator: Operator,
    issuer_id: int,
    *,
    count: int,
    visit_date: date,
    persons: int,
    now: datetime,
) -> list[TicketStub]:
    issuer = issuer_of(session, operator, issuer_id)
    operator.require(RATES)
    errors.not_in_past(visit_date, local_date(now), "visit_date")
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    taken = set(session.exec(select(TicketStub.code).where(TicketStub.code.in_(codes))).all())
    codes -= taken
    while len(codes) < count:  # a collision in 32^10 codes: draw again
        code = new_code()
        if code not in taken:
            codes.add(code)
    rows = [
        {"code": c, "issuer_id": issuer.id, "visit_date": visit_date, "persons": persons}
        for c in sorted(codes)
    ]
    session.connection().execute(sa.insert(TicketStub.__table__), rows)
    audit.record(
        session,
        operator,
        now=now,
        action="issue_stubs",
        entity="issuer",
        entity_id=issuer.id,
        destination_id=issuer.destination_id,
        after={"count": count, "visit_date": visit_date.isoformat(), "persons": persons},
    )
    return list(
        session.exec(
            select(TicketStub).where(TicketStub.code.in_(sorted(codes))).order_by(TicketStub.code)
        )
    )


def register_csv(
    session: Session, operator: Operator, issuer_id: int, visit_date: date | None
) -> str:
    """The issuer's stubs (one visit date, or all) as CSV: code, visit date, persons,
    used (yes/no)."""
    issuer = issuer_of(session, operator, issuer_id)
    stmt = select(TicketStub).where(TicketStub.issuer_id == issuer.id)
    if visit_date is not None:
        stmt = stmt.where(TicketStub.visit_date == visit_date)
    rows = [
        [
            stub.code,
            issuer.code,
            stub.visit_date.isoformat(),
            stub.persons,
            "yes" if stub.used_by_booking_id else "no",
        ]
        for stub in session.exec(stmt.order_by(TicketStub.visit_date, TicketStub.code))
    ]
    header = ["code", "issuer", "visit_date", "persons", "used"]
    return spreadsheet.csv_text([header, *rows], lineterminator="\n")
