"""``GET /v1/dossiers/{id}/declaration.pdf``: the citizen's declaration (tờ khai), pre-filled
from the dossier with the parties' signatures drawn in (staff token; 404 for an unknown id).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from sync_server.api.deps import DbDep, StaffDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.services import door

router = APIRouter(prefix="/v1/dossiers", tags=["paperwork"])


@router.get(
    "/{dossier_id}/declaration.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def declaration(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
    pdf, name = door.declaration_pdf(who, station, db, dossier_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
