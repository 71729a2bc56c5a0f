"""The login limit counts attempts per client address (at one login, and at every login
together), never per login from everywhere: a stranger's wrong passwords cannot lock an
operator out of the admin API or the console (docs/operators.md)."""

from contextlib import contextmanager
from datetime import timedelta

from fastapi.testclient import TestClient

from service.clock import Clock
from tests.support.clock import FixedClock
from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import PASSWORD, world

STRANGER = ("203.0.113.7", 40000)


@contextmanager
def from_address(app, address: tuple[str, int]):
    with TestClient(app, raise_server_exceptions=False, client=address) as c:
        yield c


def _stop_the_clock(app) -> None:
    # The limit counts attempts per minute: a stopped clock keeps them all in one minute.
    app.state.clock = FixedClock(Clock().now())


def _token(c, login: str, password: str, lang: str = "en"):
    return c.post(
        "/v1/admin/tokens",
        json={"login": login, "password": password},
        headers={"Accept-Language": lang},
    )


@contextmanager
def ten_wrong_passwords_from_a_stranger(db, app, attempt):
    """A client at ``STRANGER`` that has just sent ten wrong passwords for admin-a
    (``attempt(client, password)``), each a 401, in one stopped minute."""
    world(db)
    _stop_the_clock(app)
    with from_address(app, STRANGER) as stranger:
        codes = [attempt(stranger, f"guess-{n}").status_code for n in range(10)]
        assert codes == [401] * 10
        yield stranger


def test_a_strangers_wrong_passwords_do_not_lock_the_operator_out_of_the_api(db, app, client):
    with ten_wrong_passwords_from_a_stranger(
        db, app, lambda c, password: _token(c, "admin-a", password)
    ) as stranger:
        refused = _token(stranger, "admin-a", PASSWORD)  # even the right password, from there
        zh = _token(stranger, "admin-a", PASSWORD, lang="zh-CN")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    problem = refused.json()
    assert (problem["code"], problem["field"], problem["limit"]) == ("rate_limited", "login", 10)
    assert "API key" not in problem["detail"] and "login attempts" in problem["detail"]
    assert zh.status_code == 429 and "网络地址" in zh.json()["detail"]
    assert "API" not in zh.json()["detail"]
    # the operator, from their own address, logs in at once
    assert _token(client, "admin-a", PASSWORD).status_code == 201


def test_one_address_trying_many_logins_is_limited_at_all_of_them_together(db, app, client):
    world(db)
    _stop_the_clock(app)
    with from_address(app, STRANGER) as stranger:
        answers = [_token(stranger, f"login-{n}", "guess") for n in range(31)]
    assert [a.status_code for a in answers] == [401] * 30 + [429]
    assert answers[30].json()["field"] == "login"
    assert "from your network address" in answers[30].json()["detail"]
    assert _token(client, "admin-a", PASSWORD).status_code == 201  # another address


def test_a_strangers_wrong_passwords_do_not_lock_the_operator_out_of_the_console(db, app, client):
    with ten_wrong_passwords_from_a_stranger(
        db, app, lambda c, password: log_in(c, "admin-a", password)
    ) as stranger:
        refused = log_in(stranger, "admin-a")
    assert refused.status_code == 429 and "此网络地址" in refused.text
    assert int(refused.headers["Retry-After"]) >= 1  # as the password form's 429
    assert "jl_console" not in refused.headers.get("set-cookie", "")
    r = log_in(client, "admin-a")
    assert r.status_code == 303 and r.headers["location"] == "/console"


def _change(c, headers: dict, current: str, lang: str = "en"):
    return c.post(
        "/v1/admin/me/password",
        json={"current_password": current, "new_password": "a new long passphrase"},
        headers={**headers, "Accept-Language": lang},
    )


def test_a_token_guesses_its_accounts_password_no_faster_than_a_login(db, app, client):
    """A stolen token's 600 requests a minute buy no more guesses at the current password
    than the login's 10: the 11th in a minute is refused even when right; the next minute
    it works."""
    w = world(db)
    _stop_the_clock(app)
    headers = w.a.admin.headers
    wrong = [_change(client, headers, f"guess-{n}").status_code for n in range(10)]
    assert wrong == [422] * 10
    refused = _change(client, headers, PASSWORD)
    zh = _change(client, headers, PASSWORD, lang="zh-CN")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    problem = refused.json()
    assert (problem["code"], problem["field"], problem["limit"]) == (
        "rate_limited",
        "current_password",
        10,
    )
    assert "attempts this minute at this account's password" in problem["detail"]
    assert zh.status_code == 429 and "修改密码" in zh.json()["detail"]
    # the same count as the login's: logging in from here is refused too
    assert _token(client, "admin-a", PASSWORD).json()["field"] == "login"
    app.state.clock = FixedClock(app.state.clock.now() + timedelta(minutes=1))
    assert _change(client, headers, PASSWORD).status_code == 200


def test_the_consoles_password_form_counts_with_the_login(db, app, client):
    world(db)
    _stop_the_clock(app)
    assert log_in(client, "admin-a").status_code == 303  # the first of ten this minute
    url = "/console/password"
    for n in range(9):
        wrong = post_form(client, url, {"current_password": f"guess-{n}", "new_password": "x"})
        assert wrong.status_code == 422
    new = {"current_password": PASSWORD, "new_password": "长白山下的温泉和森林小屋"}
    refused = post_form(client, url, new)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "（登录与修改密码合计）已超过 10 次" in said_beside(refused.text, "current_password")
    said_en = post_form(client, url, new, headers={"Accept-Language": "en"})
    assert "logins and password changes together" in said_beside(said_en.text, "current_password")
    app.state.clock = FixedClock(app.state.clock.now() + timedelta(minutes=1))
    assert post_form(client, url, new).status_code == 303
