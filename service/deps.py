"""``Annotated`` aliases for what endpoints need; nothing is created at import time."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from service.clock import REQUEST_CLOCK, Clock
from service.db import Database
from service.runner import committed
from service.settings import Settings


# Attribute reads are ``async def`` so FastAPI runs them inline instead of sending each
# to the threadpool (a thread hop per dependency per request).
async def get_database(request: Request) -> Database:
    return request.app.state.db


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_clock(request: Request) -> Clock:
    return request.app.state.clock


async def use_request_clock(request: Request) -> None:
    """Every request's first dependency: its validation reads the app's clock
    (``clock.request_today``: a birth date that has been), not real time. Set in the
    request's own task (each request has its own context), read while its body is
    validated and in the endpoint's thread."""
    REQUEST_CLOCK.set(request.app.state.clock)


def get_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    yield from committed(db.session())


def get_write_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    yield from committed(db.write_session())


DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ClockDep = Annotated[Clock, Depends(get_clock)]
# scope="function": the transaction commits before the response is sent, so a
# failed commit is an error response, never a success that did not happen.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
