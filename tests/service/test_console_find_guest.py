"""The console's "find by the guest" (docs/operators.md, ``POST /console/bookings/find``):
a POST form (a phone or a name in no address), the API's ``lead_phone`` and ``name`` by
the same page function; a phone that is no phone said beside it in the booking form's
words; another destination's booking never found."""

import logging

from service.logs import JsonFormatter
from service.pages.refusals import VALIDATION
from tests.service.test_operators_find_guest import FANG, FANG_PHONE, OTHER, _book
from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import world

FIND = "/console/bookings/find"


def _find(client, lang="zh-CN", **data):
    return post_form(client, FIND, data, "/console/bookings", headers={"Accept-Language": lang})


def test_the_desk_finds_a_guests_booking_by_phone_or_name(db, client, caplog):
    w = world(db)
    fang = _book(db, w.a.product_id, FANG)
    other = _book(db, w.a.product_id, OTHER)
    log_in(client, w.a.staff.login)
    form = client.get("/console/bookings").text
    assert 'action="/console/bookings/find"' in form and 'method="post"' in form
    caplog.set_level(logging.DEBUG)
    r = _find(client, lead_phone="+86 138-0013-8000", name="")
    assert r.status_code == 200, r.text
    assert fang in r.text and other not in r.text
    assert "与此客人相符的预订" in r.text
    r = _find(client, "en", lead_phone="", name=" 王芳 ")
    assert fang in r.text and other not in r.text and "Bookings of this guest" in r.text
    r = _find(client, "en", lead_phone="13700000000", name="")
    assert fang not in r.text and other not in r.text
    assert "No booking at the destinations you can see has this phone or name." in r.text
    server = [x for x in caplog.records if x.name != "httpx"]  # httpx: the test's client
    lines = "\n".join(JsonFormatter().format(x) for x in server)
    # the phone however written (not a bare "0013": a request id's hex may hold it)
    assert not FANG_PHONE.search(lines)
    assert "王芳" not in lines


def test_a_phone_that_is_no_phone_is_said_beside_it_in_the_booking_forms_words(db, client):
    w = world(db)
    _book(db, w.a.product_id, FANG)
    log_in(client, w.a.staff.login)
    for lang, words in (
        ("zh-CN", VALIDATION["phone_format"][0]),
        ("en", VALIDATION["phone_format"][1]),
    ):
        r = _find(client, lang, lead_phone="abc", name="")
        assert r.status_code == 422
        assert said_beside(r.text, "lead_phone").endswith(words)  # after "错误：" / "Error:"
        assert 'value="abc"' in r.text  # the typed text kept
    r = _find(client, "en", lead_phone="", name="")
    assert r.status_code == 422
    assert said_beside(r.text, "lead_phone").endswith("Fill in a phone or a name.")


def test_another_destinations_booking_is_never_found_from_the_console(db, client):
    w = world(db)
    at_b = _book(db, w.b.product_id, FANG)
    log_in(client, w.a.admin.login)
    for data in ({"lead_phone": "13800138000", "name": ""}, {"lead_phone": "", "name": "王芳"}):
        r = _find(client, **data)
        assert r.status_code == 200 and at_b not in r.text
        assert "在您能查看的目的地没有与此电话或姓名相符的预订。" in r.text
