"""The station's FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response

from sync_server.api import auth, docs_assets, dossiers, health, problems, sync
from sync_server.config import VERSION
from sync_server.services.station import open_station


def create_app(data_dir: Path, *, desk: bool = False) -> FastAPI:
    """Open (initialising on first start) the data dir and wire the routes.

    ``desk=True`` (what ``serve`` uses) also mounts the staff's web app at ``/desk``;
    API tests leave it off and stay free of Flet.
    """
    station = open_station(Path(data_dir))
    backend = None
    if desk:
        from sync_server.desk.backend import DeskBackend

        backend = DeskBackend(station)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # A mounted sub-app's lifespan is not run: start Flet's session manager here.
        if backend is None:
            yield
            return
        from flet_web.fastapi import app_manager

        await app_manager.start()
        try:
            yield
        finally:
            await app_manager.shutdown()

    app = FastAPI(
        title="Tại Chỗ — office sync station",
        version=VERSION,
        description="Sync, workflow and result documents for a commune one-stop shop.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.station = station
    app.state.desk = backend
    problems.install(app)
    for module in (health, auth, dossiers, sync):
        app.include_router(module.router)
    docs_assets.install(app)
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

    @app.get("/desk-files/result/{ticket}", include_in_schema=False)
    def desk_result(ticket: str) -> Response:
        """The result PDF behind a short-lived link the desk handed to a signed-in person."""
        hit = backend.result_pdf(ticket)
        if hit is None:
            return Response("Liên kết đã hết hạn.", status_code=404, media_type="text/plain")
        code, pdf = hit
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{code}.pdf"'},
        )

    app.mount(MOUNT, desk_asgi(backend))
