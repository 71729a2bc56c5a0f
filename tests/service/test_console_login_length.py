"""The console's login form says a login or password the API would refuse (longer than
it takes, with the limit; a login with a control character) beside its field, in the
console's language: it is a form, never the error page of a link ("Something in the
link is not right"). Both databases."""

import re

import pytest
import sqlalchemy as sa

from tests.support.console import log_in
from tests.support.operators import PASSWORD, world


def _field_error(html: str, name: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>|⚠", "", found.group(1)).strip() if found else None


@pytest.mark.parametrize(
    "lang, login_said, password_said",
    [
        ("zh-CN", "错误：内容太长：最多 80 个字符。", "错误：内容太长：最多 200 个字符。"),
        ("en", "Error: This is too long (at most 80 characters).",
         "Error: This is too long (at most 200 characters)."),
    ],
)  # fmt: skip
def test_an_over_long_login_or_password_is_said_beside_its_field(
    db, client, lang, login_said, password_said
):
    w = world(db)
    client.cookies.set("lang", lang)
    r = log_in(client, "a" * 5000)
    assert r.status_code == 422
    assert _field_error(r.text, "login") == login_said
    assert "Something in the link" not in r.text and "链接" not in r.text
    r = log_in(client, w.a.admin.login, "p" * 5000)
    assert r.status_code == 422
    assert _field_error(r.text, "password") == password_said
    assert _field_error(r.text, "login") is None
    assert f'value="{w.a.admin.login}"' in r.text
    assert "jl_console" not in r.headers.get("set-cookie", "")
    assert log_in(client, w.a.admin.login).status_code == 303  # no attempt was counted


@pytest.mark.parametrize(
    "login, said",
    [
        ("a\x00b", "Error: This cannot hold control characters: it holds U+0000 NUL; please "
                   "type it again."),
        ("admin\u200b-a", "Error: This cannot hold invisible characters: it holds U+200B "
                          "ZERO WIDTH SPACE (a formatting character); please type it again."),
        ("ab", "Error: This is too short (at least 3 characters)."),
        ("王秀兰", "Error: This may use only ASCII letters (a-z, A-Z), digits and . _ @ - "
                  "(no spaces)."),
    ],
)  # fmt: skip
def test_a_login_the_api_refuses_is_said_beside_it_and_counts_no_attempt(db, client, login, said):
    """The form checks the login as ``POST /v1/admin/tokens`` does (``LoginIn``) before
    looking it up: a NUL in it was a 500 on PostgreSQL (no text there holds one)."""
    w = world(db)
    client.cookies.set("lang", "en")
    for _ in range(12):  # past the ten attempts a minute a login has
        r = log_in(client, login)
        assert r.status_code == 422 and _field_error(r.text, "login") == said, r.text[-2000:]
    with db.session() as s:
        assert s.execute(sa.text("SELECT count(*) FROM rate_limit_window")).scalar_one() == 0
    assert log_in(client, w.a.admin.login).status_code == 303


def _full_width(text: str) -> str:
    """``text`` as a Chinese input method in full-width mode types it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_a_login_typed_in_full_width_is_read_as_its_ascii_login(db, client):
    """An operator whose input method is in full-width mode types ｄｅｍｏ－ｙａｎｊｉ: the
    console and the API said it "may use only ASCII letters", which is what the person
    believes they typed. The login is read as every typed code is (NFKC), in both; the
    password is never changed."""
    w = world(db)
    typed = "  " + _full_width(w.a.admin.login.upper()) + "　"
    assert log_in(client, typed).status_code == 303
    r = client.post("/v1/admin/tokens", json={"login": typed, "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert client.get("/v1/admin/me", headers={"Authorization": f"Bearer {r.json()['token']}"}
                      ).json()["account"]["login"] == w.a.admin.login  # fmt: skip
    wrong = client.post(
        "/v1/admin/tokens", json={"login": typed, "password": _full_width(PASSWORD)}
    )
    assert wrong.status_code == 401  # a password is what was typed, full-width or not
