"""Anonymous callers' fair share of the planner, by client address (``service.plans.fair``):
``JL_PLANNER_ANONYMOUS_PER_MINUTE`` planner requests a minute (counted in the database)
and ``JL_PLANNER_ANONYMOUS_AT_ONCE`` searches at once in a worker; past either, 429
``rate_limited`` with ``Retry-After`` in both languages (the planner page says it above
its form). A caller with an API key is counted by its key only. The minute is a stopped
clock's; a search is held in flight by an event, never by a clock."""

import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from service.app import create_app
from service.clients.keys import hash_address
from service.errors import PROBLEM_JSON
from service.plans import endpoints
from tests.service.test_plans_api import body
from tests.service.test_plans_busy import _page_params, assert_said_above_the_form
from tests.support.clock import FixedClock
from tests.support.payments import make_partner

PER_MINUTE = {
    "en": "More than 2 trip searches this minute from your network address; "
    "please try again in a minute.",
    "zh-CN": "本分钟从您的网络地址发起的行程搜索已超过 2 次，请一分钟后再试。",
}
AT_ONCE = {
    "en": "Your network address already has a search running; please try again in 2 "
    "seconds, when it has ended.",
    "zh-CN": "您的网络地址已有 1 个行程搜索正在进行，请 2 秒后再试。",
}


@pytest.fixture
def app(demo_db):
    """The demo catalogue, 2 anonymous searches a minute and 1 at once per address, on a
    clock stopped at a minute of its own (the demo database, and its counts, are shared
    by the session's tests)."""
    settings = demo_db.settings.model_copy(
        update={"planner_anonymous_per_minute": 2, "planner_anonymous_at_once": 1}
    )
    app = create_app(settings, database=demo_db)
    app.state.clock = FixedClock(datetime.now(UTC).replace(second=30, microsecond=0))
    return app


def _limited(share: str) -> float:
    return REGISTRY.get_sample_value("jilin_planner_limited_total", {"share": share}) or 0.0


def _from(app, address: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(address, 50000))


def _assert_429(r, lang: str, words: dict[str, str], limit: int) -> None:
    assert r.status_code == 429, r.text
    assert r.headers["content-type"] == PROBLEM_JSON
    problem = r.json()
    assert problem["code"] == "rate_limited"
    assert problem["status"] == 429
    assert problem["limit"] == limit
    assert problem["detail"] == words[lang]
    assert problem["title"] == {"en": "Too many requests", "zh-CN": "请求过于频繁"}[lang]
    assert 1 <= int(r.headers["Retry-After"]) <= 60


def test_an_address_past_its_searches_a_minute_is_429_and_others_are_not(app, demo_db):
    limited = _limited("per_minute")
    with _from(app, "198.51.100.1") as one, _from(app, "198.51.100.2") as other:
        for _ in range(2):
            assert one.post("/v1/plans", json=body()).status_code == 200
        for lang in ("en", "zh-CN"):
            r = one.post("/v1/plans", json=body(), headers={"Accept-Language": lang})
            _assert_429(r, lang, PER_MINUTE, 2)
            assert r.headers["Retry-After"] == "30"  # the minute's 30 seconds left
        # Refused before anything else is read: an invalid request is refused the same.
        r = one.post("/v1/plans", json=body(earliest_check_in="2020-01-01"))
        assert r.json()["code"] == "rate_limited"
        assert _limited("per_minute") == limited + 3
        assert other.post("/v1/plans", json=body()).status_code == 200
        _, key = make_partner(demo_db, demo_db.settings)
        for _ in range(3):  # the same address with a key: its key's limit only
            assert one.post("/v1/plans", json=body(), headers=key).status_code == 200
        app.state.clock.instant += timedelta(minutes=1)  # the next minute
        assert one.post("/v1/plans", json=body()).status_code == 200


def test_the_planner_page_says_the_spent_share_above_the_form(app):
    url = "/plan?" + urlencode(_page_params())
    with _from(app, "198.51.100.3") as c:
        for _ in range(2):
            assert c.get(url).status_code == 200
        for lang in ("en", "zh-CN"):
            r = c.get(url, headers={"Accept-Language": lang})
            assert_said_above_the_form(r, 429, "30", lang, PER_MINUTE[lang])
        assert c.get("/plan").status_code == 200  # the empty form searches nothing


def test_one_address_has_at_most_one_search_at_once(app, monkeypatch):
    """While one search of an address runs, its next is refused at once (429, the slots'
    Retry-After) and another address's is searched; the address may search again once
    its search has ended."""
    started, release = threading.Event(), threading.Event()
    plans = endpoints._plans
    first = threading.Lock()

    def held(*args, **kwargs):
        if first.acquire(blocking=False):  # only the first search is held
            started.set()
            assert release.wait(timeout=60)
        return plans(*args, **kwargs)

    monkeypatch.setattr(endpoints, "_plans", held)
    address = "198.51.100.4"
    share = app.state.planner_share
    key = hash_address(address, app.state.settings.secret_key)
    answers: list = []
    with _from(app, address) as one, _from(app, "198.51.100.5") as other:
        search = lambda: answers.append(one.post("/v1/plans", json=body()))  # noqa: E731
        searching = threading.Thread(target=search)
        searching.start()
        try:
            assert started.wait(timeout=60)
            assert share.running(key) == 1
            limited = _limited("at_once"), _limited("per_minute")
            for lang in ("en", "zh-CN"):
                r = one.post("/v1/plans", json=body(), headers={"Accept-Language": lang})
                _assert_429(r, lang, AT_ONCE, 1)
                assert r.headers["Retry-After"] == "2"  # the slots' wait, JL_PLANNER_WAIT_S
            assert other.post("/v1/plans", json=body()).status_code == 200
            assert (_limited("at_once"), _limited("per_minute")) == (
                limited[0] + 2,
                limited[1],
            )
        finally:
            release.set()
            searching.join(timeout=60)
        assert [r.status_code for r in answers] == [200]
        assert share.running(key) == 0
        # The refusals were not counted: the address's second search of the minute runs.
        assert one.post("/v1/plans", json=body()).status_code == 200
