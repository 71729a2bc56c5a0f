"""Liveness (the trivial endpoint benchmarks compare against) and readiness.

``GET /v1/health`` answers as long as the process serves HTTP; it touches nothing.
``GET /v1/health/ready`` says whether this worker can serve requests: the database
answers and its schema is at the migrations' head; otherwise 503 ``not_ready``
(a load balancer stops sending traffic; nothing restarts the process for it).
A probe writes one line to the log, its access line: the revision is read from Alembic's
version table with plain SQL (``current_revisions``), not through Alembic's
``MigrationContext``, which logs two INFO lines ("Context impl …", "Will assume …") each
time it is set up, and the head is computed once per process (``migration_heads``).
"""

from functools import cache
from typing import Literal

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from service.errors import DomainError, problems

router = APIRouter(prefix="/v1", tags=["health"])


class Health(BaseModel):
    status: str = "ok"


class Readiness(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [{"status": "ready", "database": "ok", "schema_revision": "0005"}]
        }
    }

    status: Literal["ready"]
    database: Literal["ok"]
    schema_revision: str = Field(description="The Alembic revision the database is at (head)")


class NotReady(DomainError):
    status, code, title, title_zh = 503, "not_ready", "Not ready", "未就绪"


@router.get("/health", response_model=Health, summary="Liveness probe")
async def health() -> Health:
    return Health()


@cache
def migration_heads() -> frozenset[str]:
    from service.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


# Alembic's version table (its default name; migrations/env.py keeps it).
VERSION_TABLE = "alembic_version"


def current_revisions(conn: sa.Connection) -> frozenset[str]:
    """The revisions the database is at (none when it was never migrated): the rows of
    Alembic's version table, as ``MigrationContext.get_current_heads`` reads them,
    without its log lines."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return frozenset()
    version = sa.table(VERSION_TABLE, sa.column("version_num"))
    return frozenset(conn.execute(sa.select(version.c.version_num)).scalars())


@router.get(
    "/health/ready",
    response_model=Readiness,
    summary="Readiness probe",
    description="200 when the database answers and its schema is at the migrations' head; "
    "503 problem `not_ready` otherwise (`field`: `database` or `schema_revision`).",
    responses=problems(503),
)
def ready(request: Request) -> Readiness:
    db = request.app.state.db
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            current = current_revisions(conn)
    except sa.exc.SQLAlchemyError:
        raise NotReady(
            "The database does not answer.", zh="数据库无响应。", field="database"
        ) from None
    heads = migration_heads()
    if current != heads:
        have = ", ".join(sorted(current)) or "none"
        want = ", ".join(sorted(heads))
        raise NotReady(
            f"The database schema is at {have}, not at the migrations' head {want}.",
            zh=f"数据库结构版本为 {have}，不是迁移的最新版本 {want}。",
            field="schema_revision",
        )
    return Readiness(status="ready", database="ok", schema_revision=", ".join(sorted(current)))
