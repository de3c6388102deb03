"""Public verification of issued results (no login): an HTML page for phones scanning the
QR code, and the same answer as JSON. Neither names the citizen; both are braked per
client address (``limits().verify_client_lookups`` per window, ``RATE_LIMITED`` beyond)."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from shared import messages as m
from shared.day_text import day_text
from shared.views import Verification
from sync_server.api.deps import DbDep, StationDep, VerifyGuard
from sync_server.services.office import verify as service

router = APIRouter(tags=["verify"])

_Sha = Query(default=None, max_length=128, description="SHA-256 (hex) of the document")

_HEADLINE = {
    service.GENUINE: ("Văn bản hợp lệ", "Khớp với văn bản do cơ quan ban hành.", "#1b7f3b"),
    service.ISSUED: (
        "Văn bản đã được ban hành",
        "Có thể đối chiếu mã SHA-256 bên dưới.",
        "#1b5e9a",
    ),
    service.ALTERED: (
        "Văn bản KHÔNG khớp",
        "Văn bản này khác với văn bản đã ban hành: có thể đã bị sửa đổi.",
        "#b3261e",
    ),
    service.UNKNOWN: (
        "Không tìm thấy văn bản",
        "Không có kết quả nào đã ban hành với mã hồ sơ này.",
        "#b3261e",
    ),
}


@router.get(
    "/v1/verify/{code}",
    dependencies=[VerifyGuard],
    response_model=None,
    responses={
        200: {
            "description": "The verification answer",
            "content": {"application/json": {"schema": m.json_schema(Verification)}},
        }
    },
)
def verify_json(
    code: str, station: StationDep, db: DbDep, sha256: str | None = _Sha
) -> dict[str, Any]:
    return service.verify_code(db, station.keys, station.catalogue, code, sha256).to_dict()


def _page(answer: Verification) -> str:
    title, text, colour = _HEADLINE[answer.status]
    e = html.escape
    rows = []
    if answer.status != service.UNKNOWN:
        signers = "<br>".join(
            e(" – ".join(x for x in (s.name, s.title) if x)) for s in answer.signers or []
        )
        for label, value in (
            ("Văn bản", e(answer.document or "")),
            ("Số / Quyển số", e(f"{answer.register_number} / {answer.register_book}")),
            ("Cơ quan ban hành", e(answer.issuer or "")),
            ("Ngày ban hành", e(day_text(answer.issued_at or ""))),
            ("Người ký", signers),
            ("SHA-256 của tệp", f"<code>{e(answer.file_sha256 or '')}</code>"),
        ):
            rows.append(f"<tr><th>{label}</th><td>{value}</td></tr>")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Xác thực văn bản – {e(answer.code)}</title>
<style>body{{font-family:sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem}}
h1{{color:{colour}}}th{{text-align:left;padding-right:1rem;vertical-align:top}}
code{{word-break:break-all}}</style></head>
<body><h1>{e(title)}</h1><p>{e(text)}</p>
<p>Mã hồ sơ: <strong>{e(answer.code)}</strong></p>
<table>{"".join(rows)}</table></body></html>
"""


@router.get(
    "/verify/{code}",
    response_class=HTMLResponse,
    dependencies=[VerifyGuard],
    responses={
        404: {
            "description": "No such document: the same page, saying so",
            "content": {"text/html": {}},
        }
    },
)
def verify_page(
    code: str, station: StationDep, db: DbDep, sha256: str | None = _Sha
) -> HTMLResponse:
    answer = service.verify_code(db, station.keys, station.catalogue, code, sha256)
    status = 404 if answer.status == service.UNKNOWN else 200
    return HTMLResponse(_page(answer), status_code=status)
