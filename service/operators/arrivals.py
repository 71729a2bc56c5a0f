"""The front desk's arrivals and departures over a range of days, as rows for a
spreadsheet: ``GET /v1/admin/arrivals`` (JSON, CSV, Excel) and the console's
``/console/arrivals``, one service for both.

One row per stay of the operator's destinations that checks in or checks out on a day
``from``..``to`` (both included, at most ``MAX_DAYS``), by check-in, then reference,
then the stay's index. Checked in the admin API's order: the destination's scope (404
naming ``destination_id``, as the bookings list: ``lists.in_scope``), then the range
(422 ``invalid_range`` or ``range_too_long`` naming ``to``, ``errors.check_days``).
The stays are the dashboard's rule (``bookings.stays_moving``); the names and phones
are the booking page's (``bookings.personal_data``: in clear to the operator of the
booked destination, masked for the province). Reading is not audited, as no read of a
booking is (docs/personal-data.md); nothing here is logged.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field
from sqlmodel import Session, select

from catalog.models import Destination
from service import spreadsheet
from service.i18n import pick
from service.operators import arrivals_sheet, errors
from service.operators.booking_list import BookingStatus
from service.operators.bookings import (
    EXPECTED,
    OperatorBooking,
    personal_data,
    stays_moving,
)
from service.operators.lists import DestinationFilter, in_scope
from service.operators.scope import Operator
from service.text import IsoDate

MAX_DAYS = 31  # a month of arrivals at most: a front desk prepares days, not seasons
FORMATS = ("json", "csv", "xlsx")
FILE_FORMATS = ("csv", "xlsx")
Format = Literal[FORMATS]
FileFormat = Literal[FILE_FORMATS]
# The columns of a row, in order: the JSON's members and the spreadsheets' header.
COLUMNS = (
    "reference",
    "destination_id",
    "product",
    "check_in",
    "check_out",
    "nights",
    "units",
    "guests",
    "movement",
    "lead_name",
    "lead_phone",
    "guest_names",
    "status",
    "stay_status",
)
ARRIVAL, DEPARTURE, BOTH = "arrival", "departure", "arrival_and_departure"
# Private to whoever asked: no shared cache (a proxy, a CDN) keeps names and phones,
# and no browser keeps the file either.
HEADERS = {"Cache-Control": "private, no-store"}


class ArrivalsFilters(DestinationFilter):
    """Which stays: the days (``from``, ``to``, both included), a destination of the
    caller's (left out: all of them) and a booking status (left out: any)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    first: IsoDate = Field(alias="from")
    to: IsoDate
    status: BookingStatus | None = None


class ArrivalsExport(ArrivalsFilters):
    """The console's form: the filters and the file's format."""

    format: FileFormat = "csv"


@dataclass(frozen=True)
class Arrivals:
    filters: ArrivalsFilters
    rows: list[dict[str, Any]]
    lang: str = "zh-CN"
    names: dict[int, str] = field(default_factory=dict)  # the destinations', in ``lang``
    as_of: datetime | None = None

    def table(self) -> list[list[Any]]:
        """The header and the rows, the one table CSV and Excel write."""
        return [list(COLUMNS), *([row[c] for c in COLUMNS] for row in self.rows)]

    def file(self, fmt: str) -> tuple[bytes, str, str]:
        """(body, media type, ``Content-Disposition``) of the ``csv`` or ``xlsx`` file,
        named by its days (and destination): ``arrivals-2027-07-01-2027-07-03.csv``."""
        f = self.filters
        name = spreadsheet.attachment(
            "arrivals", f.first.isoformat(), f.to.isoformat(), f.destination_id, f.status,
            ext=fmt,
        )  # fmt: skip
        if fmt == "xlsx":
            return self.workbook(), spreadsheet.XLSX_TYPE, name
        return spreadsheet.csv_bytes(self.table()), spreadsheet.CSV_TYPE, name

    def workbook(self) -> bytes:
        """The Excel workbook: the readable sheet in ``lang`` (``arrivals_sheet``), then
        the machine sheet ``arrivals``, the CSV's table."""
        f, lang = self.filters, self.lang
        shown = [self.names[f.destination_id]] if f.destination_id in self.names else [
            self.names[d] for d in dict.fromkeys(r["destination_id"] for r in self.rows)
            if d in self.names
        ]  # fmt: skip
        head = arrivals_sheet.title(f.first, f.to, shown, self.as_of, lang)
        readable = arrivals_sheet.readable(COLUMNS, self.rows, lang, self.names, head)
        return spreadsheet.xlsx_book([readable, spreadsheet.Sheet("arrivals", self.table())])


def _movement(first: date, last: date, check_in: date, check_out: date) -> str:
    arrives, departs = first <= check_in <= last, first <= check_out <= last
    return BOTH if arrives and departs else ARRIVAL if arrives else DEPARTURE


def arrivals(
    session: Session,
    operator: Operator,
    filters: ArrivalsFilters,
    lang: str,
    now: datetime | None = None,
) -> Arrivals:
    """The stays arriving or departing within the filters' days, as rows (``COLUMNS``):
    the product in ``lang``; the lead traveller's name and phone and the guests' names
    in clear to the operator of the booked destination, masked for the province; the
    destinations' names in ``lang`` and ``now`` for the workbook's readable sheet."""
    in_scope(session, operator, filters)
    errors.check_days(filters.first, filters.to, last_field="to", most=MAX_DAYS)
    stays = stays_moving(
        session,
        operator,
        filters.first,
        filters.to,
        destination_id=filters.destination_id,
        statuses=None if filters.status is None else (filters.status,),
    )
    rows = [_row(operator, v, i, filters, lang) for v, i in stays]
    rows.sort(key=lambda r: (r["check_in"], r["reference"], r["_index"]))
    for r in rows:
        del r["_index"]
    ids = {filters.destination_id, *(r["destination_id"] for r in rows)} - {None}
    found = session.exec(select(Destination).where(Destination.id.in_(ids))) if ids else []
    names = {row.id: pick(lang, row.name_zh, row.name_en) for row in found}
    return Arrivals(filters, rows, lang, names, now)


def _row(operator: Operator, v: OperatorBooking, i, filters: ArrivalsFilters, lang: str) -> dict:
    shown = personal_data(operator, v)
    return {
        "reference": v.booking.reference,
        "destination_id": v.stay_destinations[i.item_index],
        "product": pick(lang, i.product_name_zh, i.product_name_en),
        "check_in": i.check_in.isoformat(),
        "check_out": i.check_out.isoformat(),
        "nights": (i.check_out - i.check_in).days,
        "units": i.units,
        "guests": i.guests,
        "movement": _movement(filters.first, filters.to, i.check_in, i.check_out),
        "lead_name": shown.lead_name,
        "lead_phone": shown.lead_phone,
        "guest_names": "; ".join(g["name"] for g in shown.guests if g.get("name")),
        "status": v.booking.status,
        "stay_status": i.stay_status or EXPECTED,
        "_index": i.item_index,
    }
