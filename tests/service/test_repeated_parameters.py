"""A one-value query parameter given twice is refused, never cut to its last value: the
API says 422 ``repeated_parameter`` naming it, the pages say it on their error page;
parameters declared as lists repeat. Both databases (the demo catalogue)."""

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service.test_pages_trip import pages, pages_db  # noqa: F401


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
    "path, params",
    [
        ("/destinations", [("theme", "forest_healing"), ("theme", "hot_spring")]),
        ("/plan", [("start", "2027-07-01"), ("start", "2027-07-02"), ("guests", "2")]),
        ("/products/changbaishan-north-forest-cabin", [("nights", "7"), ("nights", "14")]),
    ],
)
def test_a_page_says_a_choice_given_twice_on_its_error_page(pages, path, params):  # noqa: F811
    r = pages.get(f"{path}?{urlencode(params)}", headers={"Accept-Language": "en"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "gives the same choice twice" in r.text
    zh = pages.get(f"{path}?{urlencode(params)}", headers={"Accept-Language": "zh-CN"})
    assert "同一项选择给了两次" in zh.text


def test_the_planner_page_takes_several_themes(pages):  # noqa: F811
    params = [("start", "2027-07-01"), ("end", "2027-08-01"), ("guests", "2")]
    params += [("themes", "forest_healing"), ("themes", "hot_spring")]
    r = pages.get(f"/plan?{urlencode(params)}", headers={"Accept-Language": "en"})
    assert "gives the same choice twice" not in r.text
    assert 'value="hot_spring" checked' in r.text and 'value="forest_healing" checked' in r.text
