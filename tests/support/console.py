"""Console sessions for TestClient tests: log in through the login form (CSRF and all),
post forms with the page's own CSRF token and read the error beside a field; and what a
page's form would submit (``form_fields``, the public pages' forms too)."""

import re
from html.parser import HTMLParser

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


def post_form(
    client, path: str, data: dict, form_page: str | None = None, *, headers: dict | None = None
):
    """Post ``data`` to ``path`` with a CSRF token taken from ``form_page`` (default:
    ``path`` itself), with ``headers`` if given (an ``Accept-Language``)."""
    page = client.get(form_page or path)
    return client.post(
        path,
        data={**data, "csrf_token": csrf_of(page.text)},
        headers=headers,
        follow_redirects=False,
    )


def said_beside(html: str, name: str) -> str:
    """The error said beside the field ``name``, as text; "" where there is none."""
    found = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>|⚠", "", found.group(1)).strip() if found else ""


class _FormFields(HTMLParser):
    """The fields a browser would submit from the form posting to ``action``: text
    inputs with their value, checked boxes, selected options, textareas."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action and not self.fields
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields.append((self._textarea, ""))

    def handle_data(self, data):
        if self.inside and self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """What submitting the page's form to ``action`` unchanged sends (CSRF token too)."""
    parser = _FormFields(action)
    parser.feed(html)
    assert parser.fields, f"the page has no form posting to {action}"
    return parser.fields


def summary_of(html: str) -> str:
    """The error summary above a form, as text; "" where there is none."""
    box = re.search(r'<div class="form-summary"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>|⚠", "", box.group(1)) if box else ""


def pager_link(html: str, rel: str) -> str | None:
    """The address of a paged list's ``prev`` or ``next`` link (``console/_form.html``
    pager); None where there is none."""
    found = re.search(rf'<a class="standalone" rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def refused_alike(client, api: str, page: str, cases, headers: dict, listed) -> None:
    """Each of ``cases`` (query, the API's status and field, the page's field or
    "_form") refused by the admin list ``api`` and its console ``page`` alike: the same
    status, said in each language beside the field (or in the summary above the form),
    and nothing listed (``listed(html)``: the rows shown)."""
    for query, status, field, beside in cases:
        r = client.get(f"{api}?{query}", headers=headers)
        assert (r.status_code, r.json()["field"]) == (status, field), (query, r.text)
        for lang in ("zh-CN", "en"):
            shown = client.get(f"{page}?{query}", headers={"Accept-Language": lang})
            assert shown.status_code == status, (query, lang, shown.status_code)
            assert not listed(shown.text), (query, lang)  # never the full list
            if beside == "_form":
                assert summary_of(shown.text).strip(), (query, lang)
            else:
                assert said_beside(shown.text, beside), (query, lang, beside)
