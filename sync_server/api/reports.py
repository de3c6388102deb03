"""Report exports for leaders and admins: JSON, CSV (UTF-8 with BOM) and PDF.

The admin's exports carry every figure but no reason or comment (they can name
citizens): ``services.reports.may_read_free_text``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from shared.reports import parse_period
from sync_server.api.deps import DbDep, StaffDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.services import reports as service

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
    service.require_report_role(who)
    period = parse_period(start, end)
    return service.render(
        db,
        station.keys,
        station.catalogue,
        period,
        procedure or None,
        fmt,
        free_text=service.may_read_free_text(who.role),
    )


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
