"""Command line: ``python -m service.cli <command>`` (also installed as ``jilin``).

Commands: migrate, load-demo, serve, openapi; capabilities and the worker add theirs
through their ``register_commands(subparsers)`` (``_register_commands``, which also
hands bookings its payments port).
"""

import argparse
import json
import logging
import sys
from pathlib import Path

# Only light imports at the top: ``serve --workers N`` spawns children that import this
# module again before they start (uvicorn's supervisor gives up on a slow child).
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
OPENAPI_PATH = ROOT / "openapi" / "openapi.json"


def cmd_migrate(args: argparse.Namespace) -> int:
    from service.migrate import upgrade

    settings = Settings()
    upgrade(settings.database_url)
    print(f"database at head: {_safe_url(settings.database_url)}")
    return 0


def cmd_load_demo(args: argparse.Namespace) -> int:
    from catalog.demo.loader import load_demo
    from service import runner
    from service.clock import Clock
    from service.db import Database
    from service.operators.demo import load_demo_operators

    settings = Settings()
    db = Database(settings)
    with runner.transaction(db, write=True) as session:
        summary = load_demo(session, today=Clock().today())
        if settings.env != "production":  # documented demo logins: never in production
            summary["demo_operators"] = load_demo_operators(
                session, env=settings.env, now=Clock().now()
            )
    db.dispose()
    print(demo_summary(summary))
    if settings.env == "production":
        print("demo operator logins not created (JL_ENV=production)")
    return 0


def demo_summary(added: dict[str, int]) -> str:
    """What ``load-demo`` says: the rows it added, or that the catalogue was already
    there (a second run adds nothing; "destinations 0" would read as an empty one)."""
    if not any(added.values()):
        return "demo catalogue: already loaded (nothing new to add)"
    return "demo catalogue: added " + ", ".join(f"{k} {v}" for k, v in added.items())


def cmd_serve(args: argparse.Namespace) -> int:
    import os
    import shutil
    import tempfile

    import uvicorn

    from service.logs import configure_logging
    from service.metrics import MULTIPROC_ENV

    settings = Settings()
    if args.no_access_log:
        os.environ["JL_ACCESS_LOG"] = "false"  # read by each worker's Settings
    # The in-process sweeper (each worker's lifespan): on unless --no-sweeper or
    # JL_SWEEPER=false (a deployment that runs ``jilin worker`` may turn it off).
    if args.no_sweeper:
        os.environ["JL_SWEEPER"] = "false"
    else:
        os.environ.setdefault("JL_SWEEPER", "true")
    if args.sweep_interval is not None:
        os.environ["JL_SWEEP_INTERVAL_S"] = str(args.sweep_interval)
    # Our JSON lines for every logger (uvicorn's too); uvicorn's own access log is off:
    # the app writes one line per request, without the query string.
    logging.getLogger().handlers.clear()
    configure_logging(getattr(logging, args.log_level.upper(), logging.INFO))
    config = uvicorn.Config(
        # each worker's app, its startup heap frozen out of the collector's walks
        "service.app:create_served_app",
        factory=True,
        host=args.host,
        port=args.port or settings.port,
        workers=args.workers,
        log_level=args.log_level,
        log_config=None,
        access_log=False,
        # uvicorn's httptools protocol, reading raw UTF-8 in an address as a browser
        # sends it, and answering an unparsable request as a problem (http_protocol.py)
        http="service.http_protocol:JilinHttpToolsProtocol",
    )
    if args.workers <= 1:
        _server(config).run()
        return 0
    # Each worker keeps its metrics in files of a fresh folder; /metrics adds them up.
    own_dir = not os.environ.get(MULTIPROC_ENV)
    if own_dir:
        os.environ[MULTIPROC_ENV] = tempfile.mkdtemp(prefix="jilin-metrics-")
    try:
        _run_workers(config, args.host)
    finally:
        if own_dir:
            shutil.rmtree(os.environ.pop(MULTIPROC_ENV), ignore_errors=True)
    return 0


def serving_line(host: str, port: int, doing: str = "serving on") -> str:
    """What ``serve`` says once the server accepts connections (``./dev serve``'s cue)."""
    shown = f"[{host}]" if ":" in host else host
    return f"==> {doing} http://{shown}:{port} (docs at /docs)"


def _server(config):
    """uvicorn's server, saying ``serving_line`` on stderr once it listens: after the app
    is built and its lifespan has started, so a first request is never refused (uvicorn
    takes seconds to get there; a line printed before starting it was a promise)."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                print(serving_line(config.host, config.port), file=sys.stderr, flush=True)

    return Server(config)


def _run_workers(config, host: str) -> None:
    import socket

    from uvicorn.supervisors import Multiprocess

    # uvicorn's supervisor binds with proto=0; accepted sockets inherit it and asyncio
    # then never sets TCP_NODELAY, so each keep-alive request after the first waits
    # ~40 ms for a delayed ACK (uvicorn issue #3149). Bind the socket ourselves.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, config.port))
    # Listening now: a request sent before the workers are up waits in the backlog (it is
    # not refused) and is answered by the first worker to start (uvicorn logs each start).
    sock.listen(config.backlog)
    doing = f"listening ({config.workers} workers starting) on"
    print(serving_line(host, config.port, doing), file=sys.stderr, flush=True)
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


def openapi_document() -> dict:
    from service.app import create_app

    app = create_app(Settings(env="test", database_url="sqlite://"))
    return app.openapi()


def render_openapi() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def cmd_openapi(args: argparse.Namespace) -> int:
    text = render_openapi()
    if args.check:
        current = OPENAPI_PATH.read_text(encoding="utf-8") if OPENAPI_PATH.exists() else ""
        if current != text:
            print(
                "openapi/openapi.json is out of date: run `python -m service.cli openapi`",
                file=sys.stderr,
            )
            return 1
        print("openapi/openapi.json is up to date")
        return 0
    OPENAPI_PATH.parent.mkdir(parents=True, exist_ok=True)
    OPENAPI_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {OPENAPI_PATH.relative_to(ROOT)}")
    return 0


def _safe_url(url: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jilin", description="Jilin Sojourn service")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database to the latest schema").set_defaults(
        func=cmd_migrate
    )
    sub.add_parser("load-demo", help="load the demo catalogue (idempotent)").set_defaults(
        func=cmd_load_demo
    )
    p = sub.add_parser("serve", help="serve the API with uvicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument(
        "--no-access-log", action="store_true", help="no log line per request (benchmarks)"
    )
    p.add_argument("--log-level", default="info")
    p.add_argument(
        "--no-sweeper",
        action="store_true",
        help="do not expire lapsed holds in-process (run `jilin worker` instead)",
    )
    p.add_argument(
        "--sweep-interval",
        type=float,
        default=None,
        help="seconds between in-process sweeps (default: $JL_SWEEP_INTERVAL_S or 5)",
    )
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("openapi", help="write (or --check) openapi/openapi.json")
    p.add_argument("--check", action="store_true")
    p.set_defaults(func=cmd_openapi)
    _register_commands(sub)
    return parser


def _register_commands(sub) -> None:
    from service import worker
    from service.clients import cli as clients_cli
    from service.operators import cli as operators_cli
    from service.payments import cli as payments_cli
    from service.payments.gateway import StripePayments
    from service.reports import cli as reports_cli

    clients_cli.register_commands(sub)
    payments_cli.register_commands(sub)
    operators_cli.register_commands(sub, payments=StripePayments)
    reports_cli.register_commands(sub)
    worker.register_commands(sub)


def main(argv: list[str] | None = None) -> int:
    from service.logs import (
        JsonFormatter,
        MaskingFormatter,
        install_pii_masking,
        quiet_chatty_loggers,
    )

    install_pii_masking()
    quiet_chatty_loggers()
    args = build_parser().parse_args(argv)
    handler = logging.StreamHandler()
    # The long-running processes (the worker, the sweeper) write JSON lines, as the
    # server does; a one-off command's few lines are for a person at the terminal.
    if getattr(args, "json_logs", False):
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(MaskingFormatter("%(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    import sqlalchemy as sa

    from service.db import sqlite_file_missing

    if args.command not in _NO_SCHEMA_NEEDED and sqlite_file_missing(Settings().database_url):
        # Refused before anything connects: SQLite would create the file (and its folder).
        print(NOT_SET_UP, file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except sa.exc.DBAPIError as exc:
        if not schema_missing(exc):
            raise
        print(NOT_SET_UP, file=sys.stderr)
        return 2


NOT_SET_UP = "error: the database is not set up: run `jilin migrate` (or ./dev serve) first"
# Commands run without a migrated database: migrate makes it, openapi reads none, and the
# server starts and says so at /v1/health/ready (503 not_ready) until it is migrated.
_NO_SCHEMA_NEEDED = frozenset({"migrate", "openapi", "serve"})


def schema_missing(exc) -> bool:
    """Whether a database error says a table is missing: a database never migrated
    (SQLite's "no such table", PostgreSQL's undefined_table, SQLSTATE 42P01)."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == "42P01" or "no such table" in str(orig)


if __name__ == "__main__":
    raise SystemExit(main())
