"""The one-stop shop's papers for a dossier as PDFs, and recording an apology.

``GET /v1/dossiers/{id}/receipt.pdf`` (Giấy tiếp nhận hồ sơ và hẹn trả kết quả),
``/supplement-request.pdf``, ``/refusal.pdf``, ``/apology.pdf``, ``/control-sheet.pdf``;
``POST /v1/dossiers/{id}/apology`` records the apology and new return date. All need a
staff token of a workflow role (``services.door`` checks the verb); a paper that does not
apply to the dossier's state answers 409.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlite_utils import Database

from sync_server.api.deps import DbDep, StaffDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.services import door
from sync_server.services.core.station import Station
from sync_server.services.setup.staff import Staff

router = APIRouter(prefix="/v1/dossiers", tags=["paperwork"])


class ApologyRequest(BaseModel):
    new_due_at: str = Field(max_length=40, description="YYYY-MM-DD (17:00) or ISO 8601")
    reason: str = Field(max_length=2000)


def _pdf(who: Staff, station: Station, db: Database, dossier_id: str, paper: str) -> Response:
    pdf, name = door.paper_pdf(who, station, db, dossier_id, paper)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


# paper (shared.documents.paperwork) → the route's name, as /openapi.json has named it.
PAPER_ROUTES = (
    ("receipt", "receipt"),
    ("supplement-request", "supplement_request"),
    ("refusal", "refusal"),
    ("apology", "apology_pdf"),
    ("control-sheet", "control_sheet"),
)


def _paper_route(paper: str, name: str) -> None:
    """``GET /v1/dossiers/{id}/<paper>.pdf``: one route per paper, all the same."""

    def route(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
        return _pdf(who, station, db, dossier_id, paper)

    router.add_api_route(
        f"/{{dossier_id}}/{paper}.pdf",
        route,
        methods=["GET"],
        name=name,
        response_class=Response,
        responses=file_answer("application/pdf", "The PDF"),
    )


for _paper, _name in PAPER_ROUTES:
    _paper_route(_paper, _name)


@router.post("/{dossier_id}/apology")
def record_apology(
    dossier_id: str, body: ApologyRequest, station: StationDep, db: DbDep, who: StaffDep
) -> dict[str, Any]:
    answer = door.record_apology(who, station, db, dossier_id, body.new_due_at, body.reason)
    return answer.to_dict()
