"""The product page lists its seasons: by name and dates, or, for a season stored
without a name (before names were required), by its dates alone: never a stray colon.
Both databases, both languages."""

import re
from datetime import date

from sqlmodel import select

from catalog.models import Season
from tests.factories import make_destination, make_product


def _seasons_said(html: str) -> list[str]:
    section = html[html.index("<h2>") :]
    items = re.findall(r"<li>(.*?)</li>", section.split("</ul>", 1)[0], re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", i).strip() for i in items]


def test_a_season_stored_without_a_name_is_said_by_its_dates(db, client):
    with db.write_session() as s:
        d = make_destination(s, slug="dest-seasons")
        make_product(
            s,
            d,
            slug="a-seasonal-cabin",
            seasons=[
                (date(2027, 7, 1), date(2027, 9, 1), 48_000),
                (date(2027, 12, 1), date(2028, 3, 1), 52_000),
            ],
        )
        s.flush()
        first, second = s.exec(select(Season).order_by(Season.start_date)).all()
        first.name_zh, first.name_en = "", ""  # stored before names were required
        second.name_zh, second.name_en = "  ", "\u3000"
        s.add_all([first, second])
        s.commit()
    zh = _seasons_said(client.get("/products/a-seasonal-cabin").text)
    en = _seasons_said(
        client.get("/products/a-seasonal-cabin", headers={"Accept-Language": "en"}).text
    )
    assert len(zh) == len(en) == 2
    for line in zh + en:
        assert not re.match(r"^\s*[:：]", line), line
        assert ": from" not in line and "：" not in line.split("每晚")[0], line
    assert zh[0].startswith("2027") and "至" in zh[0]
    assert en[0].startswith("From ") and "a night" in en[0]


def test_a_named_season_is_said_with_its_name(db, client):
    with db.write_session() as s:
        d = make_destination(s, slug="dest-named")
        make_product(
            s, d, slug="a-named-cabin", seasons=[(date(2027, 7, 1), date(2027, 9, 1), 48_000)]
        )
        s.commit()
    (zh,) = _seasons_said(client.get("/products/a-named-cabin").text)
    (en,) = _seasons_said(
        client.get("/products/a-named-cabin", headers={"Accept-Language": "en"}).text
    )
    assert zh.startswith("旺季：") and en.startswith("Peak: from ")
