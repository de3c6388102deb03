"""Report exports for leaders and admins: JSON, CSV (UTF-8 with BOM) and PDF.

``services.door.report`` checks ``report.read``; the reasons and comments (free text
that can name citizens) are only in the exports of staff with ``report.read_free_text``.
The JSON answer is the declared ``shared.views.ReportView``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from shared.views import ReportView
from sync_server.api.deps import DbDep, StaffDep, StationDep
from sync_server.api.problems import file_answer
from sync_server.services import door

router = APIRouter(prefix="/v1/reports", tags=["reports"])

FromQ = Annotated[str | None, Query(alias="from", description="YYYY-MM-DD, included")]
ToQ = Annotated[str | None, Query(alias="to", description="YYYY-MM-DD, included")]
ProcQ = Annotated[str | None, Query(description="national procedure code, e.g. 1.001193")]


@router.get("/summary")
def summary(
    station: StationDep,
    db: DbDep,
    who: StaffDep,
    start: FromQ = None,
    end: ToQ = None,
    procedure: ProcQ = None,
) -> dict[str, Any]:
    out = door.report(who, station, db, start, end, procedure, "json")
    assert isinstance(out, ReportView)
    return out.to_dict()


# format → its media type, the OpenAPI description, the route's name (as /openapi.json
# has named it).
FILE_ROUTES = (
    ("csv", "text/csv; charset=utf-8", "The report as CSV", "summary_csv"),
    ("pdf", "application/pdf", "The PDF", "summary_pdf"),
)


def _file_route(fmt: str, media: str, what: str, name: str) -> None:
    """``GET /v1/reports/summary.<fmt>``: the same report as a file to download."""

    def route(
        station: StationDep,
        db: DbDep,
        who: StaffDep,
        start: FromQ = None,
        end: ToQ = None,
        procedure: ProcQ = None,
    ) -> Response:
        body = door.report(who, station, db, start, end, procedure, fmt)
        assert isinstance(body, bytes)
        disposition = f'attachment; filename="bao-cao-{start}-{end}.{fmt}"'
        return Response(body, media_type=media, headers={"Content-Disposition": disposition})

    router.add_api_route(
        f"/summary.{fmt}",
        route,
        methods=["GET"],
        name=name,
        response_class=Response,
        responses=file_answer(media, what),
    )


for _fmt, _media, _what, _name in FILE_ROUTES:
    _file_route(_fmt, _media, _what, _name)
