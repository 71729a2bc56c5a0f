"""The front desk undoes a check-in (back to expected) and a check-out (back to checked
in) recorded by mistake, as it undoes a no-show: until the stay's last night, in the
audit log, through the API and the console alike. The booking, the reports, the survey
and the cancel follow the stay as it then stands; an answer given after a mistaken
check-out is kept."""

import uuid
from datetime import time, timedelta

from tests.service.booking_support import item, post_booking, quote_http
from tests.service.test_console_desk import _buttons
from tests.support import reports as R
from tests.support.clock import FixedClock
from tests.support.console import log_in, post_form
from tests.support.operators import FIRST, world


def _desk(client, ref, status, headers, lang="zh-CN"):
    return client.post(
        f"/v1/admin/bookings/{ref}/stay-status",
        json={"item_index": 0, "status": status},
        headers={**headers, "Accept-Language": lang},
    )


def _book(client, product_id) -> tuple[str, dict]:
    quote = quote_http(client, item(product_id, check_in=FIRST, nights=7))
    r = post_booking(client, quote["id"])
    assert r.status_code == 201, r.text
    return r.json()["reference"], {"X-Booking-Token": r.json()["token"]}


def _summary_agrees(db) -> dict:
    """``report_stay`` (what the reports read) as the raw rows say, by stay item id."""
    stays, _ = R.raw_rows(db)
    got = R.summary_rows(db)
    assert got == R.expected_summary(stays)
    return got


def _measures(client, w) -> dict:
    day = FIRST.isoformat()
    r = client.get(
        "/v1/reports/measures", params={"from": day, "to": day}, headers=w.province.headers
    )
    assert r.status_code == 200, r.text
    total = r.json()["total"]
    return {k: total[k] for k in ("stays", "no_shows", "survey_answers", "response_bps")}


def _last_audit(client, w) -> tuple:
    entry = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"][0]
    return entry["action"], entry["before"]["stay_status"], entry["after"]["stay_status"]


def test_check_in_and_check_out_are_undone_and_everything_follows(db, client):
    w = world(db)
    ref, mine = _book(client, w.a.product_id)
    h = w.a.staff.headers
    survey = f"/v1/bookings/{ref}/survey"
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    assert _desk(client, ref, "checked_in", h).status_code == 200
    version = client.get(f"/v1/bookings/{ref}", headers=mine).json()["version"]
    # a check-in recorded by mistake: back to expected
    r = _desk(client, ref, "expected", h)
    assert r.status_code == 200 and r.json()["items"][0]["stay_status"] is None, r.text
    assert _last_audit(client, w) == ("stay_check_in_undone", "checked_in", None)
    assert client.get(f"/v1/bookings/{ref}", headers=mine).json()["version"] > version
    _summary_agrees(db)
    # the guest does arrive, and is checked out by mistake the next day
    assert _desk(client, ref, "checked_in", h).status_code == 200
    client.app.state.clock = FixedClock.on(FIRST + timedelta(days=1), time(9))
    assert _desk(client, ref, "completed", h).status_code == 200
    assert client.get(survey, headers=mine).json()["stays"][0]["open"] is True
    answer = {"item_index": 0, "overall": 4}
    assert client.post(survey, json=answer, headers=mine).status_code == 201
    rows = _summary_agrees(db)
    assert [r["checked_out"] for r in rows.values()] == [True]
    assert _measures(client, w) == {
        "stays": 1, "no_shows": 0, "survey_answers": 1, "response_bps": 10000
    }  # fmt: skip
    # undone: checked in again; the answer is kept and still counted over its stay
    r = _desk(client, ref, "checked_in", h)
    assert r.status_code == 200 and r.json()["items"][0]["stay_status"] == "checked_in", r.text
    assert _last_audit(client, w) == ("stay_check_out_undone", "completed", "checked_in")
    rows = _summary_agrees(db)
    assert [(r["checked_out"], r["overall"]) for r in rows.values()] == [(False, 4)]
    state = client.get(survey, headers=mine).json()["stays"][0]
    assert (state["open"], state["answered"]) == (False, True)
    again = client.post(survey, json=answer, headers=mine)  # a retry: the same answer
    assert again.status_code == 200, again.text
    other = client.post(survey, json={**answer, "overall": 5}, headers=mine)
    assert (other.status_code, other.json()["code"]) == (409, "survey_answered")
    assert _measures(client, w) == {
        "stays": 1, "no_shows": 0, "survey_answers": 1, "response_bps": 10000
    }  # fmt: skip
    refused = client.post(
        f"/v1/bookings/{ref}/cancel", headers={**mine, "Idempotency-Key": str(uuid.uuid4())}
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "stay_started")
    # both undone (the stay had not begun after all): the booking may be cancelled again
    assert _desk(client, ref, "expected", h).status_code == 200
    assert client.get(f"/v1/bookings/{ref}", headers=mine).json()["status"] == "confirmed"
    cancelled = client.post(
        f"/v1/bookings/{ref}/cancel", headers={**mine, "Idempotency-Key": str(uuid.uuid4())}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    _summary_agrees(db)
    assert _measures(client, w)["stays"] == 0


def test_from_the_check_out_day_a_check_in_or_a_check_out_stands(db, client):
    """The no-show's rule: every undo is made through the stay's last night."""
    w = world(db)
    h = w.a.staff.headers
    (checked_in, _), (checked_out, _) = _book(client, w.a.product_id), _book(client, w.a.product_id)
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    for ref in (checked_in, checked_out):
        assert _desk(client, ref, "checked_in", h).status_code == 200
    assert _desk(client, checked_out, "completed", h).status_code == 200
    out = FIRST + timedelta(days=7)
    client.app.state.clock = FixedClock.on(out - timedelta(days=1), time(23))  # last night
    assert _desk(client, checked_out, "checked_in", h).status_code == 200
    assert _desk(client, checked_out, "completed", h).status_code == 200
    client.app.state.clock = FixedClock.on(out, time(8))
    said = {
        (checked_in, "expected"): (
            f"The stay ends on {out}; from that day its check-in can no longer be undone.",
            f"离店日期为 {out}，从当天起不能再撤销入住登记。",
        ),
        (checked_out, "checked_in"): (
            f"The stay ends on {out}; from that day its check-out can no longer be undone.",
            f"离店日期为 {out}，从当天起不能再撤销离店登记。",
        ),
    }
    for (ref, status), (en, zh) in said.items():
        for lang, words in (("en", en), ("zh-CN", zh)):
            r = _desk(client, ref, status, h, lang)
            problem = r.json()
            assert (r.status_code, problem["code"], problem["field"]) == (409, "too_late", "status")
            assert problem["detail"] == words


def test_an_undo_goes_one_step_back_only(db, client):
    """``expected`` is not a check-out undone (check it in first), nor anything for a stay
    not arrived; a check-out is not undone by a no-show."""
    w = world(db)
    ref, _ = _book(client, w.a.product_id)
    h = w.a.staff.headers
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    r = _desk(client, ref, "expected", h, "en")
    assert (r.status_code, r.json()["code"]) == (409, "invalid_transition")
    assert r.json()["detail"] == "This stay has not been checked in yet."
    for step in ("checked_in", "completed"):
        assert _desk(client, ref, step, h).status_code == 200
    for status in ("expected", "no_show"):
        r = _desk(client, ref, status, h, "en")
        assert (r.status_code, r.json()["code"]) == (409, "invalid_transition"), r.text
    assert r.json()["detail"] == (
        "This stay is already checked out, so it cannot be marked as a no-show."
    )


def test_the_console_undoes_a_check_in_and_a_check_out_in_words(db, client):
    w = world(db)
    ref, _ = _book(client, w.a.product_id)
    log_in(client, w.a.staff.login)
    page = f"/console/bookings/{ref}"
    client.app.state.clock = FixedClock.on(FIRST, time(10))
    post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "checked_in"}, page)
    for lang, undo in (("zh-CN", "撤销入住"), ("en", "Undo the check-in")):
        html = client.get(page, headers={"Accept-Language": lang}).text
        assert _buttons(html) == ["completed", "expected"] and f">{undo}</button>" in html
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "expected"}, page)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=check_in_undone")
    html = client.get(r.headers["location"]).text
    assert "已撤销入住，这段住宿改回待入住。" in html and 'id="stay-0">待入住<' in html
    assert _buttons(html) == ["checked_in", "no_show"]
    for step in ("checked_in", "completed"):
        post_form(client, f"{page}/stay-status", {"item_index": "0", "status": step}, page)
    for lang, undo in (("zh-CN", "撤销离店"), ("en", "Undo the check-out")):
        html = client.get(page, headers={"Accept-Language": lang}).text
        assert _buttons(html) == ["checked_in"] and f">{undo}</button>" in html
    r = post_form(client, f"{page}/stay-status", {"item_index": "0", "status": "checked_in"}, page)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=check_out_undone")
    html = client.get(r.headers["location"], headers={"Accept-Language": "en"}).text
    assert "Check-out undone: the stay is checked in again." in html
    assert 'id="stay-0">Checked in<' in html
    audit = client.get("/console/audit", headers={"Accept-Language": "en"}).text
    assert "check-in undone" in audit and "check-out undone" in audit
