"""Every page reads its path's parameters as the API reads them (``ProductId``,
``RuleId``, ``IssuerId``, ``Reference``, ``QuoteId``, ``IdOrSlug``): an odd value is the
422 page of a link (or a 404), never a 500. An id past PostgreSQL's ``integer`` was a 500
on both databases (the console's ids were bare ``int``s), a NUL in a booking reference, a
quote's id or a slug one on PostgreSQL (the pages' were bare ``str``s, where the API's
are ``Text``). Every page route with a parameter, read from ``app.routes``."""

import re

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from service.app import create_app
from service.pages.web import PageRoute
from tests.support.console import csrf_of, log_in
from tests.support.operators import world
from tests.support.pages import faults

# Odd values of a page's path parameters: an id past PostgreSQL's ``integer`` (and
# SQLite's 64 bits), a NUL (no PostgreSQL text holds one), a negative id, a long one.
ODD_IN_PATH = ("99999999999999999999", "-1", "%00", "a%00b", "x" * 300, "%EF%BC%91")


def test_no_page_answers_odd_path_parameters_with_a_500(db):
    """Each page route with a parameter, GET and POST, each odd value in each parameter
    (the others 1): a 4xx page or a redirect."""
    w = world(db)
    with TestClient(create_app(db.settings, database=db), raise_server_exceptions=False) as client:
        assert log_in(client, w.a.admin.login).status_code == 303
        csrf = csrf_of(client.get("/console").text)
        found = []
        for c in iter_route_contexts(client.app.routes):
            params = re.findall(r"{(\w+)(?::\w+)?}", c.path_format)
            if not isinstance(c.route, PageRoute) or not params:
                continue
            for method in sorted(c.route.methods & {"GET", "POST"}):
                for param in params:
                    for odd in ODD_IN_PATH:
                        path = c.path_format
                        for p in params:
                            path = path.replace(f"{{{p}}}", odd if p == param else "1")
                        data = {"csrf_token": csrf} if method == "POST" else None
                        r = client.request(method, path, data=data, follow_redirects=False)
                        if wrong := faults(r):
                            found.append(f"{method} {path[:80]}: {', '.join(wrong)}")
        assert found == []
