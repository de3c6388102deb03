"""Fixtures for the desk: a real station (``serve --demo`` with the desk) and Chromium.

The browser tests drive the Flet web client served by the station itself at ``/desk``
(see /work/shared/TESTING.md for the facts about Flet's web client in headless Chromium).
Screenshots go to ``$TAICHO_UI_SHOTS`` or ``artefacts/desk/`` (git-ignored).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.desk.backend import DeskBackend
from sync_server.desk.state import DeskState
from sync_server.launcher import ROOT, RunningStation, start_station
from sync_server.services.admin import demo
from sync_server.services.sync import enrollment
from tests.browser_kit import INTAKE, app_page, chromium, shots_folder

# The station's test kit (a tablet that speaks the sync protocol) lives beside its tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync_server"))
from station_kit import Tablet


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
    with chromium() as b:
        yield b


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    return shots_folder(ROOT / "artefacts" / "desk", request.node.name)


@pytest.fixture
def page(browser: Any, station: RunningStation) -> Iterator[Any]:
    """A fresh context on an office-PC viewport with the desk open; other hosts aborted."""
    with app_page(browser, f"{station.url}/", 1366, 900) as pg:
        yield pg


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The station app with the desk, in process, over a demo station."""
    app = create_app(tmp_path / "station", desk=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        with app.state.station.session() as db:
            demo.seed(db)
        yield c


@pytest.fixture
def backend(client: TestClient) -> DeskBackend:
    """The desk's backend of that app (a module may override it)."""
    b: DeskBackend = client.app.state.desk  # type: ignore[attr-defined]
    return b


def run(coro: Any) -> Any:
    """Await one of DeskState's coroutines from a plain test."""
    return asyncio.run(coro)


def signed_in(backend: DeskBackend, username: str, pin: str) -> DeskState:
    """A desk session signed in as a person, as the sign-in page does it."""
    s = DeskState(backend)
    assert run(s.login(username, pin)), s.field_errors
    return s


def enrolled_tablet(client: TestClient, backend: DeskBackend) -> Tablet:
    """A tablet of the station test kit, enrolled and unlocked (the station accepts only
    dossiers received by staff who unlocked a tablet)."""
    with backend.station.session() as db:
        code = enrollment.new_enroll_code(db)
    tablet = Tablet(client)
    tablet.enroll(code)
    tablet.unlock()
    return tablet


def texts_of(control: Any) -> list[str]:
    """Every ``ft.Text`` value inside a control tree: what the page would show."""
    import flet as ft

    out: list[str] = []
    if isinstance(control, ft.Text) and isinstance(control.value, str):
        out.append(control.value)
    for name in ("content", "controls"):
        child = getattr(control, name, None)
        for c in child if isinstance(child, list) else [child]:
            if isinstance(c, ft.Control):
                out += texts_of(c)
    return out
