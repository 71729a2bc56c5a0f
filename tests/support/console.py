"""Console sessions for TestClient tests: log in through the login form (CSRF and all)
and post forms with the page's own CSRF token."""

import re

from tests.support.operators import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def log_in(client, login: str, password: str = PASSWORD, next_path: str = ""):
    page = client.get("/console/login")
    assert page.status_code == 200
    return client.post(
        "/console/login",
        data={
            "login": login,
            "password": password,
            "next": next_path,
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )


def post_form(client, path: str, data: dict, *, form_page: str | None = None):
    """Post ``data`` to ``path`` with a CSRF token taken from ``form_page`` (default:
    ``path`` itself)."""
    page = client.get(form_page or path)
    return client.post(
        path, data={**data, "csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
