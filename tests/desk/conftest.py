"""Fixtures for the desk: a real station (``serve --demo`` with the desk) and Chromium.

The browser tests drive the Flet web client served by the station itself at ``/desk``
(see /work/shared/TESTING.md for the facts about Flet's web client in headless Chromium).
Screenshots go to ``$TAICHO_UI_SHOTS`` or ``artefacts/desk/`` (git-ignored).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync_server.launcher import ROOT, RunningStation, start_station
from sync_server.services.admin import demo
from tests.browser_kit import CHROMIUM, CHROMIUM_ARGS, INTAKE


def headless(data: Path, *args: str, unlock: bool = True) -> dict[str, Any]:
    """``python -m mobile.headless`` as a script would run it; fails the test on an error."""
    cmd = [sys.executable, "-m", "mobile.headless", "--data", str(data)]
    if unlock:
        cmd += ["--user", INTAKE[0], "--pin", INTAKE[1]]
    out = subprocess.run(
        [*cmd, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStation]:
    st = start_station(tmp_path_factory.mktemp("desk-station") / "data")
    try:
        yield st
    finally:
        st.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    base = Path(os.environ.get("TAICHO_UI_SHOTS", ROOT / "artefacts" / "desk"))
    folder = base / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
def page(browser: Any, station: RunningStation) -> Iterator[Any]:
    """A fresh context on an office-PC viewport with the desk open; other hosts aborted."""
    from tests.ui.flet_driver import open_app

    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    pg = ctx.new_page()
    try:
        open_app(pg, f"{station.url}/")
        yield pg
    finally:
        ctx.close()


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Any]:
    """The desk's backend over a demo station in process (a module may override it)."""
    from sync_server.app import create_app

    app = create_app(tmp_path / "station", desk=True)
    with TestClient(app, raise_server_exceptions=False):
        with app.state.station.session() as db:
            demo.seed(db)
        yield app.state.desk


def run(coro: Any) -> Any:
    """Await one of DeskState's coroutines from a plain test."""
    return asyncio.run(coro)
