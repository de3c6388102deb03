"""Request dependencies: the station context, a per-request DB connection, the caller,
and the per-client brakes on anonymous endpoints.

Who may call what is not decided here: a route passes the caller to its service in
``sync_server.services.door``, which checks the verb (``shared.permissions``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlite_utils import Database

from sync_server.services.core.guard import Guards, enrol_attempt, lookup, pin_attempt
from sync_server.services.core.station import Station
from sync_server.services.setup.staff import Staff, staff_for_token
from sync_server.store.db import Pool

_bearer = HTTPBearer(auto_error=False)


def get_station(request: Request) -> Station:
    station: Station = request.app.state.station
    return station


def get_db(request: Request) -> Iterator[Database]:
    """A pooled connection for one request (``store.db.Pool``: why not one per request)."""
    pool: Pool = request.app.state.pool
    with pool.session() as db:
        get_station(request).refresh_catalogue(db)  # an import made by the command line
        yield db


def current_staff(
    db: Annotated[Database, Depends(get_db)],
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Staff:
    return staff_for_token(db, creds.credentials if creds else None)


def client_key(request: Request) -> str:
    """The client's address as the socket saw it (proxy headers are not trusted)."""
    return request.client.host if request.client else "unknown"


def auth_guard(request: Request) -> Iterator[None]:
    """Per-client brake on PIN checks (``guard.pin_attempt``): at most
    ``auth_client_failures`` checks per window from one address, claimed before each."""
    guards: Guards = request.app.state.guards
    with pin_attempt(guards, client_key(request)):
        yield


def enroll_guard(request: Request) -> Iterator[None]:
    """Per-client brake on guessing enrolment codes (``guard.enrol_attempt``)."""
    guards: Guards = request.app.state.guards
    with enrol_attempt(guards, client_key(request)):
        yield


def verify_guard(request: Request) -> Iterator[None]:
    """Per-client brake on the public verify page (``guard.lookup``)."""
    guards: Guards = request.app.state.guards
    with lookup(guards, client_key(request)):
        yield


StationDep = Annotated[Station, Depends(get_station)]
DbDep = Annotated[Database, Depends(get_db)]
StaffDep = Annotated[Staff, Depends(current_staff)]
AuthGuard = Depends(auth_guard)
EnrollGuard = Depends(enroll_guard)
VerifyGuard = Depends(verify_guard)
