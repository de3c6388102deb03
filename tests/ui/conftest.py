"""A real station, an enrolled tablet served as a web app, and headless Debian Chromium.

Everything runs as real subprocesses on 127.0.0.1 (see /work/shared/TESTING.md for the
facts about driving Flet's web client): the station with ``--demo`` staff, the tablet
app with ``python -m mobile --web``, and Chromium driven by Playwright.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync_server.launcher import free_port
from tests.browser_kit import app_page, chromium, record_child_number
from tests.tablet_kit import enrol_folder

ROOT = Path(__file__).resolve().parents[2]


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {timeout}s:\n{log.read_text()[-3000:]}")


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@dataclass
class Station:
    url: str
    data: Path

    def token(self, who: tuple[str, str]) -> str:
        r = httpx.post(
            f"{self.url}/v1/auth/token", json={"username": who[0], "pin": who[1]}, timeout=30
        )
        r.raise_for_status()
        return str(r.json()["access_token"])

    def record_child_number(self, dossier_id: str, who: tuple[str, str]) -> None:
        """The appraiser's step before a khai sinh is approved: the số định danh cá nhân
        issued at registration, which the Giấy khai sinh prints (docs/legal.md)."""
        auth = {"Authorization": f"Bearer {self.token(who)}"}
        with httpx.Client(base_url=self.url, timeout=60) as http:
            record_child_number(http, dossier_id, auth)

    def act(
        self, dossier_id: str, action: str, who: tuple[str, str], reason: str | None = None
    ) -> dict[str, Any]:
        r = httpx.post(
            f"{self.url}/v1/dossiers/{dossier_id}/actions",
            json={"action": action, "reason": reason},
            headers={"Authorization": f"Bearer {self.token(who)}"},
            timeout=60,
        )
        assert r.status_code < 300, r.text
        return dict(r.json())

    def enroll_code(self) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "sync_server", "admin", "--data", str(self.data), "enroll-code"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return out.stdout.splitlines()[0].strip()


@dataclass
class TabletApp:
    url: str
    data: Path


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    base = tmp_path_factory.mktemp("station")
    port = free_port()
    log = base / "station.log"
    proc = _start(
        [
            "-m",
            "sync_server",
            "serve",
            "--data",
            str(base / "data"),
            "--port",
            str(port),
            "--demo",
            "--http",
        ],
        log,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_http(f"{url}/v1/health", proc, log)
        yield Station(url, base / "data")
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def tablet_app(station: Station, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TabletApp]:
    base = tmp_path_factory.mktemp("tablet")
    data = enrol_folder(base / "data", station.url, station.enroll_code(), "ui-test-tablet")
    port = free_port()
    log = base / "app.log"
    proc = _start(["-m", "mobile", "--web", "--port", str(port), "--data", str(data)], log)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_http(url, proc, log)
        yield TabletApp(url, data)
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def shots(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    folder = Path(os.environ.get("TAICHO_UI_SHOTS", tmp_path / "shots")) / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def page(browser: Any, tablet_app: TabletApp) -> Iterator[Any]:
    """A fresh browser context on a tablet-sized viewport, non-local hosts aborted."""
    with app_page(browser, tablet_app.url, 1280, 800) as pg:
        yield pg
