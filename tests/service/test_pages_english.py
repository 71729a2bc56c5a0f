"""English pages say English: vocabulary names (prefectures, pilot kinds, themes) come
from the same source as the API's ``*_name`` fields."""

from service.operators.demo import DEMO_PASSWORD
from tests.support.console import log_in

EN = {"Accept-Language": "en"}


def test_prefectures_are_named_in_the_page_language(demo_client):
    listed = demo_client.get("/destinations", headers=EN).text
    assert "长白山管委会" not in listed and "Changbai Mountain Administrative Committee" in listed
    yanji = demo_client.get("/destinations/yanji", headers=EN).text
    assert "延边朝鲜族自治州" not in yanji
    assert "Yanbian Korean Autonomous Prefecture" in yanji
    assert "延边朝鲜族自治州" in demo_client.get("/destinations/yanji").text  # zh-CN default


def test_the_evaluation_names_the_prefecture_in_english(demo_client):
    demo_client.cookies.set("lang", "en")
    assert log_in(demo_client, "demo-province", DEMO_PASSWORD).status_code == 303
    page = demo_client.get("/console/evaluation/1?year=2026")
    assert page.status_code == 200
    api = demo_client.get("/v1/destinations/1", headers=EN).json()
    assert api["prefecture_name"] in page.text and api["prefecture"] not in page.text
