"""Request dependencies: the station context, a per-request DB connection, the caller,
and the per-client brakes on anonymous endpoints.

Who may call what is not decided here: a route passes the caller to its service in
``sync_server.services.door``, which checks the verb (``shared.permissions``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlite_utils import Database

from shared.errors import Code, TaiChoError
from shared.policy import failure_delay
from sync_server.config import limits
from sync_server.services.guard import Throttle
from sync_server.services.staff import Staff, staff_for_token
from sync_server.services.station import Station
from sync_server.store.db import Pool

_bearer = HTTPBearer(auto_error=False)
_sleep = time.sleep  # replaced in tests that check the growing delay


@dataclass
class Guards:
    """Per-app throttles (one station app, one set of counters)."""

    auth: Throttle = field(default_factory=Throttle)
    enroll: Throttle = field(default_factory=Throttle)


def get_station(request: Request) -> Station:
    station: Station = request.app.state.station
    return station


def get_db(request: Request) -> Iterator[Database]:
    """A pooled connection for one request (``store.db.Pool``: why not one per request)."""
    pool: Pool = request.app.state.pool
    with pool.session() as db:
        yield db


def current_staff(
    db: Annotated[Database, Depends(get_db)],
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Staff:
    return staff_for_token(db, creds.credentials if creds else None)


def client_key(request: Request) -> str:
    """The client's address as the socket saw it (proxy headers are not trusted)."""
    return request.client.host if request.client else "unknown"


_AUTH_FAILURES: frozenset[Code] = frozenset({"AUTH_FAILED", "PIN_LOCKED"})


def auth_guard(request: Request) -> Iterator[None]:
    """Per-client brake on PIN checks: refuse early when over the limit, count failures,
    and answer each failure only after a delay that grows with the client's failures."""
    lim = limits()
    guards: Guards = request.app.state.guards
    key = client_key(request)
    guards.auth.check(key, lim.auth_client_failures, lim.auth_client_window_seconds)
    try:
        yield
    except TaiChoError as err:
        if err.code in _AUTH_FAILURES:
            n = guards.auth.fail(key)
            _sleep(failure_delay(n) * lim.pin_delay_scale)
        raise


def enroll_guard(request: Request) -> Iterator[None]:
    """Per-client brake on guessing enrolment codes."""
    lim = limits()
    guards: Guards = request.app.state.guards
    key = client_key(request)
    guards.enroll.check(key, lim.enroll_client_failures, lim.enroll_client_window_seconds)
    try:
        yield
    except TaiChoError as err:
        if err.code == "ENROLL_CODE_INVALID":
            guards.enroll.fail(key)
        raise


StationDep = Annotated[Station, Depends(get_station)]
DbDep = Annotated[Database, Depends(get_db)]
StaffDep = Annotated[Staff, Depends(current_staff)]
AuthGuard = Depends(auth_guard)
EnrollGuard = Depends(enroll_guard)
