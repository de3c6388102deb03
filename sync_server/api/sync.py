"""Tablet sync: enroll, first unlock, push (outbox → station), pull (feed → tablet).

Bodies are read as raw JSON objects and checked by the shared parsers, which are the
protocol's definition; docs/sync-protocol.md describes them for other implementers.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from shared.sync import parse_pull_request
from sync_server.api.deps import AuthGuard, DbDep, EnrollGuard, StationDep
from sync_server.services import enrollment, feed, ingest

router = APIRouter(prefix="/v1/sync", tags=["sync"])

JsonObject = Annotated[dict[str, Any], Body()]


@router.post("/enroll", dependencies=[EnrollGuard])
def enroll(body: JsonObject, station: StationDep, db: DbDep) -> dict[str, Any]:
    return enrollment.enroll(db, station.keys, body)


@router.post("/unlock", dependencies=[AuthGuard])
def unlock(body: JsonObject, station: StationDep, db: DbDep) -> dict[str, Any]:
    return enrollment.unlock(db, station.keys, body)


@router.post("/push")
def push(body: JsonObject, station: StationDep, db: DbDep) -> dict[str, Any]:
    return ingest.push(db, station.keys, station.catalogue, body)


@router.post("/pull")
def pull(body: JsonObject, station: StationDep, db: DbDep) -> dict[str, Any]:
    device_id, after, limit = parse_pull_request(body)
    device = enrollment.active_device(db, device_id)
    return feed.pull(db, station.keys, device, after, limit)
