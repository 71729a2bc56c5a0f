"""Page conventions: one Jinja2 environment, the page language, CSRF, errors as HTML.

Every page is server-rendered HTML from the same FastAPI app, calling the same service
functions as the JSON API (the pages are a thin HTTP layer, like the endpoints). The
conventions, written for people in ``docs/pages.md``:

* **Language**: the address's ``?lang=zh-CN|en`` (kept in the ``lang`` cookie), else the ``lang``
  cookie (set by ``GET /lang/{zh-CN|en}``), else ``Accept-Language``, else zh-CN
  (``page_lang``). Text comes from ``messages.TEXT``
  through ``t(key)`` in templates.
* **CSRF**: signed double submit (``csrf``): every form carries ``csrf_token``, checked
  against the ``jl_csrf`` cookie before every page POST.
* **Errors**: a ``DomainError`` (404, 422...) or a refused CSRF token raised by a page
  handler becomes an HTML page in the page's language (``PageRoute``); a form handler
  catches the problem itself and renders the form again with the message beside the
  field the problem names (``form_errors``).
* **Headers**: ``Content-Security-Policy`` allows this origin only (no third-party asset
  can load), ``Cache-Control: no-store`` (pages carry CSRF tokens and personal data),
  ``Referrer-Policy: same-origin``, ``Vary: Cookie, Accept-Language``.
* **Catalogue pages** (``cached_page``): rendered once per catalogue version, language,
  local date and address, with the visitor's CSRF token put in on each response; those
  without a form carry an ``ETag`` (``no-cache``) and answer 304.
"""

import hashlib
import secrets
from collections.abc import Callable, Coroutine, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache, partial
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import sqlalchemy as sa
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from markupsafe import escape
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from service import query_params, runner
from service.catalog import responses
from service.db import NOT_READ, Database, Probe
from service.errors import DomainError, api_form
from service.i18n import Lang
from service.idempotency.runner import Work, run_idempotent
from service.lru import MISSING, PerEngine
from service.pages import csrf, messages, refusals, templating
from service.pages.csrf import (
    CSRF_COOKIE,
    CsrfRefused,
    csrf_token,
    csrf_value,
    verify_csrf,
)
from service.pages.formats import long_date
from service.pages.language import (  # noqa: F401 (the pages' names for them: web.page_lang)
    LANG_COOKIE,
    LANG_PARAM,
    LANG_TAGS,
    LANGS,
    page_lang,
    remember_lang,
    text,
    without_lang,
)
from service.pages.language import address_lang as _address_lang
from service.pages.templating import CSRF_PLACEHOLDER, TEMPLATES

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Vary": "Cookie, Accept-Language",
}
_PAGE_HEADERS = [
    (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
]


def with_query(path: str, params: Mapping[str, str] | Sequence[tuple[str, str]]) -> str:
    """``path`` with ``params`` (a mapping, or name-value pairs: a name may repeat)."""
    return f"{path}?{urlencode(params)}" if params else path


def safe_next(raw: str | None) -> str:
    """A local path to go back to after a redirect: never another origin."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return "/"
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return "/"
    return raw


def _context(
    request: Request,
    path: str,
    title: str | None,
    context: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The shared template context (``render``'s, ``cached_page``'s, ``render_body``'s);
    the language's words and formats, and the CSRF token's placeholder, are the
    language's environment's globals (``templating``). ``payment_mode``: how the pages'
    bookings are paid, which the footer says (the same for every page of an app)."""
    return {
        "payment_mode": request.app.state.payment_mode,
        "path": path,
        "page_title": title,
        "errors": {},
        "values": {},
        "switch_post": None,
        # The fields the page's form macros draw, in the page's order: name -> [label,
        # id] (``macros.html``), what the error summary names each error by.
        "fields_drawn": {},
        **(context or {}),
    }


def _rendered(lang: Lang, template: str, ctx: Mapping[str, Any]) -> bytes:
    """``template`` in ``lang`` (its environment, ``templating.environment``), the CSRF
    token a placeholder."""
    return templating.environment(lang).get_template(template).render(ctx).encode()


def _path(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def _response(
    request: Request,
    body: str | bytes | None,
    lang: Lang,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] = SECURITY_HEADERS,
) -> Response:
    """The page's response with the page headers; sets the CSRF cookie when this request
    created its value."""
    if body is None:  # a 304: headers only
        response: Response = Response(status_code=304, headers=dict(headers))
        response.headers["Content-Language"] = lang
    elif headers is SECURITY_HEADERS:
        # Starlette's headers for the page headers, encoded once (``_PAGE_HEADERS``):
        # the same lines in the same order as through ``headers=`` and
        # ``response.headers[...] =``, which encode and search them on every page.
        response = HTMLResponse(body, status_code=status_code)
        response.raw_headers[:0] = _PAGE_HEADERS
        response.raw_headers.append((b"content-language", lang.encode("latin-1")))
    else:
        response = HTMLResponse(body, status_code=status_code, headers=dict(headers))
        response.headers["Content-Language"] = lang
    if _address_lang(request) == lang and request.cookies.get(LANG_COOKIE) != lang:
        remember_lang(request, response, lang)  # a link's ?lang=: the visitor goes on in it
    if getattr(request.state, "csrf_new", False):
        csrf.set_cookie(request, response, CSRF_COOKIE, request.state.csrf_value)
    return response


async def in_transaction(
    request: Request, work: Callable[[Session], Response], *, write: bool = False
) -> Response:
    """A page's whole blocking work in one thread hop: ``work(session)`` reads (and, with
    ``write``, writes) in a runner transaction, which commits before the response is
    sent, and renders the page (``render``)."""
    db = request.app.state.db

    def run() -> Response:
        with runner.transaction(db, write=write) as session:
            return work(session)

    return await runner.in_thread(run)


# --- the language switch of a page made in answer to a form ------------------------


def reposted(name: str) -> bool:
    """Whether the language switch writes field ``name`` back into its page: never a
    password of any form (``password``, ``current_password``, ``new_password``...): it
    stays where it was typed, and the form comes back asking for it."""
    return "password" not in name.lower()


_POSTS_AGAIN = "jl_posts_again"
F = TypeVar("F", bound=Callable)


def posts_again(endpoint: F) -> F:
    """Mark a form whose refusal page's language switch may post it again (the same
    fields, to the same address): sending it again does nothing the visitor did not ask
    for by sending it, whatever has changed since. So are a form that only reads (opening
    a booking), one that only prices (a quote: asked again, priced again; nothing is
    held or booked), an idempotent one (the book and cancel forms: the same key
    replays the refusal recorded for it; a refusal that says "try again", busy, is
    tried again, as pressing the button again would), and the console's sign-in (its
    password is never posted again, so it cannot sign in). Any other form's refusal (the
    console's edits, the survey, a password) switches to its address's GET page,
    what was typed left behind: refused for the state of things (rooms sold since,
    a season overlapping), it could succeed if sent again later, and changing the
    language must never do what was refused."""
    setattr(endpoint, _POSTS_AGAIN, True)
    return endpoint


def only_reads(request: Request) -> None:
    """Say that this POST changes nothing (a preview): the language switch of the page
    it renders posts the form again, as on a refusal of a form that ``posts_again``.
    Any other POST answered with a page (a batch issued, say) switches to its address's
    GET page instead: sending it again would do it again."""
    request.state.only_reads = True


def _get_page(request: Request) -> str:
    """This request's address if a GET answers it (a form that posts to its own page:
    ``/manage``, the book form, most of the console's), else the page its form lives on
    (``_page_above``: ``/console/calendar/apply`` -> ``/console/calendar``), else the
    home page."""
    scope = {**request.scope, "method": "GET"}
    if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
        return _path(request)
    return _page_above(request) or "/"


def _language_switch(request: Request, status_code: int) -> dict[str, Any]:
    """The language switch of a page made in answer to a POST (``render``): the link's
    ``path`` of a GET page would be the POST's address, a 405 in the other language with
    what was typed lost. A refusal (4xx: nothing was done) or a POST that only reads
    switches by posting the same form again (``switch_post``: its fields as sent, the
    CSRF token included, to ``POST /lang/{tag}?next=<address>``, which answers 307 to
    that address: the browser sends the same body there, with the language's cookie),
    so the same page comes back in the other language with everything typed; a form
    sent again with its idempotency key replays its refusal (the same body). That is
    for a refusal of a form that ``posts_again`` only (sending it again cannot do
    what was refused). Else the link leads to the address's GET page (``_get_page``);
    so it does for a POST that was never read (its CSRF refused, its body too large)."""
    posted = getattr(request.state, "posted", None)
    only_reads = getattr(request.state, "only_reads", False)
    again = only_reads or (status_code >= 400 and getattr(request.state, "posts_again", False))
    if posted is not None and again:
        fields = [
            (name, value)
            for name, value in posted.multi_items()
            if isinstance(value, str) and reposted(name)
        ]
        return {"switch_post": {"next": _path(request), "fields": fields}}
    return {"path": _get_page(request)}


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    title: str | None = None,
) -> Response:
    """Render ``template`` in the page's language with the shared context: ``lang``,
    ``t`` (text by key), ``csrf_token``, ``path`` (for the language switch; a page made
    in answer to a POST switches by ``_language_switch``, unless its context names the
    ``path``), money and date filters. Sets the CSRF cookie when this request created
    its value."""
    lang = page_lang(request)
    if request.method == "POST" and "path" not in (context or {}):
        context = {**_language_switch(request, status_code), **(context or {})}
    ctx = _context(request, _path(request), title, context)
    ctx["request"] = request
    body = _with_token(request, _rendered(lang, template, ctx))
    return _response(request, body, lang, status_code=status_code)


# --- catalogue pages, rendered once per catalogue version ----------------------------

_PLACEHOLDER = CSRF_PLACEHOLDER.encode()
PAGE_ENTRIES = 512  # per worker and database; the largest page is ~33 KB
pages_for = PerEngine(PAGE_ENTRIES)
REVALIDATE_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}

PageBuild = Callable[[Session, Lang, date], Mapping[str, Any]]
PageVary = Callable[[Session, int, date], responses.Vary]


@cache
def templates_digest() -> bytes:
    """A digest of every template and of the page text: part of each page's ``ETag``, so
    a release that changes how a page looks changes its tag."""
    h = hashlib.blake2b(digest_size=8)
    for path in sorted(TEMPLATES.rglob("*.html")):
        h.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(repr(sorted(messages.TEXT.items())).encode())
    return h.digest()


def page_etag(version: int, lang: Lang, key: tuple) -> str:
    h = hashlib.blake2b(templates_digest(), digest_size=8)
    h.update(repr(key).encode())
    return f'"p{version}.{lang}.{h.hexdigest()}"'


async def cached_page(
    request: Request,
    template: str,
    build: PageBuild,
    *,
    revalidate: bool = True,
    vary: PageVary | None = None,
) -> Response:
    """A catalogue page: what it shows depends only on the catalogue, the language, the
    local date (Asia/Shanghai) and the address (path and query), so it is rendered once
    per catalogue version and kept (``service.catalog.responses.cached``: the version
    read, the LRU and the thread hop of the JSON responses). ``build(session, lang,
    today)`` returns the template's context (``page_title`` included).

    What is per visitor never enters the cache: the CSRF token is rendered as a
    placeholder and replaced by the visitor's own on every response; the CSRF cookie is
    set as by ``render``. ``revalidate``: the page holds nothing per visitor (no token),
    so it carries an ``ETag`` and ``Cache-Control: no-cache`` and a matching
    ``If-None-Match`` is a 304; a page with a form keeps ``no-store``. ``vary(session,
    version, today)``: what else the page shows that is not in the catalogue's
    versioned rows (the product page's units left), read in the same snapshot as the
    version and the rendering, and part of the key."""
    lang = page_lang(request)
    today = request.app.state.clock.today()
    path = _path(request)
    # The payment mode is the app's (its footer): in the key and so in the ETag, so a
    # restart with a Stripe key never answers 304 to a page that says "pay at property".
    key = ("page", template, path, lang, today, request.app.state.payment_mode)
    if_none_match = request.headers.get("if-none-match") if revalidate else None

    def render_page(conn: sa.Connection) -> bytes:
        with Session(bind=conn) as session:
            context = build(session, lang, today)
        body = _rendered(lang, template, _context(request, path, None, context))
        if revalidate and _PLACEHOLDER in body:
            raise RuntimeError(f"{template} has a form: cache it with revalidate=False")
        return body

    def vary_on(conn: sa.Connection, version: int) -> responses.Vary:
        with Session(bind=conn) as session:
            return vary(session, version, today)

    def fresh(version: int) -> bool:
        return bool(if_none_match) and responses.matches(
            if_none_match, page_etag(version, lang, key)
        )

    version, body = await responses.lookup(
        request.app.state.db,
        pages_for,
        key,
        render_page,
        fresh,
        None if vary is None else vary_on,
    )
    csrf_value(request)  # the cookie, as on every rendered page
    if not revalidate:
        return _response(request, None if body is None else _with_token(request, body), lang)
    headers = REVALIDATE_HEADERS
    if version is not None:
        headers = {**headers, "ETag": page_etag(version, lang, key)}
    return _response(request, body, lang, headers=headers)


# --- per-visitor pages, kept while what they show is unchanged ------------------------

VISITOR_PAGE_ENTRIES = 1024  # per worker and database; a quote or booking page is ~12 KB
visitor_pages_for = PerEngine(VISITOR_PAGE_ENTRIES)


@dataclass(frozen=True, slots=True)
class Kept:
    """A per-visitor page as rendered (``render_body``: the CSRF token a placeholder) and
    what it holds for. ``start``/``until``: it holds while ``start <= now < until`` (a
    quote's guarantee, a hold's time), ``None`` for no bound. ``state``: the value of
    the page's ``Probe`` (a booking's change counter) read with the rows it shows,
    ``None`` for rows that never change. ``seen``: SQLite's ``data_version``, read
    before those rows: while it has not moved, nothing anywhere was committed since.
    ``probe``: the page's own ``Probe`` (a quote page's availability), else the one
    ``kept_page`` is given."""

    body: bytes
    start: datetime | None = None
    until: datetime | None = None
    state: Hashable = None
    seen: int | None = None
    probe: Probe | None = None

    def holds_at(self, now: datetime) -> bool:
        after_start = self.start is None or self.start <= now
        return after_start and (self.until is None or now < self.until)


def data_version(request: Request) -> int | None:
    """SQLite's ``data_version`` now (``responses.VersionWatch``); None on PostgreSQL.
    Read it before the rows a kept page shows."""
    watch = responses.watch_for(request.app.state.db.engine)
    return None if watch is None else watch.data_version()


def render_body(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    title: str | None = None,
    path: str | None = None,
) -> bytes:
    """``render``'s page body, to keep: the CSRF token a placeholder (``kept_response``
    puts the visitor's own in) and the language switch back to ``path`` (default: this
    request's, without its query: a kept page does not depend on it)."""
    path = request.url.path if path is None else path
    return _rendered(page_lang(request), template, _context(request, path, title, context))


def _with_token(request: Request, body: bytes) -> bytes:
    """A body rendered with ``CSRF_PLACEHOLDER``, with this visitor's token in its place
    (and their CSRF cookie set on the response, as on every rendered page)."""
    csrf_value(request)
    if _PLACEHOLDER in body:
        body = body.replace(_PLACEHOLDER, csrf_token(request).encode())
    return body


def kept_response(request: Request, body: bytes, fill: Mapping[str, str] | None = None) -> Response:
    """A kept body as this visitor's page: their CSRF token and cookie, the page headers;
    ``fill``: what else is this visitor's own, by the placeholder it was rendered as (the
    manage page's booking token, from the visitor's cookie), put in escaped."""
    body = _with_token(request, body)
    for placeholder, value in (fill or {}).items():
        body = body.replace(placeholder.encode(), str(escape(value)).encode())
    return _response(request, body, page_lang(request))


def keep(request: Request, key: tuple, kept: Kept) -> None:
    """Keep ``kept`` under ``key`` (answer it with ``kept_response``)."""
    visitor_pages_for(request.app.state.db.engine).put(key, kept)


async def kept_page(
    request: Request,
    keys: Sequence[tuple],
    probe: Probe | None = None,
    fill: Mapping[str, str] | None = None,
) -> Response | None:
    """The page kept under the first of ``keys`` that still holds now, or None (then the
    handler builds it and ``keep``s it). A page of changing rows (``probe`` given)
    holds while the probe's value is the one it was rendered with: on SQLite, with no
    query at all while nothing was committed (``data_version``), else the probe read
    on the event loop (``VersionWatch.probe``, microseconds); on PostgreSQL the probe
    is one round trip on the event loop too (``runner.on_loop``: autocommit, no thread
    hop). Where that cannot be read (SQLite busy, the connection lost), it is read in
    the thread pool. ``fill``: ``kept_response``'s."""
    now = request.app.state.clock.now()
    db = request.app.state.db
    pages = visitor_pages_for(db.engine)
    for key in keys:
        kept = pages.get(key)
        if kept is MISSING or not kept.holds_at(now):
            continue
        if kept.state is None:
            return kept_response(request, kept.body, fill)
        check = kept.probe or probe
        if check is None:
            continue
        watch = responses.watch_for(db.engine)
        if watch is not None and kept.seen is not None and watch.data_version() == kept.seen:
            return kept_response(request, kept.body, fill)
        read = watch.probe(check) if watch is not None else await _probe_on_loop(db, check)
        if read is None:
            read = await runner.in_thread(_probe, db, check)
        seen, value = read
        if value != kept.state:
            return None
        keep(request, key, replace(kept, seen=seen))
        return kept_response(request, kept.body, fill)
    return None


async def _probe_on_loop(db: Database, probe: Probe) -> tuple[None, Any] | None:
    value = await runner.on_loop(db, probe)
    return None if value is NOT_READ else (None, value)


def _probe(db: Database, probe: Probe) -> tuple[int | None, Any]:
    watch = responses.watch_for(db.engine)
    seen = None if watch is None else watch.data_version()
    with runner.autocommit(db) as conn:
        return seen, probe.read(conn)


def error_page(
    request: Request,
    status: int,
    message_key: str,
    detail: str = "",
    *,
    path: str | None = None,
    way_on: tuple[str, str] | None = None,
    template: str = "error.html",
) -> HTMLResponse:
    """The error page; ``path``: the address its language switch leads back to (default:
    this request's, with its query); ``way_on``: (address, words) of a link that helps
    where going back would not, before the link home; ``template``: the layout's error
    page (the console has its own)."""
    context: dict[str, Any] = {"status": status, "message_key": message_key, "detail": detail}
    context["way_on"] = way_on
    if path is not None:
        context["path"] = path
    return render(request, template, context, status_code=status)


# Paths that are not pages: the JSON API and its documents keep their own answers.
_NOT_PAGES = ("/v1/", "/docs", "/redoc")
_NOT_PAGE_PATHS = ("/v1", "/openapi.json", "/metrics")


def is_page_path(path: str) -> bool:
    """Whether ``path`` is the pages' (an HTML error page), not the API's, the docs' or
    the metrics': a path of the API written otherwise (``//v1/products``, ``/V1/...``:
    ``errors.api_form``) is the API's, a problem whose detail gives it as written."""
    return (
        path not in _NOT_PAGE_PATHS and not path.startswith(_NOT_PAGES) and api_form(path) is None
    )


_HTTP_ERROR_TEXT = {
    404: "error_not_found",
    413: "error_too_large",
    414: "error_uri_too_long",
    500: "error_internal",  # a bug (``middleware.RequestContext``): nothing was changed
    503: "error_busy",  # the database turned the request away as busy (``db.is_contention``)
}


def _without_slash(request: Request) -> str | None:
    """The address of a page asked for with a slash after it (``/plan/?x=1``): the same
    path without it and the same query, when a route answers that path; else None. A
    path, never an origin (``//host`` is not one): the redirect cannot leave the site."""
    path = request.scope["path"]
    bare = path.rstrip("/")
    if not bare or bare == path or bare.startswith("//") or "\\" in bare:
        return None
    scope = {**request.scope, "path": bare}
    if not any(route.matches(scope)[0] != Match.NONE for route in request.app.router.routes):
        return None
    raw = request.scope.get("raw_path")
    target = raw.decode("latin-1").rstrip("/") if raw else bare
    if not target.startswith("/") or target.startswith("//"):
        return None
    query = request.scope.get("query_string", b"").decode("latin-1")
    return target + (f"?{query}" if query else "")


def _form_home(request: Request) -> str | None:
    """The page whose form posts to this address, for a GET (or HEAD) of a page address
    that only takes a POST: the nearest address above it that a page answers with GET
    (the address less its last parts: ``/products/<slug>/quote`` -> ``/products/<slug>``,
    ``/plan/choose`` -> ``/plan``, ``/console/products/1/seasons/2`` ->
    ``/console/products/1``), or None when there is none below the site's top. A refused
    form's page shows its POST address, which a reload from the address bar, a kept
    bookmark or a shared link asks for with GET: the form's page, not a 405 dead end."""
    if request.method not in ("GET", "HEAD"):
        return None
    return _page_above(request)


def _page_above(request: Request) -> str | None:
    """The nearest address above this request's that a page answers with GET (its last
    parts taken off one by one), or None when there is none below the site's top."""
    path = request.scope["path"].rstrip("/")
    while path.count("/") > 1:
        path = path.rsplit("/", 1)[0]
        scope = {**request.scope, "path": path, "method": "GET"}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            return quote(path)
    return None


def http_error_page(
    request: Request, status: int, headers: Mapping[str, str] | None = None
) -> Response | None:
    """The error page for an HTTP error no page handler saw (no such path, a wrong
    method, a body over the limit), or None on an API path (a problem document there).
    The composition hands this to the app's error handlers and the body-size limit.
    A page's address with a slash after it is a permanent redirect to the address
    without it (301 for GET and HEAD, which every browser follows; 308, which keeps the
    method and the body, for the others); an API path stays a 404 problem. A GET of a
    page address that only takes a POST is a 303 to the page its form lives on
    (``_form_home``)."""
    if not is_page_path(request.url.path):
        return None
    if status == 404 and (target := _without_slash(request)) is not None:
        code = 301 if request.method in ("GET", "HEAD") else 308
        return RedirectResponse(target, status_code=code, headers=SECURITY_HEADERS)
    if status == 405 and (home := _form_home(request)) is not None:
        return RedirectResponse(home, status_code=303, headers=SECURITY_HEADERS)
    # A query too long is not repeated in the page (its language switch): the path alone.
    path = request.url.path if status == 414 else None
    page = error_page(request, status, _HTTP_ERROR_TEXT.get(status, "error_generic"), path=path)
    page.headers.update(headers or {})
    return page


# --- errors beside the field --------------------------------------------------------


def _detail(exc: DomainError, lang: Lang) -> str:
    """The problem's own words in ``lang``."""
    return (exc.detail_zh or exc.detail) if lang == "zh-CN" else exc.detail


def problem_words(request: Request, exc: DomainError) -> str:
    """A service problem said in the page's language (by its code). The night or day a
    problem names (``day``, ``night``: ISO) is said in words (``long_date``)."""
    lang = page_lang(request)
    values = exc.extra
    if exc.code == "repeated_parameter":  # the parameter as the address names it
        values = {**values, "name": exc.field}
    for said in ("day", "night", "opens"):  # a date said in words
        if isinstance(values.get(said), str):
            values = {**values, said: long_date(values[said], lang)}
    return refusals.problem_text(exc.code, lang, _detail(exc, lang), values)


def form_errors(
    request: Request, exc: DomainError, field_map: Callable[[str], str | None]
) -> dict[str, str]:
    """``{form field: message in the page's language}`` for a problem raised by a
    service. ``field_map`` turns the problem's ``field`` (``items[0].check_out``) into
    the form's field name; a problem it cannot place goes under ``_form`` (shown at the
    top of the form). The words are ``problem_words``', with the problem's own fields
    (a refused ticket stub's ``stub`` names which of the codes typed)."""
    target = field_map(exc.field) if exc.field else None
    return {target or "_form": problem_words(request, exc)}


def validation_errors(
    request: Request, errors: list[dict[str, Any]], field_map: Callable[[str], str | None]
) -> dict[str, str]:
    """The same for a pydantic ``ValidationError.errors()`` of an API schema."""
    from service.validation_messages import context, field_path, words_of

    lang = page_lang(request)
    out: dict[str, str] = {}
    for e in errors:
        path = field_path(e.get("loc", ()))
        target = field_map(path) or "_form"
        kind = "missing" if e.get("input") in ("", None) else words_of(e)
        money = path.rsplit(".", 1)[-1].endswith("_fen")  # typed in yuan: said in yuan
        out.setdefault(target, refusals.validation_text(kind, lang, context(e), money=money))
    return out


class PageRoute(APIRoute):
    """The route class of every page: POSTs check CSRF first; domain errors and HTTP
    errors that escape a handler become HTML pages in the page's language (the JSON API
    keeps its problem documents)."""

    # A page's GET form sends every field, empty ones too, and the page reads its query
    # string itself (a wrong value is said beside its field); shared links come back
    # with tracking parameters added: the API's refusal of unknown query parameters
    # (``service.query_params``) does not apply, and only the parameters a page declares
    # (its signature, ``query_params.reads``, ``reads_query``) are refused when given twice.
    reads_its_own_query = True
    # Names every route of the class reads from its query string (``query_params.read``)
    # besides those its handler declares: the page's language (``page_lang``).
    reads_query: frozenset[str] = frozenset({LANG_PARAM})
    # The error page of the routes' layout (``ConsoleRoute``: the console's).
    error_template = "error.html"
    # A traveller form's one-value field given twice is refused (``repeated_form``);
    # the console's forms are not checked here.
    refuses_repeated_form = True

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        checks_csrf = "POST" in self.methods

        page = partial(error_page, template=self.error_template)
        refuses_repeated = checks_csrf and self.refuses_repeated_form

        def repeated_form(request: Request) -> Response | None:
            """A one-value field of the form given more than once: said beside it by a
            handler that ``says_repeated`` (``repeated_errors``), else the error page,
            naming it; never the last value taken silently."""
            name = query_params.repeated_form_field(self, request.state.posted.multi_items())
            if name is None or getattr(self.endpoint, _SAYS_REPEATED, False):
                request.state.repeated_form = name
                return None
            words = text(request)("error_repeated_field", name=f"“{name}”")
            return page(request, 422, "error_generic", words)

        posts_again = getattr(self.endpoint, _POSTS_AGAIN, False)

        async def route(request: Request) -> Response:
            request.state.posts_again = posts_again
            try:
                if checks_csrf:
                    await verify_csrf(request)
                    if refuses_repeated and (refused := repeated_form(request)) is not None:
                        return refused
                return await handler(request)
            except CsrfRefused:
                return page(request, 403, "error_csrf")
            except DomainError as exc:
                if exc.status == 404:
                    return page(request, 404, "error_not_found")
                return page(request, exc.status, "error_generic", problem_words(request, exc))
            except RequestValidationError:
                return page(request, 422, "error_bad_input")
            except StarletteHTTPException as exc:
                key = "error_not_found" if exc.status_code == 404 else "error_generic"
                return page(request, exc.status_code, key)

        return route


_SAYS_REPEATED = "jl_says_repeated"


def says_repeated(endpoint: F) -> F:
    """Mark a form's POST handler that says a one-value field given more than once
    beside it (``repeated_errors``) instead of the error page ``PageRoute`` shows."""
    setattr(endpoint, _SAYS_REPEATED, True)
    return endpoint


def repeated_errors(request: Request, shown: Sequence[str] = ()) -> dict[str, str]:
    """``{field: words}`` for the one-value field of this form given more than once
    (``query_params.repeated_form_field``, checked by ``PageRoute``), beside it when the
    form shows it (``shown``), else at the top of the form; ``{}`` when none was."""
    name = getattr(request.state, "repeated_form", None)
    if name is None:
        return {}
    return {name if name in shown else "_form": text(request)("error_repeated")}


def form_key() -> str:
    """A new form's Idempotency-Key (its hidden field): the same form posted twice gets
    the first answer again instead of booking or cancelling twice."""
    return secrets.token_urlsafe(18)


async def run_form(
    request: Request, idempotency_key: str, work: Work, anonymous_secret: str
) -> Response:
    """A page's idempotent POST: the API's ``run_idempotent`` with no credentials (the
    page's caller is anonymous, its ``anonymous_secret`` scopes the key), the form's key
    (a new one where the form lost it) and the page's language."""
    return await run_idempotent(
        request,
        credentials=None,
        idempotency_key=idempotency_key or form_key(),
        work=work,
        anonymous_secret=anonymous_secret,
        lang=page_lang(request),
    )
