"""Report exports for leaders and admins: JSON, CSV (UTF-8 with BOM) and PDF.

``services.door.report`` checks ``report.read``; the reasons and comments (free text
that can name citizens) are only in the exports of staff with ``report.read_free_text``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from sync_server.api.deps import DbDep, StaffDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.services import door

router = APIRouter(prefix="/v1/reports", tags=["reports"])

FromQ = Annotated[str | None, Query(alias="from", description="YYYY-MM-DD, included")]
ToQ = Annotated[str | None, Query(alias="to", description="YYYY-MM-DD, included")]
ProcQ = Annotated[str | None, Query(description="national procedure code, e.g. 1.001193")]


def _export(
    station: StationDep,
    db: DbDep,
    who: StaffDep,
    start: str | None,
    end: str | None,
    procedure: str | None,
    fmt: str,
) -> bytes | dict[str, Any]:
    return door.report(who, station, db, start, end, procedure, fmt)


@router.get("/summary")
def summary(
    station: StationDep,
    db: DbDep,
    who: StaffDep,
    start: FromQ = None,
    end: ToQ = None,
    procedure: ProcQ = None,
) -> dict[str, Any]:
    out = _export(station, db, who, start, end, procedure, "json")
    assert isinstance(out, dict)
    return out


def _file(body: bytes | dict[str, Any], media: str, name: str) -> Response:
    assert isinstance(body, bytes)
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/summary.csv",
    response_class=Response,
    responses=file_answer("text/csv; charset=utf-8", "The report as CSV"),
)
def summary_csv(
    station: StationDep,
    db: DbDep,
    who: StaffDep,
    start: FromQ = None,
    end: ToQ = None,
    procedure: ProcQ = None,
) -> Response:
    body = _export(station, db, who, start, end, procedure, "csv")
    return _file(body, "text/csv; charset=utf-8", f"bao-cao-{start}-{end}.csv")


@router.get(
    "/summary.pdf", response_class=Response, responses=file_answer("application/pdf", "The PDF")
)
def summary_pdf(
    station: StationDep,
    db: DbDep,
    who: StaffDep,
    start: FromQ = None,
    end: ToQ = None,
    procedure: ProcQ = None,
) -> Response:
    body = _export(station, db, who, start, end, procedure, "pdf")
    return _file(body, "application/pdf", f"bao-cao-{start}-{end}.pdf")
