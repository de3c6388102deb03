"""Request dependencies: the station context, a per-request DB connection, the caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlite_utils import Database

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


StationDep = Annotated[Station, Depends(get_station)]
DbDep = Annotated[Database, Depends(get_db)]
StaffDep = Annotated[Staff, Depends(current_staff)]
