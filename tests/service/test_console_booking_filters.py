"""The console's bookings list reads its filters by the API's rules
(``operators.booking_list``: one model, one page function): what ``GET
/v1/admin/bookings`` refuses, the page refuses too, said in the page's language beside
the filter's field (or above the form when the address has no field for it), and lists
no booking rather than every one. Until December 2026 ``?destination_id=8`` (another
destination), ``?destination_id=abc``, ``?cursor=garbage`` and ``?foo=1`` all answered 200
with the full list, where the API gives 404, 422 ``invalid_cursor`` and 422
``unknown_parameter``."""

import re

import pytest

from service.auth import ANONYMOUS
from tests.service.booking_support import book_in_service, item, make_quote
from tests.support.console import log_in, refused_alike, said_beside, summary_of
from tests.support.operators import FIRST, world

ZH, EN = {"Accept-Language": "zh-CN"}, {"Accept-Language": "en"}


def _listed(html: str) -> set[str]:
    return set(re.findall(r'href="/console/bookings/(JL-[A-Z0-9]+)"', html))


@pytest.fixture
def desk(db, client):
    w = world(db)
    refs = {
        place: book_in_service(
            db, ANONYMOUS, make_quote(db, ANONYMOUS, item(product, check_in=FIRST, nights=2))
        )
        for place, product in (("a", w.a.product_id), ("b", w.b.product_id))
    }
    assert log_in(client, w.a.admin.login).status_code == 303
    return w, refs


def test_a_filter_the_api_refuses_is_said_beside_its_field_and_lists_nothing(db, client, desk):
    w, refs = desk
    h = w.a.admin.headers
    assert _listed(client.get("/console/bookings").text) == {refs["a"]}  # the list itself
    cases = [
        # (query, the API's status and field, the console's field or "_form")
        (f"destination_id={w.b.destination_id}", 404, "destination_id", "destination_id"),
        ("destination_id=abc", 422, "destination_id", "destination_id"),
        ("status=lost", 422, "status", "status"),
        ("arriving_from=2027-03-01&arriving_to=2027-02-01", 422, "arriving_to", "arriving_to"),
        ("cursor=garbage", 422, "cursor", "_form"),
        ("foo=1", 422, "foo", "_form"),
    ]
    refused_alike(client, "/v1/admin/bookings", "/console/bookings", cases, h, _listed)
    zh = client.get("/console/bookings?foo=1", headers=ZH).text
    assert "本页不接受的筛选条件“foo”" in summary_of(zh)
    en = client.get("/console/bookings?cursor=garbage", headers=EN).text
    assert "start again from the first page" in summary_of(en)
    assert "不能早于开始日期" in said_beside(
        client.get("/console/bookings?arriving_from=2027-03-01&arriving_to=2027-02-01").text,
        "arriving_to",
    )


def test_the_filters_and_the_pages_are_the_apis(db, client, desk):
    """The destination filter of the API is on the page, and the page walks on by the
    API's cursor, its next page's address carrying its filters."""
    w, refs = desk
    page = client.get(f"/console/bookings?destination_id={w.a.destination_id}")
    assert page.status_code == 200 and _listed(page.text) == {refs["a"]}
    assert 'name="destination_id"' not in client.get("/console/bookings").text  # one place
    province = client.__class__(client.app, base_url=str(client.base_url))
    assert log_in(province, w.province.login).status_code == 303
    every = province.get("/console/bookings").text
    assert _listed(every) == {refs["a"], refs["b"]} and 'name="destination_id"' in every
    only_b = province.get(f"/console/bookings?destination_id={w.b.destination_id}").text
    assert _listed(only_b) == {refs["b"]}
    # a date typed as the console reads dates is still read
    typed = FIRST.strftime("%Y/%m/%d")
    assert _listed(client.get(f"/console/bookings?arriving_from={typed}").text) == {refs["a"]}


def test_a_booking_is_found_by_its_reference_as_typed_and_only_in_scope(db, client, desk):
    """The desk finds one booking by the reference the guest reads out, typed any way
    the reference is read (lower case, full-width, no hyphen): its page. Another
    operator's booking is exactly as unknown (said beside the field, in the page's
    language, with the list below), and nothing typed is "please fill this in"."""
    w, refs = desk
    own, other = refs["a"], refs["b"]
    bare = own.replace("-", "")
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in own.lower())
    for typed in (own, bare.lower(), f"  {fullwidth} "):
        r = client.get("/console/bookings", params={"reference": typed}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/console/bookings/{own}"
    for headers, said in ((ZH, f"找不到预订号为 {other} 的预订"), (EN, f"no booking {other} at")):
        r = client.get("/console/bookings", params={"reference": other.lower()}, headers=headers)
        assert r.status_code == 404 and said in said_beside(r.text, "reference")
        assert _listed(r.text) == {own}  # the list, without the other operator's booking
    r = client.get("/console/bookings", params={"reference": "nothing-like-it"})
    assert r.status_code == 404 and "NOTHING-LIKE-IT" in said_beside(r.text, "reference")
    r = client.get("/console/bookings", params={"reference": " "}, headers=EN)
    assert r.status_code == 422 and "Please fill this in." in said_beside(r.text, "reference")
    assert 'name="reference"' in client.get("/console/bookings").text
