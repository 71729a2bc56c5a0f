"""The application factory: ``uvicorn service.app:create_app --factory``."""

import asyncio
import contextlib
import gc
import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from service import api_docs, deps, health, json_body, metrics, openapi, query_params
from service.auth import ANONYMOUS
from service.bookings.models import STATUSES as BOOKING_STATUSES
from service.bookings.modes import payment_mode_for
from service.clock import Clock
from service.compression import NegotiatedGZip
from service.db import Database, is_contention
from service.errors import install_error_handlers
from service.logs import configure_logging
from service.middleware import RequestContext, allowed_methods
from service.pages import web
from service.payments.gateway import StripePayments
from service.plans.fair import AddressShare
from service.plans.slots import SearchSlots
from service.ratelimit import BodySizeLimit, QueryLengthLimit
from service.settings import Settings
from service.webhooks.tasks import fan_out_gauges

API_DESCRIPTION = """\
Trip planning and booking for sojourn-wellness stays in Jilin (吉林旅居康养).

* Text comes in zh-CN or English by `Accept-Language` (default zh-CN), problems'
  `title` and `detail` included; every answer says which in `Content-Language`.
* Money is integer **fen** (1 CNY = 100 fen); percentages are **basis points**.
* Dates are local dates in Asia/Shanghai (`YYYY-MM-DD`).
* Lists are paginated: pass the `next` cursor back as `cursor`.
* Errors are RFC 9457 `application/problem+json` with a stable `code` and the `field`.
* A query parameter the operation does not declare is a 422 `unknown_parameter` naming it;
  one that takes one value, given more than once, a 422 `repeated_parameter` naming it, and
  so is a header given more than once (`Idempotency-Key`, `X-Booking-Token`, `X-Request-Id`).
* A query string longer than 2,048 bytes is 414 `uri_too_long`.
* Request bodies are JSON (`Content-Type: application/json`; anything else is 415).
* `HEAD` is answered wherever `GET` is, `OPTIONS` everywhere (204 with `Allow`).
* Every answer carries `X-Request-Id` (yours if you sent a sane one: 1-64 of
  `A-Z a-z 0-9 . _ : -`), also written in the server's log line for the request.
* Answers are gzip-compressed when `Accept-Encoding` accepts gzip (RFC 9110: codings are
  case-insensitive, `q=0` refuses one, `*` stands for the others); a compressed answer's
  `ETag` ends in `-gzip` inside the quotes, and `If-None-Match` works with either tag.
"""

# Answers of at least this many bytes are compressed (smaller ones gain nothing), at
# level 1: a quote's 7.3 KB become 1.85 KB in ~0.2 ms, where level 6 saves 200 bytes more
# for about four times the CPU on the hot paths.
GZIP_MINIMUM_BYTES = 1000
GZIP_LEVEL = 1


def _routers() -> list:
    """Every router of the app, in the order they appear in the docs."""
    from service.bookings.endpoints import router as bookings_router
    from service.catalog.endpoints import routers as catalog_routers
    from service.operators.catalogue_endpoints import router as admin_catalogue_router
    from service.operators.desk_endpoints import router as admin_desk_router
    from service.operators.endpoints import router as admin_router
    from service.operators.rates import router as rates_router
    from service.payments.endpoints import router as payments_router
    from service.plans.endpoints import router as plans_router
    from service.quotes.endpoints import router as quotes_router
    from service.reports.endpoints import router as reports_router
    from service.reports.survey_endpoints import router as survey_router
    from service.webhooks.endpoints import router as webhooks_router

    return [
        health.router,
        *catalog_routers,
        rates_router,
        plans_router,
        quotes_router,
        bookings_router,
        survey_router,
        payments_router,
        webhooks_router,
        admin_router,
        admin_catalogue_router,
        admin_desk_router,
        reports_router,
    ]


def _webhook_routers() -> list:
    """What the app sends to partners (documented in the ``webhooks`` section)."""
    from service.bookings.endpoints import events
    from service.webhooks.endpoints import events as ping

    return [events, ping]


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging()
    db = database or Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        sweeper = _start_sweeper(app) if settings.sweeper else None
        app.state.sweeper = sweeper
        yield
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        if db.reads is not None:  # this loop's connections for reads on the event loop
            await db.reads.close_here()
        if database is None:
            db.dispose()

    # FastAPIOffline serves the files of the fastapi-offline package (Swagger UI, ReDoc),
    # from which /docs and /redoc load, not from a CDN. The pages are our own
    # (service.api_docs: ReDoc's footer logo would come from cdn.redoc.ly, and its
    # /docs closed over the app, which FastAPI's caches then kept alive).
    app = FastAPIOffline(
        docs_url=None,
        redoc_url=None,
        title="Jilin Sojourn API · 吉林旅居康养",
        version="1.0.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=openapi.operation_id,
        # /v1/quotes/ is a 404 problem, not a 307 to an address built from the request's
        # Host header (an open redirect behind a careless proxy).
        redirect_slashes=False,
        # An unknown query parameter is a 422 on every operation, and a one-value query
        # parameter or header given twice (service.query_params).
        # A JSON body with a key given twice, or NaN/Infinity, is a 422 on every operation
        # (service.json_body).
        # Validation that needs today reads the app's clock (service.clock.request_today).
        dependencies=[
            Depends(deps.use_request_clock),
            Depends(query_params.reject_unknown_query),
            Depends(query_params.reject_repeated_headers),
            Depends(json_body.check_json_body),
        ],
    )
    api_docs.install(app)
    app.state.settings = settings
    app.state.db = db
    app.state.clock = Clock()
    # /metrics exports jilin_bookings{status} for each, 0 when none (metrics is a shared
    # module: it imports no capability, so the statuses are handed in).
    app.state.booking_statuses = BOOKING_STATUSES
    app.state.more_gauges = (fan_out_gauges,)  # the webhooks' fan-out, docs/webhooks.md
    # The payments capability, as bookings sees it (bookings never imports payments).
    app.state.payments = StripePayments(settings)
    # The planner's searches at once in this worker (the API's and the pages' together).
    app.state.planner_slots = SearchSlots(settings.planner_concurrency, settings.planner_wait_s)
    # Anonymous callers' share of them, by client address (service.plans.fair).
    app.state.planner_share = AddressShare(
        settings.planner_anonymous_per_minute,
        settings.planner_anonymous_at_once,
        app.state.planner_slots.retry_after_s,
    )
    # How a traveller's booking on the pages is paid (the pages' footer says it).
    app.state.payment_mode = payment_mode_for(settings, ANONYMOUS)
    # Pages answer HTTP errors with the HTML error page in the page's language.
    # A deadlock or lock timeout is a 503 to retry, not a 500 (``db.is_contention``).
    install_error_handlers(
        app,
        page_error=web.http_error_page,
        busy=is_contention,
        routed=lambda path: bool(allowed_methods(app, {"path": path})),
    )
    # Outermost last: RequestContext sees every answer (ids, language, timing, log line).
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_body_bytes, page_error=web.http_error_page
    )
    app.add_middleware(
        QueryLengthLimit, max_bytes=settings.max_query_bytes, page_error=web.http_error_page
    )
    app.add_middleware(NegotiatedGZip, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL)
    app.add_middleware(
        RequestContext,
        routes_app=app,
        observe=metrics.observe_request,
        access_log=settings.access_log,
        page_error=web.http_error_page,
        hsts=settings.env == "production",
    )
    for router in _routers():
        app.include_router(router)
        if router is health.router:
            # Routes are matched one after another: the traveller pages (the catalogue,
            # the planner, the trip pages; none under /v1) come right after the trivial
            # endpoint instead of after the ~90 API routes, which a page request
            # otherwise tries first (~0.13 ms of CPU per page; an API request tries
            # ~20 more, ~15 µs).
            for front in _front_page_routers():
                app.include_router(front)
    app.include_router(metrics.router)
    _mount_pages(app)
    query_params.install(app)
    for router in _webhook_routers():
        app.webhooks.include_router(router)
    openapi.install(app)
    logging.getLogger("jilin").debug("app created on %s", db.dialect)
    return app


def create_served_app() -> FastAPI:
    """One ``jilin serve`` worker's app: ``create_app``, then everything made so far (the
    modules, the routes, the settings: ~290,000 objects the collector tracks) moved out
    of the garbage collector's reach (``gc.freeze``, after a collection). They live as
    long as the process; left in, every full collection walked them all again (90-150 ms
    each, in some request's time: the p99). Not in ``create_app``: test processes build
    many apps and free them (``tests/service/test_app_freed.py``). The young
    generations' thresholds are Python's: a higher first threshold (10,000) made each
    young collection ~5 ms and the p99 worse (bench/results/pages-first-views.md, "The
    request stack, and the collector")."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def _start_sweeper(app: FastAPI) -> asyncio.Task:
    """The in-process sweeper (``service.worker.sweep_in_background``): lapsed holds are
    expired and their nights freed every ``JL_SWEEP_INTERVAL_S`` even with no
    ``jilin worker`` running."""
    from service import worker

    state = app.state
    job = worker.sweep_in_background(state.db, state.clock, state.settings.sweep_interval_s)
    return asyncio.create_task(job, name="jilin-sweeper")


def _front_page_routers() -> list:
    """The most visited pages, matched right after ``GET /v1/health`` (``create_app``)."""
    from service.pages.manage import router as manage_router
    from service.pages.plan import router as plan_router
    from service.pages.routes import router as pages_router
    from service.pages.trip import router as trip_router

    return [pages_router, plan_router, trip_router, manage_router]


def _mount_pages(app: FastAPI) -> None:
    """The traveller pages (HTML, not in the OpenAPI document) and their static files."""
    from fastapi.staticfiles import StaticFiles

    from service.console.arrivals import router as console_arrivals_router
    from service.console.calendar import router as console_calendar_router
    from service.console.catalogue import router as console_catalogue_router
    from service.console.desk import router as console_desk_router
    from service.console.packs import router as console_packs_router
    from service.console.places import router as console_places_router
    from service.console.reports import router as console_reports_router
    from service.console.routes import router as console_router
    from service.console.sales import router as console_sales_router
    from service.pages import templating
    from service.pages.survey import router as survey_router

    app.include_router(survey_router)
    app.include_router(console_router)
    app.include_router(console_calendar_router)
    app.include_router(console_desk_router)
    app.include_router(console_arrivals_router)
    app.include_router(console_catalogue_router)
    app.include_router(console_packs_router)
    app.include_router(console_places_router)
    app.include_router(console_sales_router)
    app.include_router(console_reports_router)
    app.mount("/static", StaticFiles(directory=templating.STATIC), name="static")
