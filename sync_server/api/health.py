"""``GET /v1/health``: liveness, version, the unit served and the station's public keys."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sync_server.api.deps import DbDep, StationDep
from sync_server.config import VERSION
from sync_server.services.enrollment import public_unit
from sync_server.services.station import get_unit

router = APIRouter(prefix="/v1", tags=["health"])


@router.get("/health")
def health(station: StationDep, db: DbDep) -> dict[str, Any]:
    unit = get_unit(db)
    return {
        "status": "ok",
        "version": VERSION,
        "unit": None if unit is None else public_unit(unit),
        "station": station.keys.public(),
    }
