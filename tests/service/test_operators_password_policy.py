"""One password policy for every new operator password (NIST SP 800-63B: a length floor,
no composition rules, no known passwords), and one account per login whatever its case."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from catalog.demo.loader import load_demo
from service.operators import accounts
from service.operators.demo import DEMO_PASSWORD, load_demo_operators
from service.operators.models import OperatorAccount
from tests.support.console import log_in
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
