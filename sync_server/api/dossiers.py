"""Dossier queues, detail, workflow actions and the result PDF (bearer-authenticated).

Every route here reads citizen data, so each admits only the workflow roles
(``CaseworkerDep``): the administrator manages staff, tablets and settings, not dossiers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from sync_server.api.deps import CaseworkerDep, DbDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.services import actions, stamping
from sync_server.services import dossiers as service

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])


class ActionRequest(BaseModel):
    action: str = Field(max_length=64)
    reason: str | None = Field(default=None, max_length=2000)
    # Only with "return": very_satisfied | satisfied | unsatisfied, and an optional comment.
    rating: str | None = Field(default=None, max_length=32)
    comment: str | None = Field(default=None, max_length=1000)


@router.get("")
def list_dossiers(
    station: StationDep, db: DbDep, who: CaseworkerDep, status: str | None = None
) -> dict[str, Any]:
    items = service.list_view(db, station.keys, station.catalogue, who.role, status)
    return {"items": items}


@router.get("/{dossier_id}")
def get_dossier(
    dossier_id: str, station: StationDep, db: DbDep, who: CaseworkerDep
) -> dict[str, Any]:
    d = service.load(db, station.keys, dossier_id)
    return service.detail(d, station.catalogue, who.role)


@router.post("/{dossier_id}/actions")
def act(
    dossier_id: str, body: ActionRequest, station: StationDep, db: DbDep, who: CaseworkerDep
) -> dict[str, Any]:
    return actions.apply_action(
        db,
        station.keys,
        station.catalogue,
        who,
        dossier_id,
        body.action,
        body.reason,
        rating=body.rating,
        comment=body.comment,
    )


class PersonalIdRequest(BaseModel):
    child_personal_id: str = Field(max_length=32)


@router.put("/{dossier_id}/child-personal-id")
def set_child_personal_id(
    dossier_id: str, body: PersonalIdRequest, station: StationDep, db: DbDep, who: CaseworkerDep
) -> dict[str, Any]:
    """The appraiser enters the child's số định danh cá nhân (before approval)."""
    return actions.record_personal_id(
        db, station.keys, station.catalogue, who, dossier_id, body.child_personal_id
    )


@router.get(
    "/{dossier_id}/result.pdf",
    response_class=Response,
    responses=file_answer("application/pdf", "The PDF"),
)
def result_pdf(dossier_id: str, station: StationDep, db: DbDep, who: CaseworkerDep) -> Response:
    d = service.load(db, station.keys, dossier_id)
    pdf = stamping.result_pdf(db, station.keys, d.id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{d.code}.pdf"'},
    )
