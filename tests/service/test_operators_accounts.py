"""Operator accounts: login for a token, roles, who may create whom, revocation, CLI."""

import os
import subprocess
import sys

from sqlmodel import select

from service.clock import Clock
from service.operators.models import OperatorAccount
from tests.conftest import ROOT
from tests.support.clock import FixedClock
from tests.support.operators import PASSWORD, world


def test_login_issues_a_token_that_works_and_is_stored_only_as_a_hash(db, client):
    w = world(db)
    r = client.post("/v1/admin/tokens", json={"login": "admin-a", "password": PASSWORD})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert token.startswith("jlop_") and r.json()["account"]["destination_ids"] == [
        w.a.destination_id
    ]
    me = client.get("/v1/admin/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["account"]["login"] == "admin-a"
    assert "rates" in me.json()["permissions"]
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM operator_token").scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_wrong_password_and_unknown_login_are_the_same_401(db, client):
    world(db)
    for body in (
        {"login": "admin-a", "password": "wrong-password"},
        {"login": "nobody", "password": PASSWORD},
    ):
        r = client.post("/v1/admin/tokens", json=body, headers={"Accept-Language": "en"})
        assert r.status_code == 401
        assert r.json()["code"] == "invalid_credentials" and r.json()["field"] == "password"


def test_login_attempts_are_limited_even_when_they_fail(db, client):
    world(db)
    # The limit counts attempts per minute: a stopped clock keeps all eleven in one
    # minute (a slow run crossed a minute's edge and got an eleventh 401).
    client.app.state.clock = FixedClock(Clock().now())
    codes = [
        client.post("/v1/admin/tokens", json={"login": "admin-a", "password": "x"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def test_missing_wrong_and_revoked_tokens(db, client):
    w = world(db)
    assert client.get("/v1/admin/me").json()["code"] == "missing_token"
    bad = client.get("/v1/admin/me", headers={"Authorization": "Bearer jlop_nope_nope"})
    assert bad.status_code == 401 and bad.json()["code"] == "invalid_token"
    partner_style = client.get("/v1/admin/me", headers={"Authorization": "Bearer jl_x_y"})
    assert partner_style.status_code == 401
    me = client.get("/v1/admin/me", headers=w.a.admin.headers).json()
    token_id = me["tokens"][0]["id"]
    assert client.delete(f"/v1/admin/tokens/{token_id}", headers=w.a.admin.headers).status_code
    assert client.get("/v1/admin/me", headers=w.a.admin.headers).status_code == 401


def test_problems_speak_the_callers_language(db, client):
    world(db)
    zh = client.get("/v1/admin/me")
    en = client.get("/v1/admin/me", headers={"Accept-Language": "en"})
    assert "令牌" in zh.json()["detail"] and "token" in en.json()["detail"]


def test_an_operator_admin_creates_staff_for_its_own_destinations_only(db, client):
    w = world(db)
    body = {
        "login": "desk-a",
        "display_name": "前台",
        "role": "operator_staff",
        "destination_ids": [w.a.destination_id],
        "password": "long-enough-pass",
    }
    r = client.post("/v1/admin/accounts", json=body, headers=w.a.admin.headers)
    assert r.status_code == 201, r.text
    again = client.post("/v1/admin/accounts", json=body, headers=w.a.admin.headers)
    assert again.status_code == 409 and again.json()["code"] == "login_taken"
    foreign = {**body, "login": "desk-b", "destination_ids": [w.b.destination_id]}
    r = client.post("/v1/admin/accounts", json=foreign, headers=w.a.admin.headers)
    assert r.status_code == 404 and r.json()["field"] == "destination_ids[0]"
    province = {**body, "login": "prov2", "role": "province_admin", "destination_ids": []}
    for lang, said in (
        ("zh-CN", "只有省文旅厅可以创建省级账户；运营方管理员只能为自己的目的地创建"),
        ("en", "Only the province can create a province account; an operator admin creates"),
    ):
        headers = {**w.a.admin.headers, "Accept-Language": lang}
        r = client.post("/v1/admin/accounts", json=province, headers=headers)
        problem = r.json()
        assert (r.status_code, problem["code"], problem["field"]) == (403, "forbidden_role", "role")
        assert problem["detail"].startswith(said) and "（accounts）" not in problem["detail"]
    weak = {**body, "login": "desk-c", "password": "short"}
    r = client.post("/v1/admin/accounts", json=weak, headers=w.a.admin.headers)
    assert r.status_code == 422 and r.json()["field"] == "password"
    staff = client.post(
        "/v1/admin/accounts", json={**body, "login": "desk-d"}, headers=w.a.staff.headers
    )
    assert staff.status_code == 403 and staff.json()["code"] == "forbidden_role"
    assert staff.json()["detail"] == "您的角色（运营方员工）无权管理运营方账户。", staff.text
    with db.session() as s:
        logins = set(s.exec(select(OperatorAccount.login)))
    assert "desk-a" in logins and not {"desk-b", "prov2", "desk-c", "desk-d"} & logins


def test_deactivating_an_account_revokes_its_tokens_and_is_audited(db, client):
    w = world(db)
    staff_id = w.a.staff.account_id
    r = client.post(f"/v1/admin/accounts/{staff_id}/deactivate", headers=w.a.admin.headers)
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert client.get("/v1/admin/me", headers=w.a.staff.headers).status_code == 401
    log = client.get("/v1/admin/audit", headers=w.a.admin.headers).json()["items"]
    assert log[0]["action"] == "deactivate" and log[0]["before"]["is_active"] is True
    assert log[0]["account_login"] == "admin-a"
    # The province reads it too; the other destination's operator does not.
    assert client.get("/v1/admin/audit", headers=w.province.headers).json()["items"]
    assert client.get("/v1/admin/audit", headers=w.b.admin.headers).json()["items"] == []


def test_an_operator_may_not_disable_its_own_account_in_either_language(db, client):
    w = world(db)
    url = f"/v1/admin/accounts/{w.a.admin.account_id}/deactivate"
    zh = client.post(url, headers=w.a.admin.headers)
    assert zh.status_code == 409, zh.text
    assert (zh.json()["code"], zh.json()["field"]) == ("cannot_deactivate_self", "account_id")
    assert "自己" in zh.json()["detail"]
    en = client.post(url, headers=w.a.admin.headers | {"Accept-Language": "en"})
    assert en.status_code == 409 and "your own account" in en.json()["detail"]
    me = client.get("/v1/admin/me", headers=w.a.admin.headers)
    assert me.status_code == 200 and me.json()["account"]["is_active"] is True
    prov = client.post(
        f"/v1/admin/accounts/{w.province.account_id}/deactivate", headers=w.province.headers
    )
    assert prov.status_code == 409 and prov.json()["code"] == "cannot_deactivate_self"


def test_the_last_active_admin_of_a_destination_stays_until_another_is_made(db, client):
    w = world(db)
    url = f"/v1/admin/accounts/{w.a.admin.account_id}/deactivate"
    last = client.post(url, headers=w.province.headers | {"Accept-Language": "en"})
    assert last.status_code == 409, last.text
    assert last.json()["code"] == "last_active_admin"
    assert f"destination {w.a.destination_id}" in last.json()["detail"]
    assert "最后一个" in client.post(url, headers=w.province.headers).json()["detail"]
    second = client.post(
        "/v1/admin/accounts",
        json={
            "login": "admin-a2",
            "display_name": "第二位管理员",
            "role": "operator_admin",
            "destination_ids": [w.a.destination_id],
            "password": "long-enough-pass",
        },
        headers=w.a.admin.headers,
    )
    assert second.status_code == 201, second.text
    done = client.post(url, headers=w.province.headers)
    assert done.status_code == 200 and done.json()["is_active"] is False
    again = client.post(
        f"/v1/admin/accounts/{second.json()['id']}/deactivate", headers=w.province.headers
    )
    assert again.status_code == 409 and again.json()["code"] == "last_active_admin"


def test_province_sees_every_destination_and_may_not_write_prices(db, client):
    w = world(db)
    ids = [
        d["id"]
        for d in client.get("/v1/admin/destinations", headers=w.province.headers).json()["items"]
    ]
    assert ids == sorted([w.a.destination_id, w.b.destination_id])
    me = client.get("/v1/admin/me", headers=w.province.headers).json()
    assert "rates" not in me["permissions"] and "inventory" not in me["permissions"]
    staff = client.get("/v1/admin/me", headers=w.a.staff.headers).json()
    assert "rates" not in staff["permissions"] and "inventory" in staff["permissions"]


def _cli_env(db) -> dict[str, str]:
    """The command line's environment: this test's database, nothing of the shell's."""
    return {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": db.settings.database_url,
        "JL_ENV": "test",
        "PYTHONPATH": str(ROOT),
    }


def test_create_operator_cli_prints_a_working_token(db, tmp_path):
    if db.dialect != "sqlite":
        return  # one backend is enough for the command line
    world(db)
    env = _cli_env(db)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "create-operator",
            "--login",
            "cli-op",
            "--role",
            "operator_admin",
            "--destination",
            "dest-a",
            "--password-stdin",
        ],
        input="a-very-long-password\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1]
    assert token.startswith("jlop_")
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "create-operator",
            "--login",
            "cli-op2",
            "--role",
            "operator_admin",
            "--destination",
            "no-such-place",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert refused.returncode == 2 and "no destination" in refused.stderr


def test_demo_operators_load_with_the_demo_and_are_refused_in_production(db):
    from datetime import UTC, datetime

    import pytest

    from catalog.demo.loader import load_demo
    from service.operators import accounts
    from service.operators.demo import DEMO_PASSWORD, DemoRefused, load_demo_operators

    with db.write_session() as s:
        load_demo(s)
        added = load_demo_operators(s, env="development", now=datetime.now(UTC))
        s.commit()
    with db.write_session() as s:
        assert load_demo_operators(s, env="development", now=datetime.now(UTC)) == 0
        account = accounts.check_login(s, "demo-changbaishan-north", DEMO_PASSWORD)
        assert account.role == "operator_admin"
        assert accounts.check_login(s, "demo-province", DEMO_PASSWORD).role == "province_admin"
        with pytest.raises(Exception) as refused:
            accounts.check_login(s, "demo-province", DEMO_PASSWORD, env="production")
        assert getattr(refused.value, "code", None) == "invalid_credentials"
        with pytest.raises(DemoRefused):
            load_demo_operators(s, env="production", now=datetime.now(UTC))
    assert added >= 34


def test_a_token_of_a_demo_account_is_refused_in_production(db):
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.db import Database
    from service.operators import accounts
    from service.settings import Settings

    prod = Settings(env="production", database_url=db.settings.database_url, secret_key="s" * 40)
    with db.write_session() as s:
        tokens = {}
        for login in ("demo-somewhere", "real-province"):
            account = accounts.insert_account(
                s,
                login=login,
                display_name=login,
                role="province_admin",
                password_hash="x",
                destination_ids=[],
                now=datetime.now(UTC),
            )
            tokens[login] = accounts.issue_token(
                s, account, pepper=prod.secret_key, now=datetime.now(UTC)
            ).plaintext
        s.commit()
    prod_db = Database(prod)
    try:
        with TestClient(create_app(prod, database=prod_db), raise_server_exceptions=False) as c:

            def status(login):
                auth = {"Authorization": f"Bearer {tokens[login]}"}
                return c.get("/v1/admin/me", headers=auth).status_code

            assert status("demo-somewhere") == 401
            assert status("real-province") == 200
    finally:
        prod_db.dispose()


def test_every_permission_a_role_may_lack_is_said_in_words():
    """A 403 says what the role may not do in words, never the permission's code
    (「您的角色无权执行此操作（accounts）」)."""
    from service.operators.errors import PERMISSION_WORDS, ROLE_WORDS, forbidden
    from service.operators.scope import PERMISSIONS

    for permission in set().union(*PERMISSIONS.values()):
        for role in PERMISSIONS:
            error = forbidden(permission, role)
            assert permission not in error.detail_zh and role not in error.detail_zh
            assert PERMISSION_WORDS[permission][1] in error.detail
            assert ROLE_WORDS[role][0] in error.detail_zh


def _create_at_a_terminal(db, login: str, first: str, second: str):
    """``jilin create-operator --prompt`` run on a pseudo-terminal (getpass reads a
    terminal, with echo off), answering its two questions: (exit status, output)."""
    import select as waiting  # the module (sqlmodel's select is this file's)

    env = _cli_env(db)
    main, term = os.openpty()
    cmd = [sys.executable, "-m", "service.cli", "create-operator", "--login", login]
    proc = subprocess.Popen(
        [*cmd, "--role", "province_admin", "--prompt"],
        stdin=term,
        stdout=term,
        stderr=term,
        env=env,
        start_new_session=True,
    )
    os.close(term)
    said, answers = b"", [first, second]
    try:
        while True:
            ready, _, _ = waiting.select([main], [], [], 60)
            assert ready, said
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the command ended and closed the terminal
                break
            if not chunk:
                break
            said += chunk
            if answers and said.endswith(b": "):  # a question, its echo already off
                os.write(main, answers.pop(0).encode() + b"\n")
    finally:
        os.close(main)
    return proc.wait(timeout=60), said.decode()


def test_create_operator_asks_for_the_password_twice_and_a_typo_creates_nothing(db):
    if db.dialect != "sqlite":
        return  # one backend is enough for the command line
    status, said = _create_at_a_terminal(
        db, "typo-op", "a-very-long-password", "a-very-long-passwrd"
    )
    assert status == 2 and "the two differ; no operator was created" in said, said
    with db.session() as s:
        assert (
            s.exec(select(OperatorAccount).where(OperatorAccount.login == "typo-op")).first()
            is None
        )
    status, said = _create_at_a_terminal(
        db, "same-op", "a-very-long-password", "a-very-long-password"
    )
    assert status == 0 and "admin API token" in said, said
    assert "a-very-long-password" not in said  # never echoed
    with db.session() as s:
        assert s.exec(select(OperatorAccount).where(OperatorAccount.login == "same-op")).first()
