"""A one-value query parameter given twice is refused, never cut to its last value: the
API says 422 ``repeated_parameter`` naming it, the pages say it on their error page;
parameters declared as lists repeat. Both databases (the demo catalogue)."""

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import pytest
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from service import query_params
from service.app import create_app
from service.errors import DomainError
from service.settings import Settings
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401
from tests.support.console import log_in
from tests.support.operators import FIRST, world


@pytest.mark.parametrize(
    "query, name",
    [
        ("/v1/destinations?theme=forest_healing&theme=hot_spring", "theme"),
        ("/v1/products?destination=yanji&destination=jian", "destination"),
        ("/v1/products?nights=7&nights=14", "nights"),
        ("/v1/products?nights=14&nights=14", "nights"),  # the same value twice too
        ("/v1/products?limit=5&cursor=&limit=6", "limit"),
    ],
)
def test_a_one_value_parameter_given_twice_is_422_repeated_parameter(pages, query, name):  # noqa: F811
    for lang, words in (("en", "more than once"), ("zh-CN", "不止一次")):
        r = pages.get(query, headers={"Accept-Language": lang})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert (problem["code"], problem["field"]) == ("repeated_parameter", name)
        assert words in problem["detail"]


def test_a_parameter_declared_as_a_list_repeats(pages):  # noqa: F811
    r = pages.get("/v1/destinations?certifications=a&certifications=b")
    assert r.json().get("code") != "repeated_parameter", r.text


def test_an_unknown_parameter_is_still_said_as_unknown_first(pages):  # noqa: F811
    r = pages.get("/v1/products?nihgts=7&nihgts=14")
    assert r.json()["code"] == "unknown_parameter"


def test_every_operation_refuses_a_repeated_one_value_parameter():
    app = create_app(Settings(database_url="sqlite:///:memory:"))
    checked = 0
    with TestClient(app, raise_server_exceptions=False) as client:
        for path, ops in app.openapi()["paths"].items():
            if "{" in path:
                continue
            for method, op in ops.items():
                for p in op.get("parameters", []):
                    schema = p.get("schema", {})
                    many = schema.get("type") == "array" or any(
                        s.get("type") == "array" for s in schema.get("anyOf", [])
                    )
                    if p["in"] != "query" or many:
                        continue
                    r = client.request(method.upper(), f"{path}?{p['name']}=1&{p['name']}=2")
                    assert r.status_code == 422, (method, path, p["name"], r.text)
                    assert r.json()["code"] == "repeated_parameter", (method, path, r.text)
                    assert r.json()["field"] == p["name"]
                    checked += 1
    assert checked > 10


@pytest.mark.parametrize(
    "path, params, zh, en",
    [
        ("/destinations", [("theme", "forest_healing"), ("theme", "hot_spring")], "主题", "Theme"),
        (
            "/plan",
            [("start", "2027-07-01"), ("start", "2027-07-02"), ("guests", "2")],
            "最早入住日期",
            "Earliest check-in",
        ),
        ("/plan", [("nights", "42"), ("nights", "43")], "住几晚", "How many nights"),
        (
            "/products/changbaishan-north-forest-cabin",
            [("nights", "7"), ("nights", "14")],
            "住几晚",
            "How many nights",
        ),
    ],
)
def test_a_page_says_a_choice_given_twice_on_its_error_page(pages, path, params, zh, en):  # noqa: F811
    """By the label its form shows it under, never the parameter's name (「这个地址给了
    “nights” 不止一个值」 on a Chinese page)."""
    name = params[0][0]
    r = pages.get(f"{path}?{urlencode(params)}", headers={"Accept-Language": "en"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert f"gives more than one value for “{en}”; please choose one" in r.text
    said = pages.get(f"{path}?{urlencode(params)}", headers={"Accept-Language": "zh-CN"})
    assert f"这个地址给了“{zh}”不止一个值" in said.text
    assert f"“{name}”" not in said.text


def test_a_parameter_no_form_shows_given_twice_is_said_without_its_name(pages):  # noqa: F811
    params = [("start", "2027-07-01"), ("min_nights_per_stay", "7"), ("min_nights_per_stay", "8")]
    for lang, said in (
        ("zh-CN", "这个地址的同一项条件给了不止一个值，请只选一个再查。"),
        ("en", "This address gives one of its choices more than once; please choose one"),
    ):
        r = pages.get(f"/plan?{urlencode(params)}", headers={"Accept-Language": lang})
        assert r.status_code == 422 and said in r.text
        assert "min_nights_per_stay”" not in r.text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_destinations_page_takes_several_certifications_all_of_them(pages, lang):  # noqa: F811
    """As ``GET /v1/destinations?certifications=a&certifications=b``: the places with
    every one, each box ticked again; a cursor's link keeps them all."""
    both = [("cert", "forest_healing_base"), ("cert", "national_5a_scenic")]
    api = pages.get(
        "/v1/destinations?" + urlencode([("certifications", c) for _, c in both]),
        headers={"Accept-Language": lang},
    )
    names = [d["name"] for d in api.json()["items"]]
    one = pages.get("/v1/destinations?certifications=forest_healing_base").json()["items"]
    assert 0 < len(names) < len(one)
    r = pages.get(f"/destinations?{urlencode(both)}", headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text[:300]
    assert "more than one value" not in r.text and "不止一个值" not in r.text
    for _, code in both:
        assert f'value="{code}" checked' in r.text
    assert all(n in r.text for n in names)
    found = re.search(r'<h2 id="results">([^<]+)</h2>', r.text).group(1)
    assert str(len(names)) in found, found
    bad = pages.get(f"/destinations?{urlencode([*both, ('cert', 'nope')])}")
    assert bad.status_code == 422 and 'value="national_5a_scenic" checked' in bad.text


def test_the_planner_page_takes_several_themes(pages):  # noqa: F811
    params = [("start", "2027-07-01"), ("end", "2027-08-01"), ("guests", "2")]
    params += [("themes", "forest_healing"), ("themes", "hot_spring")]
    r = pages.get(f"/plan?{urlencode(params)}", headers={"Accept-Language": "en"})
    assert "more than one value" not in r.text
    assert 'value="hot_spring" checked' in r.text and 'value="forest_healing" checked' in r.text


# A page ignores what it does not read: a link shared by WeChat or an ad campaign comes
# back with tracking parameters added, sometimes twice (a link re-shared, a campaign
# tool that appends its own); only a parameter the page reads as one value is refused.
TRACKING = [
    ("utm_source", "wechat"),
    ("utm_source", "moments"),
    ("isappinstalled", "0"),
    ("isappinstalled", "0"),
]


@pytest.mark.parametrize(
    "path, own",
    [
        ("/", []),
        ("/destinations", [("theme", "forest_healing")]),
        ("/destinations/changbaishan-north", []),
        ("/products/changbaishan-north-forest-cabin", [("nights", "14")]),
        ("/plan", [("themes", "forest_healing"), ("themes", "hot_spring")]),
        ("/manage", []),
    ],
)
def test_a_page_ignores_a_parameter_it_does_not_read_given_twice(pages, path, own):  # noqa: F811
    plain = pages.get(f"{path}?{urlencode(own)}", headers={"Accept-Language": "en"})
    r = pages.get(f"{path}?{urlencode(own + TRACKING)}", headers={"Accept-Language": "en"})
    assert plain.status_code == 200, plain.text[:300]
    assert r.status_code == 200, r.text[:300]
    assert "more than one value" not in r.text


def test_a_page_still_refuses_its_own_parameter_given_twice_beside_tracking_ones(pages):  # noqa: F811
    params = [*TRACKING, ("from", "2027-07-01"), ("from", "2027-08-01")]
    r = pages.get(f"/products/changbaishan-north-forest-cabin?{urlencode(params)}")
    assert r.status_code == 422 and "这个地址给了“价格日历的起始日期”不止一个值" in r.text


def test_the_api_still_refuses_a_tracking_parameter_as_unknown(pages):  # noqa: F811
    r = pages.get("/v1/destinations?utm_source=a&utm_source=b")
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("unknown_parameter", "utm_source")
    r = pages.get("/v1/products?utm_source=a&nights=14")
    assert (r.json()["code"], r.json()["field"]) == ("unknown_parameter", "utm_source")


def test_the_console_reads_its_declared_parameters_and_ignores_the_rest(db, client):
    """A console page ignores what it does not read (a shared address's tracking), but
    for the bookings list, whose address is its filters, as the API's: a parameter it
    does not take is said on the page and nothing listed (test_console_booking_filters)."""
    w = world(db)
    log_in(client, w.a.admin.login)
    week = [("from", FIRST.isoformat()), ("to", (FIRST + timedelta(days=6)).isoformat())]
    r = client.get(f"/console/calendar?{urlencode(week + TRACKING)}")
    assert r.status_code == 200 and FIRST.isoformat() in r.text
    r = client.get(f"/console/calendar?{urlencode(week + week[:1])}")
    assert r.status_code == 422
    r = client.get(f"/console/bookings?{urlencode(TRACKING + [('status', 'confirmed')] * 2)}")
    assert r.status_code == 422, r.text[:300]
    r = client.get(f"/console/bookings?{urlencode(TRACKING)}")
    assert r.status_code == 422 and "utm_source" in r.text
    page = f"/console/products/{w.a.product_id}?{urlencode([('done', 'created'), *TRACKING])}"
    r = client.get(page, headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 200 and "产品已创建" in r.text  # a declared one, read


def test_a_page_reads_only_the_parameters_it_declares():
    """``query_params.read`` holds the route's declared names only: a page that read one
    it does not declare would find nothing, so none can be read and escape the check."""

    class OwnQuery(APIRoute):
        reads_its_own_query = True

    app = FastAPI(dependencies=[Depends(query_params.reject_unknown_query)])
    router = APIRouter(route_class=OwnQuery)
    seen: list = []

    @router.get("/page")
    @query_params.reads("a")
    def page(request: Request, b: Annotated[str, Query()] = "") -> dict:
        seen.append(query_params.read(request).multi_items())
        return {}

    app.include_router(router)
    with TestClient(app) as client:
        assert client.get("/page?a=1&b=2&c=3&c=4").status_code == 200
        assert seen == [[("a", "1"), ("b", "2")]]
        for twice in ("a=1&a=2", "b=1&b=2"):
            with pytest.raises(DomainError) as refused:
                client.get(f"/page?{twice}")
            assert refused.value.code == "repeated_parameter"


def test_pages_read_their_query_only_through_query_params_read():
    root = Path(__file__).resolve().parents[2] / "service"
    for folder in ("pages", "console"):
        for source in (root / folder).glob("*.py"):
            assert "request.query_params" not in source.read_text(), source


def _check_ins(page: str) -> list[str]:
    return re.findall(r"check_in=(\d{4}-\d{2}-\d{2})", page)


@pytest.mark.parametrize("marker", sorted(query_params.WECHAT_SHARED_FROM))
def test_a_link_shared_in_wechat_reads_as_the_link_that_was_shared(pages, marker):  # noqa: F811
    # WeChat adds from=singlemessage (groupmessage, timeline) to a shared address; the
    # product page's calendar reads a `from` of its own, which must still read once.
    path = "/products/changbaishan-north-forest-cabin"
    own = [("from", "2027-07-01"), ("nights", "14")]
    plain = pages.get(f"{path}?{urlencode(own)}")
    shared = pages.get(f"{path}?{urlencode([*own, ('from', marker), ('isappinstalled', '0')])}")
    assert (plain.status_code, shared.status_code) == (200, 200), shared.text[:300]
    assert _check_ins(shared.text) == _check_ins(plain.text)
    assert _check_ins(plain.text)[0] == "2027-07-01"
    alone = pages.get(f"{path}?from={marker.upper()}")  # no date of its own: the first day
    assert alone.status_code == 200
    assert _check_ins(alone.text) == _check_ins(pages.get(path).text)
    # The API has no WeChat links: there `from` is a date, and this is not one.
    api = pages.get(f"/v1/products/1/availability?from={marker}&to=2027-08-01")
    assert (api.status_code, api.json()["field"]) == (422, "from")
