"""Document in /openapi.json the problem answers every operation can give.

Errors are raised as catalogued problems anywhere below a route and turned into
``application/problem+json`` in one place (``api.problems``), so any operation can answer
the client-error statuses of the catalogue (bad request, sign-in, role, not found,
conflict, body too large, invalid, locked, rate limited) and the two "not now" ones
(503 no signer, 507 disk full). Listing them on every operation keeps the schema true, so
a client generator — and the schemathesis run in the tests — knows every status it may
meet; a 500 stays undocumented: it is a bug.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from shared import messages as m
from shared.errors import CATALOGUE
from sync_server.api.problems import PROBLEM_MEDIA_TYPE

NOT_NOW = (503, 507)
METHODS = frozenset({"get", "post", "put", "patch", "delete"})


def problem_statuses() -> list[int]:
    return sorted({e.status for e in CATALOGUE.values() if 400 <= e.status < 500} | set(NOT_NOW))


def install(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the built schema lists the problem answers once, cached."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        media = {"schema": m.json_schema(m.Problem)}
        problem: dict[str, Any] = {
            "description": "A catalogued problem (docs/errors.md)",
            "content": {PROBLEM_MEDIA_TYPE: media},
        }
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                if method not in METHODS:
                    continue
                answers = operation.setdefault("responses", {})
                for status in problem_statuses():
                    answer = answers.setdefault(str(status), problem)
                    if status == 422:
                        # FastAPI documents its own 422 (a body that fails the model) as
                        # JSON; a catalogued 422 raised below the route (RESULT_PDF_INVALID,
                        # …) is a problem: both media types are listed.
                        answer.setdefault("content", {}).setdefault(PROBLEM_MEDIA_TYPE, media)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
