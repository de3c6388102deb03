"""The one place where errors become HTTP problem responses.

Domain code raises :class:`shared.errors.TaiChoError`; FastAPI's own validation errors and
anything unexpected are mapped to catalogue codes too, so every error a client sees has
the same JSON shape: ``{"code", "field", "message", "message_en"[, "details"][, "params"]}``.

An unexpected error answers ``INTERNAL`` with a short error id and nothing else; the
traceback goes, under that id, to a rotating log file in the data dir
(``DIR/logs/station-errors.log``), so an office can read the id off a screen and an
administrator can find the cause. A full disk (SQLite ``SQLITE_FULL`` or ``ENOSPC``)
answers ``DISK_FULL`` instead: the office must act, and nothing was saved.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared import messages as m
from shared.errors import TaiChoError, problem
from storekit import is_disk_full

PROBLEM_MEDIA_TYPE = "application/problem+json"
ERROR_LOG_NAME = "station-errors.log"
_LOG_MAX_BYTES = 1_000_000
_LOG_BACKUPS = 5
_log = logging.getLogger("sync_server")


def file_answer(media: str, what: str) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses`` for a file answer: the OpenAPI document then names its real
    media type (schemathesis checks every answer's Content-Type against it)."""
    return {200: {"description": what, "content": {media: {}}}}


def problem_response(err: TaiChoError) -> JSONResponse:
    """The one place a catalogued error becomes an HTTP answer: the declared
    ``shared.messages.Problem`` (the tablet decodes the same type), with the message's
    parameters so a client can say it again in its own language."""
    if err.code == "INTERNAL":
        # Only the error id leaves the station; any detail stays in the log.
        params = {"error_id": err.ctx["error_id"]} if "error_id" in err.ctx else None
    else:
        params = {k: v for k, v in err.ctx.items() if isinstance(v, (str, int, float))} or None
    # DEVICE_REVOKED: the tablet must erase its local data on this answer.
    answer = replace(
        m.Problem.of(err), params=params, wipe=True if err.code == "DEVICE_REVOKED" else None
    )
    body = answer.to_dict()
    # Also here: a 500 is sent by Starlette's outermost error middleware, past NoSniff.
    headers = {"X-Content-Type-Options": "nosniff"}
    if err.code == "RATE_LIMITED" and isinstance(err.ctx.get("wait"), int):
        headers["Retry-After"] = str(err.ctx["wait"])
    return JSONResponse(
        body, status_code=err.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _validation_field(exc: RequestValidationError) -> tuple[str | None, str, str]:
    """The first wrong field, why (pydantic's English) and a Vietnamese line naming it."""
    errors = exc.errors()
    if not errors:
        return None, "request", "yêu cầu"
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(loc) or None
    if first.get("type") == "json_invalid":
        return None, "invalid JSON", "nội dung không phải JSON hợp lệ"
    kind = str(first.get("type", ""))
    why = "còn thiếu" if kind == "missing" else "sai kiểu hoặc sai giá trị"
    return (
        field,
        f"{field or 'body'}: {first.get('msg', 'invalid')}",
        f"{field or 'nội dung'}: {why}",
    )


def write_error_log(log_dir: Path, error_id: str, request: Request, exc: BaseException) -> None:
    """Append one error with its traceback to the rotating log file (opened per error:
    errors are rare, and no handle stays open between them)."""
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            log_dir / ERROR_LOG_NAME,
            maxBytes=_LOG_MAX_BYTES,
            backupCount=_LOG_BACKUPS,
            encoding="utf-8",
        )
    except OSError:
        _log.exception("cannot open the error log in %s", log_dir)
        return
    try:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        record = _log.makeRecord(
            _log.name,
            logging.ERROR,
            __file__,
            0,
            "error %s on %s %s",
            (error_id, request.method, request.url.path),
            (type(exc), exc, exc.__traceback__),
        )
        handler.handle(record)
    finally:
        handler.close()


def _error_id() -> str:
    return secrets.token_hex(4)


async def _on_taicho(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TaiChoError)
    if exc.status >= 500:
        _log.error("station error %s", exc)
    return problem_response(exc)


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    field, detail, detail_vi = _validation_field(exc)
    return problem_response(problem("REQUEST_INVALID", field, detail=detail, detail_vi=detail_vi))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    error_id = _error_id()
    _log.error("error %s: %s", error_id, type(exc).__name__, exc_info=exc)
    log_dir: Path | None = getattr(request.app.state, "log_dir", None)
    if log_dir is not None:
        write_error_log(log_dir, error_id, request, exc)
    if is_disk_full(exc):
        return problem_response(problem("DISK_FULL", None, error_id=error_id))
    return problem_response(problem("INTERNAL", None, error_id=error_id))


def install(app: FastAPI, log_dir: Path | None = None) -> None:
    app.state.log_dir = log_dir
    app.add_exception_handler(TaiChoError, _on_taicho)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(Exception, _on_unexpected)
