"""``GET /v1/health``: liveness, version, the unit served and the station's public keys."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared import messages as m
from sync_server.api.deps import DbDep, StationDep
from sync_server.config import VERSION
from sync_server.services.core.station import get_unit_record

router = APIRouter(prefix="/v1", tags=["health"])


@router.get(
    "/health",
    response_model=None,
    responses={
        200: {
            "description": "Station identity",
            "content": {"application/json": {"schema": m.json_schema(m.Health)}},
        }
    },
)
def health(station: StationDep, db: DbDep) -> dict[str, Any]:
    answer = m.Health(
        "ok", VERSION, get_unit_record(db), m.StationKeysInfo(**station.keys.public())
    )
    return m.to_dict(answer)
