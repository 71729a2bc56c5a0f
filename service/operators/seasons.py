"""A product's seasons: their nightly rate and filed price (备案价), added, changed,
split and removed, under the rules of ``service.operators.catalogue`` (scope, role,
the fair-price rule, one audit entry a change, the public rate history).

A season's nights before today are history (``season_state``): an ended season is
never changed nor removed, a running one keeps its first night and its past nights'
rate (a new rate or filed price applies from today, in a new season split from it),
and an upcoming one is changed freely.
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from catalog.models import Product, Season
from service.clock import local_date
from service.errors import DomainError
from service.operators import audit, errors
from service.operators.catalogue import (
    _ceiling,
    _conflict,
    _diff,
    _json,
    _override_above,
    _published_above,
    _rate_moves,
    _snapshot,
    _unprocessable,
    rate_above_filed,
    seasons_of,
)
from service.operators.scope import CATALOGUE, Operator, product_of

SEASON_FIELDS = (
    "name_zh",
    "name_en",
    "start_date",
    "end_date",
    "nightly_rate_fen",
    "filed_rate_fen",
)


# --- seasons ----------------------------------------------------------------------------

# Where a season stands on a day (``season_state``). What has been sold or published for
# nights before today is history: an ended season is never changed nor removed, a running
# one keeps its past nights as they are (its first night, and its rate and filed price
# for them), and an upcoming one is changed freely.
UPCOMING, RUNNING, ENDED = "upcoming", "running", "ended"
RATE_FIELDS = ("nightly_rate_fen", "filed_rate_fen")


def season_state(season: Season, today: date) -> str:
    """``ended`` when its last night is before ``today`` (Asia/Shanghai), ``running``
    when it began before today and runs on, else ``upcoming``."""
    if season.end_date <= today:
        return ENDED
    if season.start_date < today:
        return RUNNING
    return UPCOMING


@dataclass(frozen=True)
class SeasonChange:
    """What a change of a season did: ``season`` holds the change; ``split_from`` is the
    running season it was split from when the change was of its rate or filed price
    (that season now ends with the night before today, and ``season`` is a new one from
    today), else None."""

    season: Season
    split_from: Season | None = None

    def said(self) -> tuple[str, str]:
        """The split in words (zh-CN, English); empty when there was none."""
        if self.split_from is None:
            return "", ""
        old, today = self.split_from, self.season.start_date
        last = today - timedelta(days=1)
        return (
            f"今天以前的晚上保持原价：季节 {old.id} 现在到 {last} 这一晚为止；新的价格从今天"
            f"（{today}）起生效，为此新建了季节 {self.season.id}（同名），"
            f"到 {self.season.end_date} 前一晚为止。",
            f"Nights before today keep their rate: season {old.id} now ends with the night of "
            f"{last}, and the new terms apply from today ({today}) in a new season "
            f"{self.season.id} of the same name, until the night before {self.season.end_date}.",
        )


def _season_of(session: Session, product: Product, season_id: int) -> Season:
    row = session.get(Season, season_id)
    if row is None or row.product_id != product.id:
        raise errors.not_found("season", season_id, "season_id")
    return row


def _overlap_field(season: Season, other: Season, sent: Collection[str]) -> str:
    """The date that puts ``season`` over ``other``'s nights, as the refusal names it:
    the one date the request sent, when it sent one (a PATCH moving only the end is
    refused on ``end_date``); else ``start_date`` when it falls in the other's nights,
    and ``end_date`` when the season begins before them and runs into them."""
    dates = [f for f in ("start_date", "end_date") if f in sent]
    if len(dates) == 1:
        return dates[0]
    return "start_date" if other.start_date <= season.start_date else "end_date"


def _check_season(
    session: Session, product: Product, season: Season, today: date, sent: Collection[str]
) -> None:
    """A season's nights after a change (``sent``: the fields the request changed): a
    range, no overlap, its rate under its filed price, and no calendar override from
    today on (the past is history) above its ceiling."""
    if season.end_date <= season.start_date:
        first, end = season.start_date, season.end_date
        raise _unprocessable(
            "invalid_date_range",
            "end_date",
            f"The end ({end}, the first night after the season) must be after the first "
            f"night ({first}).",
            f"结束日期（{end}，季节后的第一晚）须晚于第一晚（{first}）。",
        )
    for other in seasons_of(session, product.id):
        if other.id == season.id:
            continue
        if season.start_date < other.end_date and other.start_date < season.end_date:
            raise _conflict(
                "season_overlap",
                _overlap_field(season, other, sent),
                f"The nights {season.start_date}..{season.end_date} overlap season "
                f"{other.id} ({other.start_date}..{other.end_date}).",
                f"日期与季节 {other.id}（{other.start_date} 至 {other.end_date}）重叠。",
                season_id=other.id,
                name_zh=other.name_zh,
                name_en=other.name_en,
                start_date=other.start_date.isoformat(),
                end_date=other.end_date.isoformat(),
            )
    filed = season.filed_rate_fen
    if filed is not None and season.nightly_rate_fen > filed:
        raise rate_above_filed(
            "nightly_rate_fen",
            season.nightly_rate_fen,
            filed,
            sent,
            "the season's rate",
            "该季节的房价",
        )
    limit = filed if filed is not None else season.nightly_rate_fen
    found = _published_above(
        session,
        product.id,
        max(season.start_date, today),
        season.end_date - timedelta(days=1),
        limit,
    )
    if found is not None:
        if filed is not None:
            raise _override_above(
                "filed_rate_fen", found, limit, "the season's filed price", "该季节的备案价"
            )
        raise _override_above(
            "nightly_rate_fen",
            found,
            limit,
            "the season's rate (the ceiling, no filed price being set)",
            "该季节的房价（未备案时即上限）",
        )


def _season_json(s: Season) -> dict[str, Any]:
    return _snapshot(s, SEASON_FIELDS)


def _season_ended(season: Season, field: str) -> DomainError:
    """409 ``season_ended``: an ended season's nights are history."""
    last = season.end_date - timedelta(days=1)
    return _conflict(
        "season_ended",
        field,
        f"This season ended: its last night was {last}. Its nights were sold and published "
        "at its rate and are history, so it is neither changed nor removed. For nights from "
        "today on, add a new season.",
        f"该季节已结束，最后一晚是 {last}。它的晚上已按其房价售出和公示，已是历史，不能修改或删除。"
        "今天起的晚上请新增季节。",
        season_id=season.id,
        last_night=last.isoformat(),
    )


def _season_started(season: Season, today: date) -> DomainError:
    """409 ``season_started``: a running season is not removed (its past nights would
    go back to the base rate); it is ended today instead."""
    return _conflict(
        "season_started",
        "season_id",
        f"This season began on {season.start_date}: its nights before today keep their rate, "
        f"so it cannot be removed. To stop it, set its end to today ({today}): its nights "
        "from today on go back to the base rate.",
        f"该季节已于 {season.start_date} 开始：今天以前的晚上保持原价，不能删除。要提前结束，"
        f"请把结束日期改为今天（{today}），今天起的晚上恢复基础房价。",
        season_id=season.id,
        start_date=season.start_date.isoformat(),
    )


# A running season's refusals (422 ``nights_in_past``) carry their dates as the other
# past-date refusals do (``operators.errors.not_in_past``): ``today``, and the night
# before it that is refused (``first_night``: the first night whose price the change
# would alter; ``last_day``: the season's last night, where a new rate would have none
# to apply to), with ``season_id``, the running season.


def _running_start(season: Season, start: date, today: date) -> DomainError:
    """Its first night moved (to ``start``): the nights between the two would change
    price, the first of them before today."""
    return errors.invalid(
        "start_date",
        "nights_in_past",
        f"This season began on {season.start_date}: its nights before today keep their rate, "
        "so its first night is not moved. To change its rate from today on, change the rate "
        "(a new season then starts today); to stop it, set its end to today.",
        f"该季节已于 {season.start_date} 开始：今天以前的晚上保持原价，第一晚不能再改。"
        "要从今天起改价，请直接改房价（系统从今天起另建一个季节）；要提前结束，请把结束日期改为今天。",
        season_id=season.id,
        first_night=min(season.start_date, start).isoformat(),
        today=today.isoformat(),
    )


def _running_end(season: Season, end: date, today: date) -> DomainError:
    """An end before today: the nights from it to yesterday would go back to the base
    rate."""
    return errors.invalid(
        "end_date",
        "nights_in_past",
        f"An end of {end} would put the nights from {end} to yesterday back to the base rate, "
        f"but nights before today keep their rate. Give today ({today}) or later.",
        f"结束日期 {end} 会把 {end} 至昨天的晚上改回基础房价，但今天以前的晚上保持原价。"
        f"请填今天（{today}）或以后。",
        season_id=season.id,
        first_night=end.isoformat(),
        today=today.isoformat(),
    )


def _no_night_left(season: Season, field: str, end: date, today: date) -> DomainError:
    """A new rate or filed price for a season ending (at ``end``) by today: its last
    night is before today, so the new terms would apply to no night."""
    return errors.invalid(
        field,
        "nights_in_past",
        f"The season would end today ({today}): no night from today on would take the new "
        "rate, and nights before today keep theirs. Give a later end, or keep the rate.",
        f"季节将在今天（{today}）结束：今天起没有晚上会用到新的价格，今天以前的晚上保持原价。"
        "请填更晚的结束日期，或不改价格。",
        season_id=season.id,
        last_day=(end - timedelta(days=1)).isoformat(),
        today=today.isoformat(),
    )


Window = tuple[date, date, int]  # (start, end, nightly rate): end is the first night after


def _window(season: Season | Window) -> Window:
    """A season's ``(start, end, rate)`` (``end`` the first night after it), or such a
    window as it is: what a season priced, kept before a change moves it."""
    if isinstance(season, tuple):
        return season
    return season.start_date, season.end_date, season.nightly_rate_fen


def _season_moves(
    session: Session,
    product: Product,
    before: Sequence[Season | Window],
    after: Sequence[Season | Window],
    now: datetime,
) -> None:
    """Keep in the rate history every night whose rate moved when the windows ``before``
    (seasons or ``(start, end, rate)``) became ``after``; nights outside them are priced
    by the base rate."""
    windows = [[_window(w) for w in ws] for ws in (before, after)]
    if not windows[0] and not windows[1]:
        return

    def rate_in(ws: list[Window]) -> Callable[[date], int]:
        def rate(night: date) -> int:
            found = (r for start, end, r in ws if start <= night < end)
            return next(found, product.base_rate_fen)

        return rate

    every = windows[0] + windows[1]
    _rate_moves(
        session,
        product.id,
        min(start for start, _, _ in every),
        max(end for _, end, _ in every) - timedelta(days=1),
        rate_in(windows[0]),
        rate_in(windows[1]),
        "season",
        now,
    )


def create_season(
    session: Session,
    operator: Operator,
    product_id: int,
    fields: Mapping[str, Any],
    *,
    now: datetime,
) -> Season:
    product = product_of(session, operator, product_id, "product_id")
    operator.require(CATALOGUE)
    today = local_date(now)
    errors.not_in_past(fields["start_date"], today, "start_date")
    season = Season(product_id=product.id, **fields)
    with session.no_autoflush:
        _check_season(session, product, season, today, fields)
    session.add(season)
    session.flush()
    _season_moves(session, product, [], [season], now)
    _season_audit(session, operator, product, season, "create", None, _season_json(season), now)
    return season


def update_season(
    session: Session,
    operator: Operator,
    product_id: int,
    season_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime,
) -> SeasonChange:
    """Change a season's names, nights, rate or filed price (备案价), never the price of
    a night before today (Asia/Shanghai, the injectable clock): an ended season is 409
    ``season_ended``; a running one keeps its first night (422 ``nights_in_past``) and
    may end today or later, and a change of its rate or filed price applies from today:
    it then ends with the night before today and a new season with its names and the
    new terms runs from today to its end (``SeasonChange.split_from``), in this
    transaction. Fields sent unchanged are no change (the console sends every field)."""
    product = product_of(session, operator, product_id, "product_id")
    season = _season_of(session, product, season_id)
    operator.require(CATALOGUE)
    today = local_date(now)
    before = _season_json(season)
    sent = {f: v for f, v in changes.items() if _json(v) != before[f]}
    if not sent:
        return SeasonChange(season)
    state = season_state(season, today)
    if state == ENDED:
        raise _season_ended(season, next(f for f in SEASON_FIELDS if f in sent))
    if state == UPCOMING:
        if "start_date" in sent:
            errors.not_in_past(sent["start_date"], today, "start_date")
    else:
        if "start_date" in sent:
            raise _running_start(season, sent["start_date"], today)
        if "end_date" in sent and sent["end_date"] < today:
            raise _running_end(season, sent["end_date"], today)
        if any(f in sent for f in RATE_FIELDS):
            return _split_season(session, operator, product, season, sent, today, now)
    old_window = [_window(season)]
    with session.no_autoflush:
        for field, value in sent.items():
            setattr(season, field, value)
        _check_season(session, product, season, today, sent)
    session.add(season)
    session.flush()
    _season_moves(session, product, old_window, [season], now)
    old, new = _diff(before, _season_json(season))
    _season_audit(session, operator, product, season, "update", old, new, now)
    return SeasonChange(season)


def _split_season(
    session: Session,
    operator: Operator,
    product: Product,
    season: Season,
    sent: Mapping[str, Any],
    today: date,
    now: datetime,
) -> SeasonChange:
    """A running season's new rate or filed price, from today: the season ends with
    the night before today (its names as sent), and a new one from today to its end (as
    sent) carries its names and the new terms."""
    end = sent.get("end_date", season.end_date)
    if end <= today:
        raise _no_night_left(season, next(f for f in RATE_FIELDS if f in sent), end, today)
    before = _season_json(season)
    old_window = [_window(season)]
    with session.no_autoflush:
        for field in ("name_zh", "name_en"):
            if field in sent:
                setattr(season, field, sent[field])
        season.end_date = today
    session.add(season)
    session.flush()
    after = Season(
        product_id=product.id,
        name_zh=season.name_zh,
        name_en=season.name_en,
        start_date=today,
        end_date=end,
        nightly_rate_fen=sent.get("nightly_rate_fen", season.nightly_rate_fen),
        filed_rate_fen=sent.get("filed_rate_fen", season.filed_rate_fen),
    )
    with session.no_autoflush:
        _check_season(session, product, after, today, sent)
    session.add(after)
    session.flush()
    _season_moves(session, product, old_window, [season, after], now)
    old, new = _diff(before, _season_json(season))
    _season_audit(session, operator, product, season, "update", old, new, now)
    created = {**_season_json(after), "split_from_season_id": season.id}
    _season_audit(session, operator, product, after, "create", None, created, now)
    return SeasonChange(after, split_from=season)


def delete_season(
    session: Session, operator: Operator, product_id: int, season_id: int, *, now: datetime
) -> None:
    """Its nights go back to the product's base rate: only an upcoming season's (a
    running one is 409 ``season_started``: end it today instead; an ended one 409
    ``season_ended``); refused (422 above_filed_price) while a calendar override in
    them is above the product's filed price."""
    product = product_of(session, operator, product_id, "product_id")
    season = _season_of(session, product, season_id)
    operator.require(CATALOGUE)
    today = local_date(now)
    state = season_state(season, today)
    if state == ENDED:
        raise _season_ended(season, "season_id")
    if state == RUNNING:
        raise _season_started(season, today)
    before = _season_json(season)
    _, limit = _ceiling(product)
    found = _published_above(
        session, product.id, season.start_date, season.end_date - timedelta(days=1), limit
    )
    if found is not None:
        raise _override_above(
            "season_id", found, limit, "the product's ceiling outside seasons", "产品季节外的上限"
        )
    _season_moves(session, product, [season], [], now)
    session.delete(season)
    session.flush()
    _season_audit(session, operator, product, season, "delete", before, None, now)


def _season_audit(session, operator, product, season, action, before, after, now) -> None:
    audit.record(
        session,
        operator,
        now=now,
        action=action,
        entity="season",
        entity_id=season.id,
        destination_id=product.destination_id,
        before=before,
        after=after if after is None else {"product_id": product.id, **after},
    )
