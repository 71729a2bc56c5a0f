"""The distance to the nearest hospital is written for people by one formatter
(``catalog.geo.distance_words``, ``formats.km``): one decimal, rounded half up, "under
0.1 km" / 「不到 0.1 公里」 below it, on the destination page, the destinations list, the
trip planner's reasons and the console (the newcomer's finding: after a distance of
0.0000001 km was stored through the admin API the destination page said 「约 1e-07
公里」 while the list said "0.0")."""

import re
from html import unescape

import pytest

from catalog.geo import distance_words
from service.pages import formats
from tests.support.console import log_in
from tests.support.operators import world


@pytest.mark.parametrize(
    ("km", "zh", "en"),
    [
        (0.0000001, "不到 0.1 公里", "under 0.1 km"),
        (0, "不到 0.1 公里", "under 0.1 km"),
        (0.049, "不到 0.1 公里", "under 0.1 km"),
        (0.05, "0.1 公里", "0.1 km"),
        (0.25, "0.3 公里", "0.3 km"),  # half up, not to the even tenth
        (3.46, "3.5 公里", "3.5 km"),
        (12.0, "12 公里", "12 km"),
        (12.04, "12 公里", "12 km"),
        (999.96, "1,000 公里", "1,000 km"),
        (0.1 + 0.2, "0.3 公里", "0.3 km"),
    ],
)
def test_a_distance_is_said_to_a_tenth_and_under_a_tenth_as_under(km, zh, en):
    assert distance_words(km) == (zh, en)
    assert (formats.km(km, "zh-CN"), formats.km(km, "en")) == (zh, en)


def _set_km(client, w, km: float) -> None:
    r = client.patch(
        f"/v1/admin/destinations/{w.a.destination_id}",
        json={"nearest_hospital_km": km},
        headers=w.a.admin.headers,
    )
    assert r.status_code == 200, r.text


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize(
    ("lang", "page_says", "list_says"),
    [
        ("zh-CN", "最近的医院 不到 0.1 公里", "最近的医院：不到 0.1 公里"),
        ("en", "Nearest hospital under 0.1 km", "Nearest hospital: under 0.1 km"),
    ],
)
def test_the_destination_pages_say_a_tiny_distance_as_under_a_tenth(
    db, client, lang, page_says, list_says
):
    w = world(db)
    _set_km(client, w, 0.0000001)
    client.cookies.set("lang", lang)
    page = _text(client.get("/destinations/dest-a").text)
    assert page_says in page and "e-07" not in page and "约" not in page
    listed = _text(client.get("/destinations").text)
    assert list_says in listed and "e-07" not in listed and " 0.0 " not in listed
    _set_km(client, w, 3.46)
    assert page_says.replace("不到 0.1", "3.5").replace("under 0.1", "3.5") in _text(
        client.get("/destinations/dest-a").text
    )


def test_the_console_shows_a_tiny_distance_as_its_form_reads_it_and_the_audit_in_words(db, client):
    w = world(db)
    _set_km(client, w, 0.0000001)
    log_in(client, w.a.admin.login)
    client.cookies.set("lang", "en")
    form = client.get(f"/console/destinations/{w.a.destination_id}").text
    value = re.search(r'name="nearest_hospital_km"[^>]*value="([^"]*)"', form)
    value = value or re.search(r'value="([^"]*)"[^>]*name="nearest_hospital_km"', form)
    assert value.group(1) == "0", value.group(1)  # to the hundredth it reads, never 1e-07
    audit = _text(client.get("/console/audit").text)
    assert "Nearest hospital" in audit and "under 0.1 km" in audit and "e-07" not in audit
