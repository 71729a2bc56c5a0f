"""The arrivals export's readable sheet: the first sheet of its Excel workbook, for the
front desk, before the machine sheet ``arrivals`` (the export contract: the same
columns and codes as the CSV and the JSON, ``operators.arrivals.COLUMNS``).

The same rows in the same order (by check-in, then reference, as the JSON), said in
the caller's language (zh-CN by default): a title row (the destinations, the days, the
moment the list was made), headers in the console's words (bold and frozen), dates as
dates (``yyyy-mm-dd``), nights, rooms and guests as numbers, the destination by its
name, the booking's and the stay's status and the movement in words, columns wide
enough for Chinese, printed landscape and fit to the page's width. Every cell is a
conversion of the machine sheet's cell beside it.

The columns' words are the console's (its booking list, a booking's page and the
dashboard take them from here, ``PAGE_WORDS``, so the sheet and the pages say them
alike); the statuses are ``STATUS_NAMES`` and the front desk's ``STAY_STATUS_NAMES`` /
``NO_STAY_NAMES``, as the console shows a stay.
"""

from datetime import date, datetime
from typing import Any

from service import spreadsheet
from service.bookings.models import STATUS_NAMES
from service.clock import SHANGHAI
from service.i18n import pick
from service.operators.bookings import EXPECTED, NO_STAY_NAMES, STAY_STATUS_NAMES

# The console's words for the columns (merged into its text: ``console.text``).
PAGE_WORDS: dict[str, tuple[str, str]] = {
    "col_reference": ("预订号", "Reference"),
    "col_product": ("产品", "Product"),
    "col_guests": ("人数", "Guests"),
    "col_units": ("间数", "Rooms"),
    "col_stay_status": ("入住状态", "Stay status"),
    "bk_status": ("状态", "Status"),
    "bk_destination": ("目的地", "Destination"),
    "bk_lead": ("联系人", "Lead traveller"),
    "bk_phone": ("手机号码", "Mobile number"),
}
# The sheet's own words: what the console has no word for.
SHEET_WORDS: dict[str, tuple[str, str]] = {
    "sheet": ("到离店名单", "Arrivals and departures"),
    "days": ("{first} 至 {last}", "{first} to {last}"),
    "as_of": ("制表时间 {time}", "As of {time}"),
    "check_in": ("入住日期", "Check-in"),
    "check_out": ("离店日期", "Check-out"),
    "nights": ("晚数", "Nights"),
    "movement": ("到店/离店", "Arrives / leaves"),
    "guest_names": ("同行人", "Guests' names"),
    "arrival": ("到店", "Arrives"),
    "departure": ("离店", "Leaves"),
    "arrival_and_departure": ("到店并离店", "Arrives and leaves"),
}
# Each machine column's header, by its word's key.
HEADERS = {
    "reference": "col_reference",
    "destination_id": "bk_destination",
    "product": "col_product",
    "check_in": "check_in",
    "check_out": "check_out",
    "nights": "nights",
    "units": "col_units",
    "guests": "col_guests",
    "movement": "movement",
    "lead_name": "bk_lead",
    "lead_phone": "bk_phone",
    "guest_names": "guest_names",
    "status": "bk_status",
    "stay_status": "col_stay_status",
}
DAY = "yyyy-mm-dd"
COUNT = "0"
FORMATS = {"check_in": DAY, "check_out": DAY, "nights": COUNT, "units": COUNT, "guests": COUNT}


def word(key: str, lang: str, **values: Any) -> str:
    zh, en = PAGE_WORDS.get(key) or SHEET_WORDS[key]
    return pick(lang, zh, en).format(**values)


def _stay(status: str, stay_status: str) -> tuple[str, str]:
    """A stay's status as the console shows it (``bookings.stay_shown``)."""
    if status in NO_STAY_NAMES:
        return NO_STAY_NAMES[status]
    return STAY_STATUS_NAMES[None if stay_status == EXPECTED else stay_status]


def cell(column: str, row: dict[str, Any], lang: str, names: dict[int, str]) -> Any:
    """The machine row's cell of ``column`` as the front desk reads it."""
    value = row[column]
    if value is None or value == "":
        return None
    if column in ("check_in", "check_out"):
        return date.fromisoformat(value)
    if column == "destination_id":
        return names.get(value, value)
    if column == "movement":
        return word(value, lang)
    if column == "status":
        return pick(lang, *STATUS_NAMES[value])
    if column == "stay_status":
        return pick(lang, *_stay(row["status"], value))
    return value


def title(first: date, last: date, names: list[str], as_of: datetime | None, lang: str) -> str:
    sep = "、" if lang == "zh-CN" else ", "
    parts = [word("sheet", lang), sep.join(names),
             word("days", lang, first=first.isoformat(), last=last.isoformat())]  # fmt: skip
    if as_of is not None:
        shown = as_of.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        parts.append(word("as_of", lang, time=shown))
    return ("　" if lang == "zh-CN" else " · ").join(p for p in parts if p)


def readable(
    columns: tuple[str, ...],
    rows: list[dict[str, Any]],
    lang: str,
    names: dict[int, str],
    title_row: str,
) -> spreadsheet.Sheet:
    """The readable sheet of the machine ``rows`` (by ``columns``), in ``lang``."""
    table: list[list[Any]] = [[title_row], [word(HEADERS[c], lang) for c in columns]]
    table += [[cell(c, r, lang, names) for c in columns] for r in rows]
    widths = spreadsheet.column_widths(table[1:], _shown, least=8)
    return spreadsheet.Sheet(
        word("sheet", lang),
        table,
        header=2,
        formats=tuple(FORMATS.get(c) for c in columns),
        widths=widths,
        landscape=True,
    )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return "2027-07-01" if isinstance(value, date) else str(value)
