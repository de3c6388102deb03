"""Photos of documents: the tablets' chunked upload and the staff's read.

``PUT /v1/sync/attachments/{sha256}`` opens (or resumes) an upload and answers which
chunks the station already has; ``PUT /v1/sync/attachments/{sha256}/chunks/{n}`` sends
one chunk (docs/sync-protocol.md §7). Both are authenticated as a push is: by the
device's signature on the envelope. ``GET /v1/dossiers/{id}/attachments/{sha256}`` gives
a received photo to staff who may read the dossier (``services.door.photo``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from shared import messages as m
from sync_server.api.deps import DbDep, StaffDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.api.sync import JsonBody, documented
from sync_server.services import door
from sync_server.services.office import attachments as service

router = APIRouter()


@router.put(
    "/v1/sync/attachments/{sha256}",
    tags=["sync"],
    **documented(m.AttachmentOpenRequest, m.AttachmentStatus),
)
def open_upload(sha256: str, body: JsonBody, station: StationDep, db: DbDep) -> dict[str, Any]:
    service.check_sha(sha256)
    req = m.decode(m.AttachmentOpenRequest, body)
    return m.to_dict(service.open_upload(db, station.keys, sha256, req))


@router.put(
    "/v1/sync/attachments/{sha256}/chunks/{n}",
    tags=["sync"],
    **documented(m.AttachmentChunkRequest, m.AttachmentStatus),
)
def put_chunk(
    sha256: str, n: int, body: JsonBody, station: StationDep, db: DbDep
) -> dict[str, Any]:
    service.check_sha(sha256)
    req = m.decode(m.AttachmentChunkRequest, body)
    return m.to_dict(service.put_chunk(db, station.keys, sha256, n, req))


@router.get(
    "/v1/dossiers/{dossier_id}/attachments/{sha256}",
    tags=["dossiers"],
    response_class=Response,
    responses=file_answer("image/jpeg", "The photo, as the station keeps it"),
)
def read_photo(
    dossier_id: str, sha256: str, station: StationDep, db: DbDep, who: StaffDep
) -> Response:
    mime, data = door.photo(who, station, db, dossier_id, sha256)
    return Response(
        data,
        media_type=mime,
        headers={
            "Content-Disposition": f'inline; filename="{sha256[:16]}.jpg"',
            "Cache-Control": "private, no-store",
        },
    )
