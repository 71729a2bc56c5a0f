"""One password policy for every new operator password (NIST SP 800-63B: a length floor,
no composition rules, no known passwords), and one account per login whatever its case."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from catalog.demo.loader import load_demo
from service.operators import accounts
from service.operators.demo import DEMO_PASSWORD, load_demo_operators
from service.operators.models import OperatorAccount
from tests.support.console import log_in, post_form, said_beside
from tests.support.operators import PASSWORD, world


def _account(w, login: str, password: str) -> dict:
    return {
        "login": login,
        "display_name": "前台",
        "role": "operator_staff",
        "destination_ids": [w.a.destination_id],
        "password": password,
    }


@pytest.mark.parametrize(
    ("password", "zh", "en"),
    [
        (" " * 12, "空格", "only spaces"),
        ("   eleven-chr   ", "至少需要 12 个字符", "at least 12 characters"),
        (DEMO_PASSWORD, "已公开", "published"),
        ("Demo_Operator 2026", "已公开", "published"),
        ("Password-1234", "常见密码", "common password"),
        ("zzzzzzzzzzzz", "重复", "repeated"),
        ("123123123123", "重复", "repeated"),
        ("abcd-ABCD-abcd", "重复", "repeated"),
        ("长白山长白山长白山长白山", "重复", "repeated"),
        ("1234567890123", "连续", "sequential"),
        ("Desk-Weak-Login", "账号相同", "the login"),
    ],
)
def test_a_new_password_that_is_blank_short_known_or_the_login_is_422_weak_password(
    db, client, password, zh, en
):
    w = world(db)
    body = _account(w, "desk-weak-login", password)
    r = client.post("/v1/admin/accounts", json=body, headers=w.a.admin.headers)
    said = client.post(
        "/v1/admin/accounts", json=body, headers={**w.a.admin.headers, "Accept-Language": "en"}
    )
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (
        422,
        "weak_password",
        "password",
    )
    assert zh in r.json()["detail"] and en in said.json()["detail"]
    with db.session() as s:
        assert (
            s.exec(select(OperatorAccount).where(OperatorAccount.login == body["login"])).first()
            is None
        )


def test_a_passphrase_with_spaces_in_any_script_is_a_good_password(db, client):
    w = world(db)
    for login, password in [
        ("desk-one", "correct horse battery"),
        ("desk-two", "长白山下的温泉和森林小屋"),
    ]:
        r = client.post(
            "/v1/admin/accounts", json=_account(w, login, password), headers=w.a.admin.headers
        )
        assert r.status_code == 201, r.text
        token = client.post("/v1/admin/tokens", json={"login": login, "password": password})
        assert token.status_code == 201


def test_a_login_is_one_account_whatever_its_case_and_logs_in_in_any_case(db, client):
    w = world(db)
    r = client.post(
        "/v1/admin/accounts", json=_account(w, "ok-staff", PASSWORD), headers=w.a.admin.headers
    )
    assert r.status_code == 201, r.text
    again = client.post(
        "/v1/admin/accounts", json=_account(w, "OK-STAFF", PASSWORD), headers=w.a.admin.headers
    )
    assert (again.status_code, again.json()["code"], again.json()["field"]) == (
        409,
        "login_taken",
        "login",
    )
    assert "不区分大小写" in again.json()["detail"]
    token = client.post("/v1/admin/tokens", json={"login": "Ok-Staff", "password": PASSWORD})
    assert token.status_code == 201 and token.json()["account"]["login"] == "ok-staff"
    assert log_in(client, "OK-staff").status_code == 303


def test_the_demo_logins_work_as_documented_in_any_case_and_never_in_production(db, client):
    with db.write_session() as s:
        load_demo(s)
        load_demo_operators(s, env="development", now=datetime.now(UTC))
        s.commit()
    r = client.post("/v1/admin/tokens", json={"login": "demo-province", "password": DEMO_PASSWORD})
    assert r.status_code == 201
    assert log_in(client, "DEMO-changbaishan-north", DEMO_PASSWORD).status_code == 303
    with db.session() as s, pytest.raises(Exception) as refused:
        accounts.check_login(s, "DEMO-Province", DEMO_PASSWORD, env="production")
    assert getattr(refused.value, "code", None) == "invalid_credentials"


def test_a_password_change_needs_the_current_one_follows_the_policy_and_ends_other_sessions(
    db, client
):
    w = world(db)
    login = w.a.admin.login
    other = client.post("/v1/admin/tokens", json={"login": login, "password": PASSWORD})
    other_headers = {"Authorization": f"Bearer {other.json()['token']}"}
    url = "/v1/admin/me/password"
    new = "a new long passphrase"
    wrong = client.post(
        url, json={"current_password": "nope", "new_password": new}, headers=w.a.admin.headers
    )
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["field"]) == (
        422,
        "wrong_password",
        "current_password",
    )
    for weak in (" " * 12, DEMO_PASSWORD, login):
        r = client.post(
            url,
            json={"current_password": PASSWORD, "new_password": weak},
            headers=w.a.admin.headers,
        )
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (
            422,
            "weak_password",
            "new_password",
        )
    done = client.post(
        url, json={"current_password": PASSWORD, "new_password": new}, headers=w.a.admin.headers
    )
    assert done.status_code == 200 and done.json()["revoked_tokens"] == 1
    assert client.get("/v1/admin/me", headers=other_headers).status_code == 401
    assert client.get("/v1/admin/me", headers=w.a.admin.headers).status_code == 200
    old = client.post("/v1/admin/tokens", json={"login": login, "password": PASSWORD})
    assert old.status_code == 401
    assert (
        client.post("/v1/admin/tokens", json={"login": login, "password": new}).status_code == 201
    )
    audit = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert (
        audit[0]["action"] == "change_password"
        and PASSWORD not in str(audit)
        and new not in str(audit)
    )


def test_the_console_changes_a_password_by_the_same_rule_and_keeps_its_own_session(db, client):
    w = world(db)
    assert log_in(client, w.a.admin.login).status_code == 303
    url, new = "/console/password", "长白山下的温泉和森林小屋"
    assert 'href="/console/password"' in client.get("/console").text
    wrong = post_form(client, url, {"current_password": "nope", "new_password": new})
    assert wrong.status_code == 422
    assert said_beside(wrong.text, "current_password").endswith("当前密码不正确。")
    weak = post_form(client, url, {"current_password": PASSWORD, "new_password": " " * 12})
    assert weak.status_code == 422
    assert said_beside(weak.text, "new_password").endswith("密码不能只由空格组成。")
    said_en = post_form(
        client, url, {"current_password": PASSWORD, "new_password": DEMO_PASSWORD},
        headers={"Accept-Language": "en"},
    )  # fmt: skip
    assert "published" in said_beside(said_en.text, "new_password")
    done = post_form(client, url, {"current_password": PASSWORD, "new_password": new})
    assert done.status_code == 303 and done.headers["location"] == url + "?done=password"
    assert "密码已修改。" in client.get(done.headers["location"]).text  # still signed in
    assert client.get("/v1/admin/me", headers=w.a.admin.headers).status_code == 401
    token = client.post("/v1/admin/tokens", json={"login": w.a.admin.login, "password": new})
    assert token.status_code == 201
