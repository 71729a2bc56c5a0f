"""The console's arrivals export (``/console/arrivals``): the admin API's service and
its file, byte for byte; the form, linked from the bookings page and the dashboard; a
refusal said beside its field in the page's language, with the API's status."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from service.auth import ANONYMOUS
from service.clock import SHANGHAI
from tests.service.booking_support import LEAD, book_in_service, item, make_quote
from tests.support.clock import FixedClock
from tests.support.console import log_in, said_beside
from tests.support.operators import FIRST, world

ZH, EN = {"Accept-Language": "zh-CN"}, {"Accept-Language": "en"}


@pytest.fixture
def desk(db, client):
    w = world(db)
    quote = make_quote(db, ANONYMOUS, item(w.a.product_id, check_in=FIRST, nights=2))
    ref = book_in_service(db, ANONYMOUS, quote)
    assert ref.startswith("JL-"), ref
    assert log_in(client, w.a.admin.login).status_code == 303
    return w, ref


def test_the_console_downloads_the_apis_file(db, client, desk):
    w, ref = desk
    days = {"from": FIRST.isoformat(), "to": (FIRST + timedelta(days=2)).isoformat()}
    client.app.state.clock = FixedClock(datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI))
    for fmt, lang in (("csv", ZH), ("xlsx", ZH), ("xlsx", EN)):
        page = client.get("/console/arrivals", params={**days, "format": fmt}, headers=lang)
        api = client.get("/v1/admin/arrivals", params={**days, "format": fmt},
                         headers={**w.a.admin.headers, **lang})  # fmt: skip
        assert page.status_code == 200, page.text
        assert page.headers["cache-control"] == "private, no-store"
        assert page.headers["content-disposition"] == api.headers["content-disposition"]
        assert page.content == api.content
        if fmt == "xlsx":  # the readable sheet in the page's language, then the machine one
            book = load_workbook(io.BytesIO(page.content))
            readable, machine = (list(s.iter_rows(values_only=True)) for s in book.worksheets)
            assert book.sheetnames[1] == "arrivals" and machine[0][0] == "reference"
            assert machine[1][0] == ref and LEAD["name"] in machine[1]
            assert readable[1][0] == ("预订号" if lang is ZH else "Reference")
            assert readable[2][0] == ref and LEAD["phone"] in readable[2]


def test_the_form_is_linked_and_filled_with_today(db, client, desk, app):
    today = app.state.clock.today().isoformat()
    assert 'href="/console/arrivals"' in client.get("/console/bookings").text
    dashboard = client.get("/console").text
    assert f'href="/console/arrivals?from={today}&amp;to={today}&amp;format=xlsx"' in dashboard
    form = client.get("/console/arrivals", headers=EN)
    assert form.status_code == 200
    assert f'value="{today}"' in form.text and "At most 31 days" in form.text


@pytest.mark.parametrize(
    ("query", "status", "field", "zh", "en"),
    [
        ("from=2027-03-02&to=2027-03-01&format=csv", 422, "to", "不能早于", "must not be before"),
        ("from=2027-03-01&to=2027-04-01&format=csv", 422, "to", "一次最多 31 天", "At most 31"),
        ("from=2027-02-30&to=2027-03-01&format=csv", 422, "from", "没有这个日期", "no such date"),
        ("from=2027-03-01&to=2027-03-01&format=pdf", 422, "format", "请从", "choose from the list"),
        (
            "from=2027-03-01&to=2027-03-01&status=lost&format=csv",
            422,
            "status",
            "请从",
            "choose from the list",
        ),
        ("from=&to=2027-03-01&format=csv", 422, "from", "请填写", "fill"),
    ],
)
def test_a_refusal_is_said_beside_its_field(db, client, desk, query, status, field, zh, en):
    for lang, words in ((ZH, zh), (EN, en)):
        r = client.get(f"/console/arrivals?{query}", headers=lang)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("text/html")
        assert words in said_beside(r.text, field), (field, said_beside(r.text, field))


def test_another_destination_is_refused_beside_the_destination(db, client, desk):
    w, _ = desk
    r = client.get(
        "/console/arrivals",
        params={"from": FIRST.isoformat(), "to": FIRST.isoformat(), "format": "csv",
                "destination_id": w.b.destination_id},
        headers=EN,
    )  # fmt: skip
    assert r.status_code == 404
    assert said_beside(r.text, "destination_id")
    assert LEAD["phone"] not in r.text
