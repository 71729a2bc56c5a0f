"""Reading the console's forms: money typed in yuan, optional whole numbers, choices;
a service's problem said beside the field it names.

The values are turned into the admin API's own request models (``schemas.*In``) and
checked there, so a form and a JSON request are refused by the same rules.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from pricing.money import format_percent, format_yuan
from service.errors import DomainError
from service.i18n import pick
from service.pages import formats, refusals, web
from service.pages import forms as page_forms
from service.pages.forms import DAY_ERRORS, NotADay, typed_day


class Unreadable(ValueError):
    """A value the form cannot turn into what the field needs (said beside it)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key  # a text key: error_money, error_number


def _typed(raw: str, key: str) -> str:
    """``raw`` after NFKC (full-width ``１２，３``: ``12,3``), stripped. A digit that is
    not a decimal one (``²``, ``①``) is refused, not read as the digit NFKC makes of it."""
    if any(c.isdigit() and not c.isdecimal() for c in raw):
        raise Unreadable(key)
    return unicodedata.normalize("NFKC", raw).strip()


def fen(raw: str) -> int:
    """Money in yuan as the pages read it (``forms.fen``, the planner's budget's reading
    too: ``420``, ``¥420.50``, ``1,234.50``, ``1.5万``) -> fen (integer arithmetic, no
    float); every money field of the console reads through it. A comma that does not
    separate thousands is said as such (``error_money_grouping``)."""
    try:
        return page_forms.fen(raw)
    except page_forms.NotAnAmount as exc:
        raise Unreadable(
            "error_money_grouping" if exc.why == "grouping" else "error_money"
        ) from None


def hundredths(raw: str) -> int:
    """A percentage as basis points: ``"8"`` -> 800, ``"12.5"`` -> 1250 (``forms.scaled``,
    the money's reading of a number)."""
    try:
        return page_forms.scaled(_typed(raw, "error_percent").removesuffix("%"), 100)
    except page_forms.NotAnAmount:
        raise Unreadable("error_percent") from None


def yuan_input(value: int | None) -> str:
    """Fen as typed back into a yuan field: ``42050`` -> ``420.50`` (basis points into
    a percentage field the same way: ``1250`` -> ``12.50``)."""
    if value is None:
        return ""
    return f"{value // 100}.{value % 100:02d}"


hundredths_input = yuan_input


def whole(raw: str) -> int:
    """A whole number as typed (full-width digits too, thousands grouped by commas as an
    amount's are: ``100,000``, as the limits are said); a minus sign or a number beyond
    the field's limit is read as typed (one of more digits than any field takes, as the
    first number past every limit), for the field's own rule (the request model's: 0 or
    more, at least 1, at most 100,000) to say what it needs."""
    raw = _typed(raw, "error_number")
    digits = raw[1:].strip() if raw.startswith("-") else raw
    if not page_forms.WHOLE_NUMBER.fullmatch(digits):
        raise Unreadable("error_number")
    read = page_forms.whole_digits(digits.replace(",", ""))
    return -read if raw.startswith("-") else read


_MOST_ID = 2**31 - 1  # ids are 32-bit integers (``service.text.Id``, PostgreSQL ``integer``)


def whole_list(raw: Any) -> list[int]:
    """Repeated whole-number fields, ticked boxes (``pack_ids``, ``weekdays``,
    ``product_ids``): every value must read, so a garbled one is refused (never silently
    dropped, which would save fewer), as a choice that is not one of the listed (no box
    has it; "separate numbers by commas" would not fit a list of boxes)."""
    values = raw if isinstance(raw, list) else [raw]
    try:
        read = [whole(str(v)) for v in values if v is not None]
    except Unreadable:
        raise Unreadable("error_choose_listed") from None
    if any(abs(v) > _MOST_ID for v in read):  # no box is such a number; no column holds it
        raise Unreadable("error_choose_listed")
    return read


def number_list(raw: str) -> list[int]:
    """``"7, 14，21"`` -> ``[7, 14, 21]``; empty -> ``[]``. An empty piece (``7,,14``)
    or a piece that is not a whole number is refused."""
    text = raw.replace("，", ",").strip()
    if not text:
        return []
    try:
        return [whole(n) for n in text.split(",")]
    except Unreadable:
        raise Unreadable("error_number_list") from None


def day(raw: str) -> date:
    """A console form's date, read as the traveller pages read theirs (``typed_day``:
    2027-07-01, 2027/7/1, 2027年7月1日, full-width digits; within 2000-01-01..2100-12-31);
    what it cannot read is ``Unreadable`` by why, in the pages' words (``DAY_ERRORS``:
    "that month has no such day", "between 2000-01-01 and 2100-12-31", the format)."""
    try:
        return typed_day(raw)
    except NotADay as exc:
        raise Unreadable(DAY_ERRORS[exc.why]) from None


def iso_day(raw: str) -> str:
    """``day`` as ``YYYY-MM-DD``, for a request model's date field."""
    return day(raw).isoformat()


def query_day(raw: str, errors: dict[str, str], name: str, t: Callable[..., str]) -> date | None:
    """A date of a page's query (a filter) by ``day``; empty is None, and what cannot be
    read is said under ``name`` in ``errors`` (and is None too)."""
    if not raw.strip():
        return None
    try:
        return day(raw)
    except Unreadable as exc:
        errors[name] = t(exc.key)
        return None


def problem_text(request: Request, exc: DomainError) -> str:
    """A service's problem in the page's language: the console's words for a problem
    whose service words would not do (an amount in fen, a reversed range named by the
    API's fields, a bulk edit's refused cells, listed in the table under it, a past date,
    which the service words with the API's field name in front, a season's overlap,
    which names the other season by its id), said from the problem's own fields, else
    the operator services' own words (they carry a Chinese detail; else the pages' text
    for its code) with every date as the console writes dates."""
    if (said := _in_console_words(request, exc)) is not None:
        return said
    lang = web.page_lang(request)
    zh = getattr(exc, "detail_zh", None)
    if zh:
        text = zh if lang == "zh-CN" else exc.detail
    else:
        text = refusals.problem_text(exc.code, lang, exc.detail)
    return _as_console_says(request, text)


# A day as the services write it (2026-12-06), not a part of an instant (…-06T10:00).
_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _as_console_says(request: Request, text: str) -> str:
    """A service's words in the console: every ISO date as ``day_text`` writes it."""

    def day(match: re.Match) -> str:
        try:
            return day_text(request, match.group(0))
        except ValueError:  # not a date after all
            return match.group(0)

    return _ISO_DAY.sub(day, text)


def _in_console_words(request: Request, exc: DomainError) -> str | None:
    t = web.text(request)
    found = exc.extra
    if exc.code == "invalid_range":
        return t("error_range")
    if exc.code == "invalid_cursor":  # a list's page address: said above the list's form
        return t("error_cursor")
    if isinstance(found.get("refused_count"), int):  # a bulk edit applied: cells refused
        return t("error_cells_refused", n=found["refused_count"])
    value, limit = found.get("value"), found.get("limit")
    if exc.code == "above_filed_price" and isinstance(value, int) and isinstance(limit, int):
        amounts = {"value": format_yuan(value), "limit": format_yuan(limit)}
        if found.get("night"):
            return t("error_override_above", night=day_text(request, found["night"]), **amounts)
        if exc.field == "filed_rate_fen":  # the filed price changed, beside it
            return t("error_filed_below", **amounts)
        return t("error_above_filed", **amounts)
    if exc.code == "nights_in_past" and found.get("today") and not found.get("season_id"):
        # a running season's (it names the season) is said in the service's own words:
        # what stays and what to do instead, not "give today or later"
        return _past_date(request, exc)
    if exc.code == "season_overlap" and found.get("start_date") and found.get("end_date"):
        # the other season by its name, first night and last night, as the console's
        # table and its ended season's note say a season (the service's words name it by
        # its id, and its end_date is the first night after it)
        lang = web.page_lang(request)
        last = formats.night_before(date.fromisoformat(str(found["end_date"])))
        return t(
            "error_season_overlap",
            name=pick(lang, found.get("name_zh"), found.get("name_en")) or t("prod_season"),
            first=day_text(request, found["start_date"]),
            last=day_text(request, last),
        )
    return None


# A range's last day said by the field it is in (``operators.errors.not_ended``).
_LAST_DAY = {"booking_to": "last_day_booking_to", "check_in_to": "last_day_check_in_to"}


def _past_date(request: Request, exc: DomainError) -> str | None:
    """``nights_in_past`` from its dates: a calendar edit's first night, a date that
    starts what is sold (a season's first night, a stub batch's visit date), or a rule's
    last day, each before today."""
    t = web.text(request)
    found = exc.extra
    today = day_text(request, found["today"])
    if found.get("first_night"):
        return t(
            "error_past_first_night", first=day_text(request, found["first_night"]), today=today
        )
    if found.get("first_day"):
        return t("error_past_day", day=day_text(request, found["first_day"]), today=today)
    if found.get("last_day") and exc.field in _LAST_DAY:
        what = t(_LAST_DAY[exc.field])
        return t(
            "error_past_last_day", what=what, last=day_text(request, found["last_day"]), today=today
        )
    return None


def day_text(request: Request, day: date | str) -> str:
    """A date as the console writes it, in the page's language (``formats.long_date``)."""
    return formats.long_date(day, web.page_lang(request))


def problem_errors(
    request: Request,
    exc: DomainError,
    field_map: Callable[[str], str | None],
) -> dict[str, str]:
    target = field_map(exc.field) if exc.field else None
    return {target or "_form": problem_text(request, exc)}


# A limit of the API's request models said in the form's units: fen as yuan, basis
# points as a percentage (the console's fields are typed so).
_LIMITS = {"less_than_equal": "le", "less_than": "lt", "greater_than_equal": "ge"}


def _unit_of(path: str) -> str | None:
    if path.endswith("_fen"):
        return "yuan"
    if path.endswith("_bps") or path == "bps" or path.endswith(".bps"):
        return "pct"
    return None


def _in_form_units(request: Request, error: dict[str, Any]) -> str | None:
    """The console's own words for a limit of a field, in the form's units (money in
    yuan, a percentage, else the number), or for a negative number anywhere; None for
    anything else (said as the API says it)."""
    from service.validation_messages import field_path

    t = web.text(request)
    kind = error.get("type")
    bound = (error.get("ctx") or {}).get(_LIMITS.get(kind, ""))
    if kind == "greater_than_equal" and bound == 0:
        return t("error_not_negative")
    if isinstance(bound, float) and bound.is_integer():  # a distance's: at most 1,000 km
        bound = int(bound)
    if not isinstance(bound, int) or isinstance(bound, bool):
        return None
    unit = _unit_of(field_path(error.get("loc", ())))
    if kind == "less_than":
        bound -= 1
    if unit == "yuan":
        shown = format_yuan(bound)
    elif unit == "pct":
        shown = format_percent(bound)
    else:
        shown = f"{bound:,}"
    return t("error_at_least" if kind == "greater_than_equal" else "error_at_most", limit=shown)


# A list of the request models that needs at least one entry, by its field: what the
# console says when none is ticked (pydantic's ``too_short``), not "the format is not
# right".
CHOOSE_AT_LEAST_ONE = {
    "product_ids": "error_choose_product",
    "weekdays": "error_choose_weekday",
    "destination_ids": "error_choose_destination",
}


def _none_chosen(request: Request, error: dict[str, Any]) -> str | None:
    """The console's words for a list field with nothing chosen; None for anything
    else."""
    from service.validation_messages import field_path

    if error.get("type") != "too_short" or not isinstance(error.get("input"), list | tuple):
        return None
    key = CHOOSE_AT_LEAST_ONE.get(field_path(error.get("loc", ())))
    return web.text(request)(key) if key else None


def _no_such_day(request: Request, error: dict[str, Any]) -> str | None:
    """A request model's refusal of a date (``service.text.IsoDate``) in the words of
    ``day`` (no such month or day, outside the service's years, the format); None for
    any other error. Any date a form hands a model as typed is said so."""
    from service.text import NOT_A_DATE, OUT_OF_CALENDAR
    from service.validation_messages import words_of

    wrong = str((error.get("ctx") or {}).get("error", ""))
    if error.get("type") == "value_error" and wrong == OUT_OF_CALENDAR:
        why = "calendar"
    elif words_of(error) == NOT_A_DATE and error.get("input") not in ("", None):
        why = "format"
        if "outside expected range" in wrong:
            why = "month" if wrong.startswith("month") else "day"
    else:
        return None
    return web.text(request)(DAY_ERRORS[why])


def _console_words(request: Request, error: dict[str, Any]) -> str | None:
    return (
        _in_form_units(request, error)
        or _none_chosen(request, error)
        or _no_such_day(request, error)
        or _not_a_choice(request, error)
    )


def _not_a_choice(request: Request, error: dict[str, Any]) -> str | None:
    """A value none of a field's choices (a select's, a list's filter given in its
    address: ``?entity=nope``, ``?status=lost``) in the console's words, "please choose
    from the list", not the API's list of codes nor "the format is not right"; None for
    anything else (none chosen: "please fill this in", as every empty field)."""
    if error.get("type") not in ("literal_error", "enum") or error.get("input") in ("", None):
        return None
    return web.text(request)("error_choice")


def invalid_errors(
    request: Request, exc: ValidationError, field_map: Callable[[str], str | None]
) -> dict[str, str]:
    """A request model's refusal beside the fields, limits in the form's own units."""
    from service.validation_messages import field_path

    errors = exc.errors()
    out: dict[str, str] = {}
    for e in errors:
        said = _console_words(request, e)
        if said is not None:
            out.setdefault(field_map(field_path(e.get("loc", ()))) or "_form", said)
    rest = [e for e in errors if _console_words(request, e) is None]
    for target, text in web.validation_errors(request, rest, field_map).items():
        out.setdefault(target, text)
    return out


def read_into(
    body: dict[str, Any],
    unreadable: dict[str, str],
    name: str,
    raw: Any,
    parse: Callable[[str], Any],
    *,
    nullable: bool = False,
    field: str | None = None,
) -> None:
    """One field of a form into ``body[name]`` as ``parse`` reads it. Left empty, it is
    None where the field may be cleared (``nullable``), else "please fill this in"; what
    ``parse`` cannot read is left out of ``body`` and said in the form's words. Either
    way the text key goes in ``unreadable`` under ``field`` (the form's name for it,
    default ``name``), and the rest of the form is still read (``every_error``)."""
    text = str(raw).strip()
    if not text:
        if nullable:
            body[name] = None
        else:
            unreadable[field or name] = "error_required"
        return
    try:
        body[name] = parse(text)
    except Unreadable as exc:
        unreadable[field or name] = exc.key


def every_error(
    request: Request,
    unreadable: Mapping[str, str],
    validate: Callable[[], Any] | None,
    field_map: Callable[[str], str | None],
) -> dict[str, str]:
    """Every field's error at once, not one a round: the form's own (``unreadable``:
    the text keys of the fields it could not read, left out of the body) and the request
    model's (``validate`` builds it from the body) for the rest; a field the form could
    not read is said in the form's words."""
    t = web.text(request)
    errors = {k: t(v) for k, v in unreadable.items()}
    if validate is None:
        return errors
    try:
        validate()
    except ValidationError as exc:
        for target, said in invalid_errors(request, exc, field_map).items():
            errors.setdefault(target, said)
    return errors


def attempt(
    request: Request,
    db_session: Any,
    work: Callable[[], Any],
    field_map: Callable[[str], str | None],
    *,
    not_found_is_a_page: bool = True,
    unreadable: Mapping[str, str] | None = None,
    validate: Callable[[], Any] | None = None,
) -> tuple[dict[str, str], int]:
    """Run a form's service call. ``({}, 200)`` when it went through; otherwise nothing
    is kept (the session rolls back) and ``(errors beside the fields, status)``: 422 for
    a request model's refusal, the problem's own status for a service's. A 404 (a thing
    outside the caller's scope) stays the 404 page unless the form names the thing.

    Every field is checked first, all in one round (``every_error``: the fields the form
    could not read, ``unreadable``, and the request model ``validate`` builds from the
    rest), so an operator is told every wrong field at once rather than one a post; the
    service, whose own rules (an overlap, a past date) need every field, is asked only
    once every field reads."""
    errors = every_error(request, unreadable or {}, validate, field_map)
    if errors:
        return errors, 422
    try:
        work()
    except ValidationError as exc:
        db_session.rollback()
        return invalid_errors(request, exc, field_map), 422
    except DomainError as exc:
        if exc.status == 404 and not_found_is_a_page:
            raise
        db_session.rollback()
        return problem_errors(request, exc, field_map), exc.status
    return {}, 200


def mapper(names: Mapping[str, str]) -> Callable[[str], str | None]:
    """A ``field_map`` from a table (``"set.units" -> "units"``); an indexed field
    (``pack_ids[1]``) maps by its name before the index."""

    def field_map(path: str) -> str | None:
        if path in names:
            return names[path]
        base = path.split("[", 1)[0]
        return names.get(base)

    return field_map


def form_dict(form: Any) -> dict[str, Any]:
    """A submitted form as {name: value}, lists for repeated names."""
    out: dict[str, Any] = {}
    for key in set(form.keys()):
        values = form.getlist(key)
        out[key] = (
            values if len(values) > 1 or key.endswith("_ids") or key == "weekdays" else values[0]
        )
    return out
