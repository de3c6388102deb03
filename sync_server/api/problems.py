"""The one place where errors become HTTP problem responses.

Domain code raises :class:`shared.errors.TaiChoError`; FastAPI's own validation errors and
anything unexpected are mapped to catalogue codes too, so every error a client sees has
the same JSON shape: ``{"code", "field", "message", "message_en"[, "details"][, "params"]}``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared.errors import TaiChoError, problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger("sync_server")


def problem_response(err: TaiChoError) -> JSONResponse:
    body: dict[str, Any] = err.to_problem()
    if err.ctx and err.code != "INTERNAL":
        # The message parameters, so a client can re-render the message in its own UI.
        body["params"] = {k: v for k, v in err.ctx.items() if isinstance(v, (str, int, float))}
    if err.code == "DEVICE_REVOKED":
        body["wipe"] = True  # the tablet must erase its local data on this answer
    return JSONResponse(body, status_code=err.status, media_type=PROBLEM_MEDIA_TYPE)


def _validation_field(exc: RequestValidationError) -> tuple[str | None, str]:
    errors = exc.errors()
    if not errors:
        return None, "request"
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(loc) or None
    if first.get("type") == "json_invalid":
        return None, "JSON không hợp lệ"
    return field, f"{field or 'body'}: {first.get('msg', 'invalid')}"


async def _on_taicho(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TaiChoError)
    if exc.status >= 500:
        _log.error("station error %s", exc)
    return problem_response(exc)


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    field, detail = _validation_field(exc)
    return problem_response(problem("REQUEST_INVALID", field, detail=detail))


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    _log.exception("unexpected error", exc_info=exc)
    return problem_response(problem("INTERNAL"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(TaiChoError, _on_taicho)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_unexpected)
