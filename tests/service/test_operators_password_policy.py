"""One password policy for every new operator password (NIST SP 800-63B: a length floor,
no composition rules, no known passwords), and one account per login whatever its case."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from catalog.demo.loader import load_demo
from service.operators import accounts
from service.operators.demo import DEMO_PASSWORD, load_demo_operators
from service.operators.models import LOGIN_CHARACTERS, OperatorAccount
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


@pytest.mark.parametrize(
    "login", ["Äsa-desk", "äsa-desk", "前台-yanji", "desk 1", "desk+1", "ǅesk"]
)
def test_a_login_outside_ascii_letters_digits_and_dot_at_underscore_hyphen_is_422(
    db, client, login
):
    """SQLite's lower() folds only ASCII letters, PostgreSQL's every letter: a login of
    other letters would be one account on one database and two on the other, so it is
    refused (docs/operators.md), in words, when made and when logging in."""
    w = world(db)
    for lang, words in (("zh-CN", "只能使用英文字母"), ("en", "only ASCII letters")):
        headers = {**w.a.admin.headers, "Accept-Language": lang}
        made = client.post("/v1/admin/accounts", json=_account(w, login, PASSWORD), headers=headers)
        token = client.post(
            "/v1/admin/tokens", json={"login": login, "password": PASSWORD}, headers=headers
        )
        for r in (made, token):
            body = r.json()
            assert (r.status_code, body["code"], body["field"]) == (
                422,
                "validation_error",
                "login",
            ), r.text
            assert body["errors"][0]["code"] == "string_pattern_mismatch"
            assert words in body["errors"][0]["message"], body
    with db.session() as s:
        assert login not in s.exec(select(OperatorAccount.login)).all()


def test_every_character_a_login_may_hold_is_one_account_in_any_case(db, client):
    w = world(db)
    made = client.post(
        "/v1/admin/accounts", json=_account(w, "Desk.Yanji_2@dest-a", PASSWORD),
        headers=w.a.admin.headers,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    again = client.post(
        "/v1/admin/accounts", json=_account(w, "DESK.YANJI_2@DEST-A", PASSWORD),
        headers=w.a.admin.headers,
    )  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (409, "login_taken")
    token = client.post(
        "/v1/admin/tokens", json={"login": "desk.yanji_2@DEST-a", "password": PASSWORD}
    )
    assert token.status_code == 201 and token.json()["account"]["login"] == "Desk.Yanji_2@dest-a"


def test_jilin_create_operator_refuses_a_login_the_api_refuses(capsys):
    from argparse import Namespace

    from service.operators.cli import cmd_create_operator

    args = Namespace(login="Jürgen-desk", role="operator_staff", destination=["x"])
    assert cmd_create_operator(args) == 2
    assert "login: may use only ASCII letters" in capsys.readouterr().err


def test_the_demo_logins_work_as_documented_in_any_case_and_never_in_production(db, client):
    with db.write_session() as s:
        load_demo(s)
        load_demo_operators(s, env="development", now=datetime.now(UTC))
        s.commit()
        assert all(LOGIN_CHARACTERS.fullmatch(x) for x in s.exec(select(OperatorAccount.login)))
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


def test_a_password_changed_to_itself_is_refused_and_ends_no_session(db, client):
    """The current password typed again as the new one changes nothing: 422
    ``password_unchanged`` naming ``new_password``, in the caller's language, beside the
    console's field; the account's other tokens stay live and nothing is audited."""
    w = world(db)
    login = w.a.admin.login
    other = client.post("/v1/admin/tokens", json={"login": login, "password": PASSWORD})
    other_headers = {"Authorization": f"Bearer {other.json()['token']}"}
    same = {"current_password": PASSWORD, "new_password": PASSWORD}
    for lang, words in (("en", "same as the current one"), ("zh-CN", "新密码与当前密码相同")):
        r = client.post(
            "/v1/admin/me/password",
            json=same,
            headers={**w.a.admin.headers, "Accept-Language": lang},
        )
        assert (r.status_code, r.json()["code"], r.json()["field"]) == (
            422,
            "password_unchanged",
            "new_password",
        )
        assert words in r.json()["detail"], lang
    assert client.get("/v1/admin/me", headers=other_headers).status_code == 200
    audit = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert all(entry["action"] != "change_password" for entry in audit)
    assert log_in(client, login).status_code == 303
    zh = post_form(client, "/console/password", same)
    assert zh.status_code == 422
    said_zh = said_beside(zh.text, "new_password")
    assert said_zh.endswith("新密码与当前密码相同：请另设一个不同的密码。")
    en = post_form(client, "/console/password", same, headers={"Accept-Language": "en"})
    assert en.status_code == 422
    assert said_beside(en.text, "new_password").endswith(
        "The new password is the same as the current one: choose a different one."
    )
    assert client.get("/v1/admin/me", headers=other_headers).status_code == 200
