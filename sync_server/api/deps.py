"""Request dependencies: the station context, a per-request DB connection, the caller,
and the per-client brakes on anonymous endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlite_utils import Database

from shared.workflow import Role, role_forbidden
from sync_server.services.guard import Guards, enrol_attempt, lookup, pin_attempt
from sync_server.services.staff import Staff, staff_for_token
from sync_server.services.station import Station

_bearer = HTTPBearer(auto_error=False)


def get_station(request: Request) -> Station:
    station: Station = request.app.state.station
    return station


def get_db(station: Annotated[Station, Depends(get_station)]) -> Iterator[Database]:
    with station.session() as db:
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


def require_roles(*roles: Role) -> Callable[[Staff], Staff]:
    """A dependency that admits only these roles (least privilege per endpoint)."""
    allowed = frozenset(roles)

    def check(who: Annotated[Staff, Depends(current_staff)]) -> Staff:
        if who.role not in allowed:
            raise role_forbidden(who.role)
        return who

    return check


StationDep = Annotated[Station, Depends(get_station)]
DbDep = Annotated[Database, Depends(get_db)]
StaffDep = Annotated[Staff, Depends(current_staff)]
# Staff who may read citizen data: everyone in the workflow, not the administrator.
CITIZEN_DATA_ROLES = (Role.INTAKE, Role.APPRAISER, Role.LEADER, Role.CLERK)
CaseworkerDep = Annotated[Staff, Depends(require_roles(*CITIZEN_DATA_ROLES))]
AuthGuard = Depends(auth_guard)
EnrollGuard = Depends(enroll_guard)
VerifyGuard = Depends(verify_guard)
