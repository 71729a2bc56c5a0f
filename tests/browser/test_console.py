"""The operators' console in Chromium, in both languages: logging in (errors beside the
form), the dashboard, logging out. Every page passes axe, stays on its origin, keeps
44px targets and is screenshotted (``console-…``)."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

LOGIN, PASSWORD = "demo-changbaishan-north", "demo-operator-2026"
WORDS = {
    "zh-CN": {
        "login": "账号",
        "password": "密码",
        "submit": "登录",
        "logout": "退出登录",
        "failed": "账号或密码错误",
        "today": "今日概览",
    },
    "en": {
        "login": "Login",
        "password": "Password",
        "submit": "Log in",
        "logout": "Log out",
        "failed": "Wrong login or password",
        "today": "Today",
    },
}


def log_in(v, lang: str, login: str = LOGIN, password: str = PASSWORD) -> None:
    w = WORDS[lang]
    v.page.get_by_label(w["login"]).fill(login)
    v.page.get_by_label(w["password"]).fill(password)
    v.page.get_by_role("button", name=w["submit"]).click()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_log_in_see_today_log_out(visit, lang):
    w = WORDS[lang]
    v = visit(PHONE, lang, label=f"console-phone-{lang}")
    v.go("/console")
    v.page.wait_for_url(v.server.base + "/console/login")
    v.check("1-login")
    log_in(v, lang, password="wrong-password-1")
    assert w["failed"] in v.page.locator("[role=alert]").inner_text()
    v.check("1-login-failed")
    log_in(v, lang)
    v.page.wait_for_url(v.server.base + "/console")
    assert v.page.locator("h1").inner_text() == w["today"]
    assert v.page.locator("figure.chart img").evaluate("i => i.complete && i.naturalWidth") > 0
    v.check("2-dashboard")
    v.page.get_by_role("button", name=w["logout"]).click()
    v.page.wait_for_url(v.server.base + "/console/login")
    v.go("/console")
    v.page.wait_for_url(v.server.base + "/console/login")


def test_dashboard_on_a_desktop(visit):
    v = visit(DESKTOP, "zh-CN", label="console-desktop-zh-CN")
    v.go("/console/login")
    log_in(v, "zh-CN")
    v.page.wait_for_url(v.server.base + "/console")
    v.check("2-dashboard")
