"""Dossier queues, detail, workflow actions and the result PDF (bearer-authenticated).

Every route reads citizen data or changes a dossier; the service it calls in
``sync_server.services.door`` checks the caller's verb (``dossier.read_personal``, the
action's own verb): the administrator manages staff, tablets and settings, not dossiers.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from shared.errors import problem
from shared.external_result import ExternalResult
from shared.views import DossierList
from sync_server.api.deps import DbDep, StaffDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.services import door

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])


class ActionRequest(BaseModel):
    action: str = Field(max_length=64)
    reason: str | None = Field(default=None, max_length=2000)
    # Only with "return": very_satisfied | satisfied | unsatisfied, and an optional comment.
    rating: str | None = Field(default=None, max_length=32)
    comment: str | None = Field(default=None, max_length=1000)
    # Only with "stamp" of a procedure without a result layout (docs/catalogue.md): the
    # signed PDF made elsewhere (base64), or the paper result's number and date.
    result_pdf_b64: str | None = Field(default=None, max_length=7_000_000)
    paper_number: str | None = Field(default=None, max_length=60)
    paper_issued_on: str | None = Field(default=None, max_length=10)

    def external(self) -> ExternalResult | None:
        if self.result_pdf_b64 is not None:
            try:
                pdf = base64.b64decode(self.result_pdf_b64, validate=True)
            except (binascii.Error, ValueError):
                raise problem(
                    "RESULT_PDF_INVALID",
                    "result_pdf_b64",
                    detail="not base64",
                    detail_vi="tệp không đúng mã base64",
                ) from None
            return ExternalResult(pdf, self.paper_number, self.paper_issued_on)
        if self.paper_number is not None or self.paper_issued_on is not None:
            return ExternalResult(None, self.paper_number, self.paper_issued_on)
        return None


@router.get("")
def list_dossiers(
    station: StationDep, db: DbDep, who: StaffDep, status: str | None = None
) -> dict[str, Any]:
    return DossierList(door.dossiers(who, station, db, status)).to_dict()


@router.get("/{dossier_id}")
def get_dossier(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> dict[str, Any]:
    return door.dossier(who, station, db, dossier_id).to_dict()


@router.post("/{dossier_id}/actions")
def act(
    dossier_id: str, body: ActionRequest, station: StationDep, db: DbDep, who: StaffDep
) -> dict[str, Any]:
    return door.act(
        who,
        station,
        db,
        dossier_id,
        body.action,
        body.reason,
        rating=body.rating,
        comment=body.comment,
        external=body.external(),
    ).to_dict()


@router.get("/{dossier_id}/external-result")
def external_result(
    dossier_id: str, station: StationDep, db: DbDep, who: StaffDep
) -> dict[str, Any]:
    """What was recorded at stamp for a result made outside Tại Chỗ (or nothing)."""
    kept = door.external_result(who, station, db, dossier_id)
    return {"external_result": None if kept is None else kept.to_dict()}


class PersonalIdRequest(BaseModel):
    child_personal_id: str = Field(max_length=32)


@router.put("/{dossier_id}/child-personal-id")
def set_child_personal_id(
    dossier_id: str, body: PersonalIdRequest, station: StationDep, db: DbDep, who: StaffDep
) -> dict[str, Any]:
    """The appraiser enters the child's số định danh cá nhân (before approval)."""
    return door.record_personal_id(who, station, db, dossier_id, body.child_personal_id).to_dict()


class ResultSignaturesRequest(BaseModel):
    # Each a shared.signatures.SignatureMark (decoded and bounded by the service).
    signatures: list[dict[str, Any]] = Field(min_length=1, max_length=4)


@router.post("/{dossier_id}/result/signatures")
def sign_result(
    dossier_id: str,
    body: ResultSignaturesRequest,
    station: StationDep,
    db: DbDep,
    who: StaffDep,
) -> dict[str, Any]:
    """The spouses sign the approved Giấy chứng nhận kết hôn (on screen, or recorded as
    signed on paper) before the clerk seals it."""
    return door.sign_result(who, station, db, dossier_id, body.signatures).to_dict()


class LookupRequest(BaseModel):
    key: str = Field(max_length=64)
    database: str = Field(max_length=32)
    result: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=500)


class VerificationRequest(BaseModel):
    note: str = Field(max_length=500)


@router.get("/{dossier_id}/lookups")
def lookups(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> dict[str, Any]:
    """The lookup step (tra cứu) of a dossier: what to look up, what was recorded."""
    return door.lookups(who, station, db, dossier_id).to_dict()


@router.post("/{dossier_id}/lookups")
def record_lookup(
    dossier_id: str, body: LookupRequest, station: StationDep, db: DbDep, who: StaffDep
) -> dict[str, Any]:
    """Record a lookup; one that found nothing opens a verification (xác minh)."""
    return door.record_lookup(
        who,
        station,
        db,
        dossier_id,
        key=body.key,
        database=body.database,
        result=body.result,
        note=body.note,
    ).to_dict()


@router.post("/{dossier_id}/lookups/{lookup_id}/close")
def close_verification(
    dossier_id: str,
    lookup_id: str,
    body: VerificationRequest,
    station: StationDep,
    db: DbDep,
    who: StaffDep,
) -> dict[str, Any]:
    """Close a verification with its outcome."""
    return door.close_verification(who, station, db, dossier_id, lookup_id, body.note).to_dict()


@router.get(
    "/{dossier_id}/result.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def result_pdf(dossier_id: str, station: StationDep, db: DbDep, who: StaffDep) -> Response:
    code, pdf = door.result_pdf(who, station, db, dossier_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{code}.pdf"'},
    )
