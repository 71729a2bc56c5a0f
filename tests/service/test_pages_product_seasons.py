"""The product page lists its seasons: by name and dates, or, for a season stored
without a name (before names were required), by its dates alone: never a stray colon.
Only those with a night from today on (the app's Asia/Shanghai date), a running one
from today; a running season whose rate an operator changed (split at today,
``operators.seasons``) is one line, not two of the same name; seasons that follow each
other under one name read as one named season with its rate periods. The API's season
list is unchanged: every season, with its dates. Both databases, both languages."""

import re
from datetime import date

from sqlmodel import select

from catalog.models import Destination, Season
from tests.factories import make_destination, make_product
from tests.support.clock import FixedClock
from tests.support.operators import world
from tests.support.pages import page_text


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


TODAY = date(2027, 8, 15)
SEASONS = [
    (date(2027, 1, 1), date(2027, 3, 1), 50_000),  # ended
    (date(2027, 7, 1), date(2027, 9, 1), 48_000),  # running: split when its rate changes
    (date(2027, 12, 1), date(2028, 1, 1), 52_000),  # two of one name, one after the other
    (date(2028, 1, 1), date(2028, 2, 1), 56_000),
]


def _seasons(client, lang: str) -> str:
    html = client.get("/products/peak-cabin", headers={"Accept-Language": lang}).text
    text = page_text(html)
    start = text.index("季节价格" if lang == "zh-CN" else "Seasonal rates")
    return text[start : text.index("增值包" if lang == "zh-CN" else "Add-on packs")]


def test_the_product_page_lists_the_seasons_ahead_and_a_split_one_once(db, client):
    w = world(db)
    with db.write_session() as s:
        make_product(s, s.get(Destination, w.a.destination_id), slug="peak-cabin", seasons=SEASONS)
        s.commit()
    client.app.state.clock = FixedClock.on(TODAY)
    before = _seasons(client, "en")
    assert before.count("Peak:") == 2, before
    assert "2027-01" not in before and "Jan 2027" not in before and "Mar 2027" not in before
    # the running season from today, not from its first night (past)
    assert "Peak: from the night of Sun 15 Aug 2027 to the night of Tue 31 Aug 2027, ¥480.00" in (
        before
    )
    assert "Jul 2027" not in before
    assert (
        "Peak: from the night of Wed 01 Dec 2027 to the night of Mon 31 Jan 2028, at these rates:"
        " From the night of Wed 01 Dec 2027 to the night of Fri 31 Dec 2027, ¥520.00 a night"
        " From the night of Sat 01 Jan 2028 to the night of Mon 31 Jan 2028, ¥560.00 a night"
    ) in before
    # the operator changes the running season's rate: split at today
    h = w.a.admin.headers
    product = client.get("/v1/admin/products?limit=100", headers=h).json()["items"][-1]
    url = f"/v1/admin/products/{product['id']}"
    running = next(
        x for x in client.get(url, headers=h).json()["seasons"] if x["start_date"] == "2027-07-01"
    )
    r = client.patch(f"{url}/seasons/{running['id']}", json={"nightly_rate_fen": 42_000}, headers=h)
    assert r.status_code == 200 and r.json()["split_from"], r.text
    after = _seasons(client, "en")
    assert after.count("Peak:") == 2, after
    assert "Peak: from the night of Sun 15 Aug 2027 to the night of Tue 31 Aug 2027, ¥420.00" in (
        after
    )
    assert "¥480.00" not in after
    zh = _seasons(client, "zh-CN")
    assert zh.count("旺季：") == 2, zh
    assert "旺季：2027年8月15日（周日） 至 2027年8月31日（周二） 晚，每晚 ¥420.00" in zh
    assert "旺季：2027年12月1日（周三） 至 2028年1月31日（周一） 晚，分段价格：" in zh
    # the API keeps every season with its dates: the ended one and both parts of the split
    api = client.get(f"/v1/products/{product['id']}").json()["seasons"]
    assert [(x["start_date"], x["end_date"]) for x in api] == [
        ("2027-01-01", "2027-03-01"),
        ("2027-07-01", "2027-08-15"),
        ("2027-08-15", "2027-09-01"),
        ("2027-12-01", "2028-01-01"),
        ("2028-01-01", "2028-02-01"),
    ]


def test_seasons_all_ended_say_the_rate_from_now_on(db, client):
    w = world(db)
    with db.write_session() as s:
        make_product(
            s, s.get(Destination, w.a.destination_id), slug="peak-cabin", seasons=SEASONS[:1]
        )
        s.commit()
    client.app.state.clock = FixedClock.on(TODAY)
    assert "No seasonal rate from now on: ¥380.00 a night." in _seasons(client, "en")
    assert "之后没有季节价格：每晚 ¥380.00。" in _seasons(client, "zh-CN")
