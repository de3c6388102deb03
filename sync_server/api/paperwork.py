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


@router.get(
    "/{dossier_id}/receipt.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def receipt(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
    return _pdf(who, station, db, dossier_id, "receipt")


@router.get(
    "/{dossier_id}/supplement-request.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def supplement_request(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
    return _pdf(who, station, db, dossier_id, "supplement-request")


@router.get(
    "/{dossier_id}/refusal.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def refusal(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
    return _pdf(who, station, db, dossier_id, "refusal")


@router.get(
    "/{dossier_id}/apology.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def apology_pdf(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
    return _pdf(who, station, db, dossier_id, "apology")


@router.get(
    "/{dossier_id}/control-sheet.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def control_sheet(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
    return _pdf(who, station, db, dossier_id, "control-sheet")


@router.post("/{dossier_id}/apology")
def record_apology(
    dossier_id: str, body: ApologyRequest, station: StationDep, db: DbDep, who: StaffDep
) -> dict[str, Any]:
    answer = door.record_apology(who, station, db, dossier_id, body.new_due_at, body.reason)
    return answer.to_dict()
