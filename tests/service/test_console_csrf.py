"""Console CSRF refusals are the documented 403, in the console's own layout and the
page's language, on every console form: a post from another origin, without the token,
or with a token that is not the cookie's. ``next`` after logging in is only ever a
console path. Both databases."""

import pytest

from tests.support.console import csrf_of, log_in
from tests.support.operators import world

FORMS = ["/console/calendar/apply", "/console/calendar/preview", "/console/products/{p}"]


@pytest.mark.parametrize("how", ["no token", "wrong token", "other origin"])
def test_a_forged_console_post_is_a_403_in_the_consoles_layout(db, client, how):
    w = world(db)
    assert log_in(client, "admin-a").status_code == 303
    token = csrf_of(client.get("/console/calendar").text)
    for form in FORMS:
        path = form.format(p=w.a.product_id)
        data = {"product_ids": str(w.a.product_id), "units": "3"}
        headers = {}
        if how == "wrong token":
            data["csrf_token"] = token[:-4] + "AAAA"
        elif how == "other origin":
            data["csrf_token"] = token
            headers["Origin"] = "https://evil.example"
        r = client.post(path, data=data, headers=headers, follow_redirects=False)
        assert r.status_code == 403, (path, how, r.status_code, r.text[:300])
        assert "请按提示修改" not in r.text
        assert 'class="brand" href="/console"' in r.text, (path, how)  # the console's layout
        assert 'href="/destinations"' not in r.text, (path, how)  # not the traveller site's
        assert "返回运营后台" in r.text
        en = client.post(
            path, data=data, headers=headers | {"Accept-Language": "en"}, follow_redirects=False
        )
        assert en.status_code == 403


@pytest.mark.parametrize(
    "next_path, lands",
    [
        ("/console/../v1/admin/me", "/console"),
        ("/console/%2e%2e/v1/admin/me", "/console"),
        ("/console/./calendar/../bookings", "/console/bookings"),
        ("/console/..", "/console"),
        ("/consolex", "/console"),
        ("/console/calendar?from=2027-07-01", "/console/calendar?from=2027-07-01"),
    ],
)
def test_next_after_logging_in_stays_under_the_console(db, client, next_path, lands):
    world(db)
    r = log_in(client, "admin-a", next_path=next_path)
    assert r.status_code == 303 and r.headers["location"] == lands
