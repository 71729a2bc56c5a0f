"""The planner's load shedding (``service.plans.slots``): at most
``JL_PLANNER_CONCURRENCY`` searches at once in a worker, the API's and the planner page's
together; one more waits up to ``JL_PLANNER_WAIT_S`` for a slot, then is refused 503
``planner_busy`` with ``Retry-After`` (the page says it above its form). The tests hold
the slots through the guard's own API (``SearchSlots.taken``), so nothing depends on how
long a search takes; the waits are ended by a slot given back, never by a clock."""

import asyncio
import threading
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from service.app import create_app
from service.clock import Clock
from service.errors import PROBLEM_JSON, Unprocessable
from service.plans.slots import PlannerBusy, SearchSlots
from tests.service.test_plans_api import REFUSED, body, refused_body
from tests.support.pages import page_text

BUSY = {
    "en": "Too many trip searches are running right now; please try again in 1 second.",
    "zh-CN": "当前同时进行的行程搜索太多，请 1 秒后再试。",
}
PAGE_WORDS = {
    "en": "Many trips are being planned right now; please wait a few seconds and search again.",
    "zh-CN": "现在同时查找行程的人很多，请过几秒钟再点“查找行程”。",
}


@pytest.fixture
def one_slot(demo_db):
    """The demo catalogue served with one search slot and no wait for it: a request
    finding it taken is refused at once."""
    settings = demo_db.settings.model_copy(update={"planner_concurrency": 1, "planner_wait_s": 0})
    with TestClient(create_app(settings, database=demo_db), raise_server_exceptions=False) as c:
        yield c


def _slots(client: TestClient) -> SearchSlots:
    return client.app.state.planner_slots


def _shed() -> float:
    return REGISTRY.get_sample_value("jilin_planner_shed_total") or 0.0


def _running() -> float:
    return REGISTRY.get_sample_value("jilin_planner_searches_running") or 0.0


def _page_params() -> dict:
    start = Clock().today() + timedelta(days=90)
    return {
        "start": start.isoformat(),
        "end": (start + timedelta(days=35)).isoformat(),
        "nights": "28",
        "guests": "2",
        "max_stays": "2",
    }


def test_a_search_beyond_the_slots_is_503_planner_busy_in_both_languages(one_slot):
    shed = _shed()
    with _slots(one_slot).taken():
        for lang, words in BUSY.items():
            r = one_slot.post("/v1/plans", json=body(), headers={"Accept-Language": lang})
            assert r.status_code == 503, r.text
            assert r.headers["content-type"] == PROBLEM_JSON
            assert r.headers["Retry-After"] == "1"
            problem = r.json()
            assert problem["code"] == "planner_busy"
            assert problem["status"] == 503
            assert problem["detail"] == words
            assert problem["title"] == {"en": "Planner busy", "zh-CN": "行程规划繁忙"}[lang]
    assert _shed() == shed + 2
    r = one_slot.post("/v1/plans", json=body(), headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.text  # the slot given back: searched
    assert r.json()["plans"]


def assert_said_above_the_form(r, status: int, retry_after: str, lang: str, words: str) -> None:
    """The planner page (``_page_params``'s search) refused with ``status`` and
    ``Retry-After``, saying ``words`` above its form in ``lang``, the form kept."""
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["Retry-After"] == retry_after
    assert f'<html lang="{lang}">' in r.text
    summary = r.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert words in page_text(summary)
    assert 'value="28"' in r.text  # the form kept as typed, to search again


def test_the_planner_page_says_it_is_busy_above_the_form_in_its_language(one_slot):
    url = "/plan?" + urlencode(_page_params())
    with _slots(one_slot).taken():
        for lang, words in PAGE_WORDS.items():
            r = one_slot.get(url, headers={"Accept-Language": lang})
            assert_said_above_the_form(r, 503, "1", lang, words)
    r = one_slot.get(url, headers={"Accept-Language": "en"})
    assert r.status_code == 200
    assert "error-summary" not in r.text and 'id="plans"' in r.text


def test_the_api_and_the_page_share_the_slots(one_slot):
    """One search of either fills the one slot for the other: the page's search waits on
    the API's slots, not on its own."""
    slots = _slots(one_slot)
    assert slots is one_slot.app.state.planner_slots and slots.size == 1
    with slots.taken():
        assert one_slot.get("/plan?" + urlencode(_page_params())).status_code == 503
        assert one_slot.post("/v1/plans", json=body()).status_code == 503
    assert slots.running == 0 and slots.waiting == 0


def test_a_refused_input_is_still_said_as_its_422_when_the_slots_are_free(one_slot):
    """The guard refuses no request by itself: with a slot free, a request the planner
    refuses gets its own problem, and the slot is given back after it."""
    r = one_slot.post("/v1/plans", json=body(max_stays=0), headers={"Accept-Language": "en"})
    assert r.status_code == 422
    past = (Clock().today() - timedelta(days=1)).isoformat()
    r = one_slot.post("/v1/plans", json=body(earliest_check_in=past))
    assert r.status_code == 422 and r.json()["code"] == "window_in_past"
    assert _slots(one_slot).running == 0


@pytest.mark.parametrize("over, code, field", REFUSED)
def test_a_request_refused_without_a_search_gets_its_422_while_the_slots_are_full(
    one_slot, over, code, field
):
    """Invalid is invalid whether the planner is busy or not: a request finding every
    slot taken is checked before it waits (``SearchSlots.run_checked``), so it is told
    what is wrong with it, not to come back later; nothing is shed."""
    sent = refused_body(over)
    shed = _shed()
    with _slots(one_slot).taken():
        r = one_slot.post("/v1/plans", json=sent, headers={"Accept-Language": "en"})
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == (code, field)
        assert "Retry-After" not in r.headers
        assert _slots(one_slot).waiting == 0
        busy = one_slot.post("/v1/plans", json=body())  # a valid one is still shed
        assert busy.status_code == 503 and busy.json()["code"] == "planner_busy"
    assert _shed() == shed + 1
    assert _slots(one_slot).running == 0


def test_the_planner_page_says_what_is_wrong_with_the_form_while_the_slots_are_full(one_slot):
    params = _page_params()
    params["start"] = (Clock().today() - timedelta(days=1)).isoformat()
    with _slots(one_slot).taken():
        for lang, words in {
            "en": "The earliest check-in cannot be in the past.",
            "zh-CN": "最早入住日期不能早于今天。",
        }.items():
            r = one_slot.get("/plan?" + urlencode(params), headers={"Accept-Language": lang})
            assert r.status_code == 422
            assert "Retry-After" not in r.headers
            summary = r.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
            assert words in page_text(summary)
            assert PAGE_WORDS[lang] not in page_text(r.text)


def test_a_request_is_checked_before_it_waits_and_only_when_no_slot_is_free():
    """``run_checked``: with a slot free the search runs unchecked (it refuses an invalid
    request itself); with none, ``check`` runs first, and what it raises is raised with
    no slot taken and no wait."""
    slots = SearchSlots(1, wait_s=60)
    checked: list[str] = []

    def refuse() -> None:
        checked.append("checked")
        raise Unprocessable("refused", field="earliest_check_in", code="window_in_past")

    async def scenario() -> None:
        assert await slots.run_checked(refuse, lambda: "searched") == "searched"
        assert checked == []
        with slots.taken():
            with pytest.raises(Unprocessable) as refused:
                await slots.run_checked(refuse, print)
            assert refused.value.code == "window_in_past"
            assert checked == ["checked"]
            assert slots.waiting == 0 and slots.running == 1

    asyncio.run(scenario())
    assert slots.running == 0


def test_metrics_show_the_running_searches_and_the_shed_requests(one_slot):
    before = _running()
    with _slots(one_slot).taken():
        assert _running() == before + 1
        one_slot.post("/v1/plans", json=body())
        text = one_slot.get("/metrics").text
    assert _running() == before
    assert "jilin_planner_searches_running" in text
    shed = [line for line in text.splitlines() if line.startswith("jilin_planner_shed_total ")]
    assert shed and float(shed[0].split()[1]) >= 1


def test_the_openapi_document_declares_the_503_with_retry_after(client):
    doc = client.get("/openapi.json").json()
    busy = doc["paths"]["/v1/plans"]["post"]["responses"]["503"]
    assert "planner_busy" in busy["description"]
    assert "Retry-After" in busy["headers"]
    assert "planner_busy" in doc["components"]["schemas"]["ProblemCode"]["enum"]


# --- the slots themselves, without HTTP ------------------------------------------------


def _waiting_for(slots: SearchSlots, n: int):
    async def wait() -> None:
        while slots.waiting < n:
            await asyncio.sleep(0)

    return wait()


def test_a_waiting_search_runs_when_a_slot_is_given_back_from_another_thread():
    slots = SearchSlots(1, wait_s=60)  # a bound only: the wait ends by the slot given back
    held, release = threading.Event(), threading.Event()
    ran = []

    def hold() -> None:
        with slots.taken():
            held.set()
            release.wait(60)

    async def scenario() -> None:
        holder = threading.Thread(target=hold)
        holder.start()
        try:
            held.wait(60)
            search = asyncio.ensure_future(slots.run(ran.append, "searched"))
            await _waiting_for(slots, 1)
            assert slots.running == 1 and not ran
        finally:
            release.set()  # the thread's slot given back: handed to the waiting search
        await search
        holder.join()

    asyncio.run(scenario())
    assert ran == ["searched"]
    assert slots.running == 0 and slots.waiting == 0


def test_waiting_searches_take_freed_slots_first_come_first_served():
    slots = SearchSlots(1, wait_s=60)
    order: list[str] = []

    async def scenario() -> None:
        with slots.taken():
            first = asyncio.ensure_future(slots.run(order.append, "first"))
            await _waiting_for(slots, 1)
            second = asyncio.ensure_future(slots.run(order.append, "second"))
            await _waiting_for(slots, 2)
        await asyncio.gather(first, second)

    asyncio.run(scenario())
    assert order == ["first", "second"]
    assert slots.running == 0


def test_a_search_cancelled_while_waiting_leaves_no_slot_taken():
    slots = SearchSlots(1, wait_s=60)

    async def scenario() -> None:
        with slots.taken():
            waiting = asyncio.ensure_future(slots.run(print))
            await _waiting_for(slots, 1)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert slots.waiting == 0 and slots.running == 1
        assert slots.running == 0

    asyncio.run(scenario())
    with slots.taken():
        assert slots.running == 1


def test_with_no_wait_a_search_is_refused_at_once_and_no_slot_is_lost():
    """With no wait, a request finding the slots taken is refused at once, and the slot
    held is still given back whole."""
    slots = SearchSlots(1, wait_s=0)

    async def scenario() -> None:
        with slots.taken():
            with pytest.raises(PlannerBusy) as refused:
                await slots.run(print)
            assert refused.value.headers == {"Retry-After": "1"}
            assert slots.waiting == 0
        assert await slots.run(lambda: "searched") == "searched"

    asyncio.run(scenario())
    assert slots.running == 0


def test_retry_after_is_the_wait_in_whole_seconds_at_least_one():
    assert SearchSlots(2, wait_s=2).retry_after_s == 2
    assert SearchSlots(2, wait_s=2.5).retry_after_s == 3
    assert SearchSlots(2, wait_s=0).retry_after_s == 1
    with pytest.raises(ValueError):
        SearchSlots(0, wait_s=2)
