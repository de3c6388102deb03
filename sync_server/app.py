"""The station's FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import workdays
from shared.errors import problem
from sync_server.api import (
    attachments,
    auth,
    declaration,
    docs_assets,
    dossiers,
    health,
    openapi_problems,
    paperwork,
    problems,
    reports,
    sync,
    verify,
)
from sync_server.config import VERSION, limits
from sync_server.services.core.guard import Guards
from sync_server.services.opening import open_station
from sync_server.store.db import Pool


class BodyLimit:
    """Refuse request bodies over ``limits().max_body_bytes`` with a 413 problem.

    The body is read chunk by chunk and at most the limit is ever held: a declared
    ``Content-Length`` over the limit is refused before reading anything, and a chunked
    body is cut off as soon as it passes the limit. A body within the limit is handed on
    unchanged, so no route parses a 200 MB push.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = limits().max_body_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
            await self._refuse(scope, receive, send, max_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                await self._refuse(scope, receive, send, max_bytes)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
        err = problem("BODY_TOO_LARGE", None, max_mb=max(1, max_bytes // (1024 * 1024)))
        response = problems.problem_response(err)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


class NoSniff:
    """``X-Content-Type-Options: nosniff`` on every response (API, desk, files): a browser
    never reads a photo, a report or an error as anything but its declared type."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"x-content-type-options"
                ]
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_header)


def create_app(data_dir: Path, *, desk: bool = False) -> FastAPI:
    """Open (initialising on first start) the data dir and wire the routes.

    ``desk=True`` (what ``serve`` uses) also mounts the staff's web app at ``/desk``;
    API tests leave it off and stay free of Flet.
    """
    limits()  # a malformed TAICHO_* override fails here, at start, not on a request
    workdays.preload(workdays.vn_now().date())  # not on the first request (shared/workdays)
    station = open_station(Path(data_dir))
    guards = Guards()  # the API and the desk share them: one budget per address
    backend = None
    if desk:
        from sync_server.desk.backend import DeskBackend

        backend = DeskBackend(station, guards)

    pool = Pool(station.paths.db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # A mounted sub-app's lifespan is not run: start Flet's session manager here.
        if backend is None:
            try:
                yield
            finally:
                pool.close()
            return
        from flet_web.fastapi import app_manager

        await app_manager.start()
        try:
            yield
        finally:
            await app_manager.shutdown()
            pool.close()

    app = FastAPI(
        title="Tại Chỗ — office sync station",
        version=VERSION,
        description="Sync, workflow and result documents for a commune one-stop shop.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.station = station
    app.state.pool = pool
    app.state.desk = backend
    app.state.guards = guards
    problems.install(app, station.paths.logs)
    for module in (
        health,
        auth,
        dossiers,
        sync,
        attachments,
        paperwork,
        declaration,
        verify,
        reports,
    ):
        app.include_router(module.router)
    app.add_middleware(BodyLimit)
    app.add_middleware(NoSniff)  # outermost: also on BodyLimit's own 413
    docs_assets.install(app)
    openapi_problems.install(app)
    _mount_desk(app, backend)
    return app


def _mount_desk(app: FastAPI, backend: object | None) -> None:
    """``/`` leads to the desk (or to the API docs when the desk is off)."""
    if backend is None:

        @app.get("/", include_in_schema=False)
        def root_docs() -> RedirectResponse:
            return RedirectResponse("/docs")

        return
    from sync_server.desk.app import MOUNT, desk_asgi
    from sync_server.desk.backend import DeskBackend

    assert isinstance(backend, DeskBackend)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"{MOUNT}/")

    def _pdf(hit: tuple[str, bytes] | None) -> Response:
        """A PDF behind a short-lived desk link, shown in the browser; 404 once expired."""
        if hit is None:
            return Response("Liên kết đã hết hạn.", status_code=404, media_type="text/plain")
        name, pdf = hit
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"'},
        )

    @app.get("/desk-files/result/{ticket}", include_in_schema=False)
    def desk_result(ticket: str) -> Response:
        """The result PDF behind a short-lived link the desk handed to a signed-in person."""
        hit = backend.result_pdf(ticket)
        return _pdf(None if hit is None else (f"{hit[0]}.pdf", hit[1]))

    @app.get("/desk-files/paper/{ticket}", include_in_schema=False)
    def desk_paper(ticket: str) -> Response:
        """A paper of a dossier (receipt, declaration, …) behind a short-lived desk link."""
        return _pdf(backend.paper_file(ticket))

    @app.get("/desk-files/photo/{ticket}", include_in_schema=False)
    def desk_photo(ticket: str) -> Response:
        """A photo of a document behind a short-lived link from the desk's dossier page."""
        hit = backend.photo_file(ticket)
        if hit is None:
            return Response("Liên kết đã hết hạn.", status_code=404, media_type="text/plain")
        media, data = hit
        return Response(data, media_type=media, headers={"Cache-Control": "private, no-store"})

    @app.get("/desk-files/report/{ticket}", include_in_schema=False)
    def desk_report(ticket: str) -> Response:
        """A report export (CSV or PDF) behind a short-lived link from the desk."""
        hit = backend.report_file(ticket)
        if hit is None:
            return Response("Liên kết đã hết hạn.", status_code=404, media_type="text/plain")
        name, media, body = hit
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    app.mount(MOUNT, desk_asgi(backend))
