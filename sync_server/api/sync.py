"""Tablet sync: enroll, first unlock, push (outbox → station), pull (feed → tablet).

Bodies are read as raw JSON and decoded by the shared declarations (``shared.messages``),
which are the protocol's definition; the OpenAPI schemas shown for these routes are
generated from the same declarations, so the document and the decoder cannot drift.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from shared import messages as m
from sync_server.api.deps import AuthGuard, DbDep, EnrollGuard, StationDep
from sync_server.api.problems import PROBLEM_MEDIA_TYPE
from sync_server.services.core import devices
from sync_server.services.sync import enrollment, ingest, recovery
from sync_server.services.sync import pull as feed

router = APIRouter(prefix="/v1/sync", tags=["sync"])


async def _json_body(request: Request) -> Any:
    """The parsed body; non-JSON (or NaN/Infinity) is REQUEST_INVALID, never a 500."""
    return m.parse_json(await request.body())


JsonBody = Annotated[Any, Depends(_json_body)]
_PROBLEM = {
    "description": "A catalogued problem (docs/errors.md)",
    "content": {PROBLEM_MEDIA_TYPE: {"schema": m.json_schema(m.Problem)}},
}


def documented(request: type[Any], answer: type[Any]) -> dict[str, Any]:
    """Route keywords that show the declared request and answer schemas in /openapi.json."""
    return {
        "response_model": None,
        "openapi_extra": {
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": m.json_schema(request)}},
            }
        },
        "responses": {
            200: {
                "description": answer.__doc__.strip().splitlines()[0] if answer.__doc__ else "",
                "content": {"application/json": {"schema": m.json_schema(answer)}},
            },
            400: _PROBLEM,
            403: _PROBLEM,
            409: _PROBLEM,
        },
    }


@router.post("/enroll", dependencies=[EnrollGuard], **documented(m.EnrollRequest, m.EnrollAnswer))
def enroll(body: JsonBody, station: StationDep, db: DbDep) -> dict[str, Any]:
    req = m.decode(m.EnrollRequest, body)
    return m.to_dict(enrollment.enroll(db, station.keys, req))


@router.post("/unlock", dependencies=[AuthGuard], **documented(m.UnlockRequest, m.UnlockAnswer))
def unlock(body: JsonBody, station: StationDep, db: DbDep) -> dict[str, Any]:
    req = m.decode(m.UnlockRequest, body)
    return m.to_dict(enrollment.unlock(db, station.keys, req))


@router.post("/push", **documented(m.PushRequest, m.PushAnswer))
def push(body: JsonBody, station: StationDep, db: DbDep) -> dict[str, Any]:
    req = m.decode(m.PushRequest, body)
    return m.to_dict(ingest.push(db, station.keys, station.catalogue, req))


@router.post("/pull", **documented(m.PullRequest, m.PullAnswer))
def pull(body: JsonBody, station: StationDep, db: DbDep) -> dict[str, Any]:
    req = m.decode(m.PullRequest, body)
    device = devices.active_device(db, req.device_id)
    answer = feed.pull(
        db,
        station.keys,
        device,
        req.after,
        req.limit,
        req.numbers,
        staff_digest=req.staff_digest,
        anchor_rows=req.anchor_rows,
        communes_digest=req.communes_digest,
        pending=req.pending,
        held=req.held,
    )
    restore = recovery.notice(db, device.id, device.push_acked)
    return m.to_dict(answer if restore is None else replace(answer, restore=restore))


@router.post("/recover", **documented(m.RecoverRequest, m.RecoverAnswer))
def recover(body: JsonBody, db: DbDep) -> dict[str, Any]:
    """After a restore: the tablet reports what it holds; the answer is the last change
    the station holds, after which the tablet re-sends (docs/sync-protocol.md §11)."""
    return m.to_dict(recovery.recover(db, m.decode(m.RecoverRequest, body)))
