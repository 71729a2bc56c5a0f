"""Every page form, the traveller pages' and the console's, answers odd input without a
5xx and without writing half of anything: for the forms what the JSON API's contract
test (``test_api_schemathesis.py``) is for the API.

The forms are the POST routes of the pages' route class (``web.PageRoute``, the console's
included), read from ``app.routes``: a new form fails the test until ``Scene.forms``
says which page it is on. Each is sent with the session's CSRF token, logged in to the
console and holding a booking, from its page as that page would send it (filled in
where the page leaves fields empty, plus its endpoint's ``Form()`` parameters the page
does not show): each field alone given an odd value (``ODD``), every field given one
value at once (``EVERY_FIELD``), half of the fields left out, none sent, every field
given twice, a JSON body, multipart with each field a file, bytes that are not UTF-8,
an unknown field, then the form as filled in. Every answer is checked (``faults``): no
5xx, a refusal (4xx) is an HTML page and wrote nothing (``Rows``: every table but those
a refusal rightly writes), no traceback; and each form's handler answered at least once
(not only the token's 403 or the sign-in's redirect).

Deterministic and bounded: a fixed list, each form's fields taking its values in turn
from a point its route's name fixes, about 550 requests a database. ``JL_FORM_ODD=all``
(by hand, some minutes) gives every field every value, alone and all together, and
leaves each field out alone."""

import ast
import hashlib
import json
import os
import re
import zlib
from datetime import time, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from service.app import create_app
from service.clock import Clock
from service.pages.web import PageRoute
from service.reports.models import SCORES
from tests.factories import make_issuer
from tests.service.booking_support import without_anonymous_caps
from tests.service.test_console_bad_input import _pack_form
from tests.service.test_console_catalogue import new_product_form
from tests.service.test_console_sales import _rule
from tests.service.test_operators_bookings import book
from tests.support.clock import FixedClock
from tests.support.console import csrf_of, form_fields, log_in, post_form
from tests.support.operators import FIRST, PASSWORD, world
from tests.support.pages import faults

# Given to one field at a time, the others as filled in; a form's fields take them in
# turn (``_cases``), so that over all the forms' fields each is given a few times.
ODD = (
    "",
    " ",
    "\t\r\n",
    "x" * 10_000,
    "7" * 10_000,
    "😀🌲",
    "\u200b",
    "1\u200b2",
    "\u202e7\u202c",
    "\u200f2027-07-01",
    "a\x00b",
    "\x00",
    "\x01\x1b\x7f",
    "１２",
    "２０２７－０７－０１",
    "²",
    "①",
    "٣",
    "-1",
    "－５",
    "0",
    "1e30",
    "99999999999999999999",
    "-99999999999999999999",
    "1.5",
    "NaN",
    "inf",
    "2027-02-30",
    "0000-01-01",
    "9999-12-31",
    "2027-13-01",
    "<script>x</script>",
    "' OR 1=1 --",
    "%00",
    "JL-",
    "\u3000",
    "1,5",
    "{}",
)
# Given to every field of a form at once (the form's own checks gather every field's
# error, so one value's class is tried on every field in one request): one of each
# kind: the empty, the long, the unreadable, the control and the invisible character,
# the digit no int() reads.
EVERY_FIELD = (
    "",
    "x" * 10_000,
    "😀🌲",
    "a\x00b",
    "\u200b",
    "²",
)
# By hand, ``JL_FORM_ODD=all``: every field given every value alone and all together,
# and each field left out alone (some minutes a backend).
DEEP = os.environ.get("JL_FORM_ODD") == "all"

# Tables a refusal may rightly write: the login attempts counted (ten a minute), the
# planner's share, a refusal recorded under its idempotency key (replayed if sent again).
WRITTEN_BY_REFUSALS = {"rate_limit_window", "idempotency_key"}


def _page_routes(app) -> dict[str, list[str]]:
    """Each POST page route -> the names of its endpoint's ``Form()`` parameters (the
    console's forms read most of theirs from ``request.form()``: their pages say them)."""
    return {
        c.path_format: [p.alias for p in c.route.dependant.body_params]
        for c in iter_route_contexts(app.routes)
        if isinstance(c.route, PageRoute) and "POST" in c.route.methods
    }


class Rows:
    """What the tables hold, but ``WRITTEN_BY_REFUSALS``, as one value (``now``) that
    any write changes: on PostgreSQL each table's rows and newest row version, in one
    statement; on SQLite a digest of every row, read again only when another
    connection has committed since (``PRAGMA data_version`` of a connection of the
    watch's own)."""

    def __init__(self, db) -> None:
        self.db = db
        tables = [t.name for t in SQLModel.metadata.sorted_tables]
        tables = [t for t in tables if t not in WRITTEN_BY_REFUSALS]
        self.tables = tables
        # A row inserted or updated is a new version with its transaction's xmin, one
        # deleted is one fewer: each table's count and newest xmin change with any write.
        self.pg = " UNION ALL ".join(
            f"SELECT '{t}', count(*), max(xmin::text::bigint) FROM \"{t}\"" for t in tables
        )
        self.raw = db.engine.raw_connection() if db.dialect == "sqlite" else None
        self.version, self.digest = None, ""

    def now(self) -> str:
        if self.raw is None:
            with self.db.engine.connect() as conn:
                # Sorted: UNION ALL gives no order (a parallel append under load answers
                # its branches in any order, which read as a write: the CI flake of
                # 2026-12-07, "wrote ()" with no table changed).
                return repr(sorted(conn.exec_driver_sql(self.pg).all()))
        cursor = self.raw.cursor()
        version = cursor.execute("PRAGMA data_version").fetchone()[0]
        if version != self.version:
            digest = hashlib.sha256()
            for t in self.tables:
                rows = cursor.execute(f'SELECT * FROM "{t}"').fetchall()
                digest.update(repr(sorted(map(repr, rows))).encode())
            self.version, self.digest = version, digest.hexdigest()
        cursor.close()
        return self.digest

    def changed(self, before: str, after: str) -> str:
        """Which tables a write changed, for the failure's message (PostgreSQL; SQLite
        keeps one digest)."""
        if before == after or self.raw is not None:
            return ""
        was = {t: v for t, *v in ast.literal_eval(before)}
        now = [(t, v) for t, *v in ast.literal_eval(after)]
        return (
            " (" + ", ".join(f"{t}: {was.get(t)} -> {v}" for t, v in now if was.get(t) != v) + ")"
        )

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()


class Scene:
    """A world of two destinations, a discount rule, a booking made at the desk and
    one made on the pages (its cookie kept), an operator logged in to the console."""

    def __init__(self, db, client: TestClient) -> None:
        self.db, self.client = db, client
        self.w = world(db)
        self.rule_id = _rule(client, self.w)
        self.desk_ref = book(db, self.w.a.product_id)
        self.cancel_ref = book(db, self.w.a.product_id)  # the one not checked in
        with db.write_session() as s:
            at_a = SimpleNamespace(id=self.w.a.destination_id)
            self.issuer_id = make_issuer(s, destination=at_a).id
            s.commit()
        self.product = client.get("/v1/products/product-b").json()
        booked, self.quote_path = self._quote(), self._quote()  # the second one to book
        book_page = client.get(booked + "/book").text
        fields = dict(form_fields(book_page, booked + "/book"))
        fields.update(lead_name="王秀兰", lead_phone="13912345678", consent="yes")
        r = client.post(booked + "/book", data=fields, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
        manage = client.get("/manage").text
        self.reference = re.search(r'id="booking-reference"><strong>([^<]+)', manage).group(1)
        self.token = re.search(r'id="booking-token"><strong>([^<]+)', manage).group(1)
        assert log_in(client, self.w.a.admin.login).status_code == 303
        self.csrf = csrf_of(client.get("/console").text)
        r = post_form(client, "/console/packs", _pack_form(self.w), "/console/packs")
        assert r.status_code == 303, r.text[-500:]
        headers = self.w.a.admin.headers
        self.pack_id = client.get("/v1/admin/packs", headers=headers).json()["items"][0]["id"]

    def _quote(self) -> str:
        """A quote of B's product made on its page: its address."""
        page = self.client.get("/products/product-b").text
        r = self.client.post(
            "/products/product-b/quote",
            data={**self._quote_form(), "csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text[:300]
        return r.headers["location"]

    @staticmethod
    def _quote_form() -> dict:
        return {"check_in": FIRST.isoformat(), "nights": "3", "guests": "1", "units": "1"}

    def forms(self) -> dict[str, "Form"]:
        """Each POST page route -> its form: where it posts, the page it is on (whose
        fields it sends) or its fields, and the clock its page needs."""
        w, ref, product = self.w, self.desk_ref, f"/console/products/{self.w.a.product_id}"
        season = re.search(r'name="s(\d+)_name_zh"', self.client.get(product).text).group(1)
        rule = f"/console/rules/{self.rule_id}"
        at_desk = FixedClock.on(FIRST, time(10))  # the desk booking arrives: its forms show
        stayed = FixedClock.on(FIRST + timedelta(days=4))  # the stays ended: the survey
        item = self.product["id"], FIRST, FIRST + timedelta(days=3)
        # fmt: off
        chosen = {"items": [{"product_id": item[0], "check_in": item[1].isoformat(),
                             "check_out": item[2].isoformat(), "guests": 1, "units": 1}]}
        # fmt: on
        quote = "/products/product-b/quote"
        return {
            "/lang/{choice}": Form(
                f"/lang/en?next={quote}", fields=list(self._quote_form().items())
            ),
            "/plan/choose": Form("/plan/choose", fields=[("quote_request", json.dumps(chosen))]),
            "/products/{slug}/quote": Form(quote, "/products/product-b", self._quote_form()),
            "/quotes/{quote_id}/again": Form(
                self.quote_path + "/again", fields=[("without_used_stubs", "")]
            ),
            "/quotes/{quote_id}/book": Form(
                self.quote_path + "/book",
                self.quote_path + "/book",
                {"lead_name": "李桂芝", "lead_phone": "13912345679", "consent": "yes"},
            ),
            "/manage": Form(
                "/manage", fields=[("reference", self.reference), ("token", self.token)]
            ),
            "/manage/survey": Form(
                "/manage/survey", "/manage/survey", dict.fromkeys(SCORES, "4"), clock=stayed
            ),
            "/manage/cancel": Form("/manage/cancel", "/manage/cancel"),
            "/manage/forget": Form("/manage/forget", "/manage"),
            "/console/login": Form(
                "/console/login",
                fields=[("login", w.b.staff.login), ("password", "wrong-horse"), ("next", "")],
            ),
            "/console/products": Form(
                "/console/products", "/console/products", new_product_form(w.a.destination_id)
            ),
            "/console/products/{product_id}": Form(product, product),
            "/console/products/{product_id}/active": Form(f"{product}/active", product),
            "/console/products/{product_id}/seasons": Form(
                f"{product}/seasons",
                product,
                {
                    "new_name_zh": "秋",
                    "new_name_en": "Autumn",
                    "new_nightly_rate_fen": "350",
                    "new_start_date": (FIRST + timedelta(days=40)).isoformat(),
                    "new_end_date": (FIRST + timedelta(days=45)).isoformat(),
                },
            ),  # fmt: skip
            "/console/products/{product_id}/seasons/{season_id}": Form(
                f"{product}/seasons/{season}", product
            ),
            "/console/products/{product_id}/packs": Form(
                f"{product}/packs", fields=[("pack_ids", str(self.pack_id))]
            ),
            "/console/packs": Form(
                "/console/packs", "/console/packs", _pack_form(w, code="a-cake", name_en="Cake")
            ),
            "/console/packs/{pack_id}": Form(
                f"/console/packs/{self.pack_id}", f"/console/packs/{self.pack_id}"
            ),
            "/console/bookings/find": Form("/console/bookings/find", "/console/bookings"),
            "/console/bookings/{reference}/stay-status": Form(
                f"/console/bookings/{ref}/stay-status", f"/console/bookings/{ref}", clock=at_desk
            ),
            "/console/bookings/{reference}/cancel": Form(
                f"/console/bookings/{self.cancel_ref}/cancel",
                f"/console/bookings/{self.cancel_ref}/cancel",
            ),
            "/console/bookings/{reference}/retry-refund": Form(
                f"/console/bookings/{ref}/retry-refund", fields=[]
            ),
            "/console/destinations/{destination_id}": Form(
                f"/console/destinations/{w.a.destination_id}",
                f"/console/destinations/{w.a.destination_id}",
            ),
            "/console/calendar/preview": Form(
                "/console/calendar/preview",
                "/console/calendar",
                {
                    "product_ids": str(w.a.product_id),
                    "units": "4",
                    "edit_from": FIRST.isoformat(),
                    "edit_to": (FIRST + timedelta(days=6)).isoformat(),
                },
            ),  # fmt: skip
            "/console/calendar/apply": Form(
                "/console/calendar/apply",
                fields=[
                    ("product_ids", str(w.a.product_id)),
                    ("edit_from", FIRST.isoformat()),
                    ("edit_to", (FIRST + timedelta(days=2)).isoformat()),
                    ("units", "4"),
                    *[("weekdays", str(d)) for d in range(1, 8)],
                ],
            ),
            "/console/rules/{rule_id}/versions": Form(
                f"{rule}/versions", rule, {"tier_0_pct": "6.00"}
            ),
            "/console/rules/{rule_id}/retire": Form(f"{rule}/retire", rule),
            "/console/stubs": Form(
                "/console/stubs",
                "/console/stubs",
                {
                    "count": "2",
                    "visit_date": FIRST.isoformat(),
                    "persons": "2",
                    "issuer_id": str(self.issuer_id),
                },
            ),
            # As another account, its password given: its wrong ones would count as
            # sign-in attempts against the scene's account (ten a minute).
            "/console/password": Form(
                "/console/password",
                "/console/password",
                {"current_password": PASSWORD, "new_password": "a-longer-passphrase-2027"},
                operator=w.b.admin.login,
            ),
            "/console/logout": Form("/console/logout", "/console"),
        }

    def keep_going(self) -> None:
        """Back to the scene's state after a form that may have ended it: the console
        session (logged out, or its password changed), the booking kept on the device and
        the sign-in attempts counted (the next form's sign-in counts from none)."""
        client = self.client
        with self.db.engine.begin() as conn:  # sign-in attempts: thirty a minute an address
            conn.execute(sa.text("DELETE FROM rate_limit_window"))
        if client.get("/console", follow_redirects=False).status_code != 200:
            assert log_in(client, self.w.a.admin.login).status_code == 303
        if self.reference not in client.get("/manage").text:
            page = client.get("/manage").text
            data = {"reference": self.reference, "token": self.token, "csrf_token": csrf_of(page)}
            assert client.post("/manage", data=data, follow_redirects=False).status_code == 303


class Form:
    def __init__(
        self, path, page=None, filled=None, *, fields=None, clock=None, operator=None
    ) -> None:
        self.path, self.page, self.filled, self.fields = path, page, filled or {}, fields
        self.clock, self.operator = clock, operator

    def sent(self, client) -> list[tuple[str, str]]:
        """The form as its page would send it (the CSRF token left out), with the
        fields ``filled`` where the page leaves them empty (a list: a field sent once
        for each value, as boxes ticked)."""
        if self.fields is not None:
            fields = list(self.fields)
        else:
            fields = form_fields(client.get(self.page).text, self.path.split("?")[0])
        fields = [(k, v) for k, v in fields if k != "csrf_token" and k not in self.filled]
        for k, v in self.filled.items():
            fields += [(k, one) for one in (v if isinstance(v, list) else [v])]
        return fields


def _cases(fields: list[tuple[str, str]], declared: list[str], start: int):
    """(what, body) pairs for a form sending ``fields`` to an endpoint that also
    ``declared`` its ``Form()`` parameters (a box left unticked is not sent): ``body``
    is ``data`` for TestClient, or ("json"|"multipart"|"bytes", fields) for another
    shape. Each field alone is given the next value of ``ODD`` from ``start`` (each
    form starts elsewhere, so that over the forms' fields every value is given). The
    form as filled in comes last, with the unknown field before it: either may do what
    the form does (cancel, sign out, change the password), which the odd values then
    would no longer reach."""
    names = list(dict.fromkeys([*(k for k, _ in fields), *declared]))
    for i, name in enumerate(names):
        for k in range(len(ODD) if DEEP else 1):
            odd = ODD[(start + i + k) % len(ODD)]
            yield f"{name}={odd[:20]!r}", [(n, v) for n, v in fields if n != name] + [(name, odd)]
    for odd in ODD if DEEP else EVERY_FIELD:
        yield f"every field {odd[:20]!r}", [(n, odd) for n in names]
    # Left out: a field a handler reads from ``request.form()`` itself may be None.
    halves = [names[: len(names) // 2], names[len(names) // 2 :]]
    for left_out in [[n] for n in names] if DEEP else halves:
        yield f"without {', '.join(left_out)}", [(n, v) for n, v in fields if n not in left_out]
    yield "nothing", []
    twice = [(n, EVERY_FIELD[i % len(EVERY_FIELD)]) for i, n in enumerate(names)]
    yield "every field twice", fields + twice
    yield "as JSON", ("json", fields)
    yield "as multipart, each field a file", ("multipart", fields)
    yield "not UTF-8", ("bytes", fields)
    yield "an unknown field", fields + [("zz_unknown", "1"), ("__proto__", "x")]
    yield "as filled in", fields


def _send(client, path: str, csrf: str, body):
    if isinstance(body, list):
        data = [*body, ("csrf_token", csrf)]
        return client.post(path, data=_as_dict(data), follow_redirects=False)
    shape, fields = body
    if shape == "json":
        content = json.dumps({**dict(fields), "csrf_token": csrf})
        headers = {"Content-Type": "application/json"}
        return client.post(path, content=content, headers=headers, follow_redirects=False)
    if shape == "multipart":
        files = [(k, (f"{k}.txt", v.encode(), "text/plain")) for k, v in fields]
        return client.post(path, data={"csrf_token": csrf}, files=files, follow_redirects=False)
    raw = "&".join(f"{k}=%FF%FE{k}" for k, _ in fields).encode() + b"&x=\xff\xfe"
    content = raw + f"&csrf_token={csrf}".encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return client.post(path, content=content, headers=headers, follow_redirects=False)


def _as_dict(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """``pairs`` as TestClient's ``data`` (a name given more than once: a list)."""
    out: dict[str, str | list[str]] = {}
    for k, v in pairs:
        if k in out:
            before = out[k]
            out[k] = [*before, v] if isinstance(before, list) else [before, v]
        else:
            out[k] = v
    return out


# Forms sent last: each ends or changes what the others need (the console session, the
# booking kept on the device, the bookings themselves), restored after each.
LAST = (
    "/console/rules/{rule_id}/retire",
    "/manage/cancel",
    "/console/bookings/{reference}/cancel",
    "/manage/forget",
    "/console/password",
    "/console/logout",
)


def _order(routes: list[str]) -> list[str]:
    return sorted(routes, key=lambda r: (LAST.index(r) if r in LAST else -1, r))


def test_no_page_form_answers_odd_input_with_a_500_or_half_a_write(db):
    # The console's requests count against its token's minute like the API's: raised
    # out of reach, as the contract test does (their limit's own tests elsewhere).
    settings = without_anonymous_caps(db.settings).model_copy(
        update={"rate_limit_per_minute": 1_000_000}
    )
    with TestClient(create_app(settings, database=db), raise_server_exceptions=False) as client:
        scene = Scene(db, client)
        forms = scene.forms()
        routes = _page_routes(client.app)
        assert set(routes) == set(forms), "a new page form: say in Scene.forms where it is"
        rows = Rows(db)
        _a_write_is_seen(db, rows)
        found, unreached = [], []
        for route in _order(routes):
            form = forms[route]
            client.app.state.clock = form.clock or Clock()
            if form.operator:
                assert log_in(client, form.operator).status_code == 303
            fields, reached = form.sent(client), False
            before = rows.now()
            for what, body in _cases(fields, routes[route], zlib.crc32(route.encode())):
                r = _send(client, form.path, scene.csrf, body)
                after = rows.now()
                if wrong := faults(r, after != before and 400 <= r.status_code < 500):
                    where = rows.changed(before, after)
                    found.append(f"{route} {what}: {', '.join(wrong)}{where}")
                before = after
                reached = reached or _reached(r)
            if not reached and route != "/console/logout":  # its answer is the sign-in
                unreached.append(route)
            client.app.state.clock = Clock()
            scene.keep_going()
        rows.close()
        assert found == []
        assert unreached == [], "every answer refused the token or the session"


def _reached(r) -> bool:
    """Whether the form's handler answered: not the CSRF check's 403, not the console's
    303 to its sign-in."""
    return r.status_code != 403 and not r.headers.get("location", "").startswith("/console/login")


def _a_write_is_seen(db, rows: Rows) -> None:
    """The watch sees a write (a destination renamed, and renamed back)."""
    before = rows.now()
    rename = "UPDATE destination SET name_en = :name WHERE slug = 'dest-a'"
    with db.engine.begin() as conn:
        was = conn.execute(sa.text("SELECT name_en FROM destination WHERE slug = 'dest-a'"))
        was = was.scalar_one()
        conn.execute(sa.text(rename), {"name": was + " (renamed)"})
    assert rows.now() != before
    with db.engine.begin() as conn:
        conn.execute(sa.text(rename), {"name": was})
