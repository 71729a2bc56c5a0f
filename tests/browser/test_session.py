"""The worker's one Chromium stays open for the whole session (tests/browser/conftest.py),
and the worker's other tests still run their own event loops in between: sync
Playwright leaves its loop marked as running in the thread, which ``asyncio.run``
refuses, unless it is hidden while no browser test runs."""

import asyncio

import pytest

pytestmark = pytest.mark.browser


async def _answer() -> int:
    await asyncio.sleep(0)
    return 42


def test_other_tests_run_their_own_event_loop_while_chromium_stays_open(chromium, server):
    assert asyncio.run(_answer()) == 42  # as a test of another package would, in between
    with chromium.awake() as browser:
        context = browser.new_context()
        try:
            response = context.new_page().goto(server.base + "/v1/health")
            assert response is not None and response.status == 200
        finally:
            context.close()
    assert asyncio.run(_answer()) == 42
    with chromium.awake() as browser:
        assert browser.is_connected()  # the same Chromium, still open
