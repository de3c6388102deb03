"""The station's FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from sync_server.api import auth, dossiers, health, problems, reports, sync
from sync_server.config import VERSION
from sync_server.services.station import open_station


def create_app(data_dir: Path) -> FastAPI:
    """Open (initialising on first start) the data dir and wire the routes."""
    station = open_station(Path(data_dir))
    app = FastAPI(
        title="Tại Chỗ — office sync station",
        version=VERSION,
        description="Sync, workflow and result documents for a commune one-stop shop.",
    )
    app.state.station = station
    problems.install(app)
    for module in (health, auth, dossiers, sync, reports):
        app.include_router(module.router)
    return app
