"""Fixtures for station tests: a real data dir in tmp_path, the real app, demo staff."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

# Test modules here import the in-test tablet from station_kit.py beside this file; the test
# tree has no packages (a tests/sync_server package would shadow the real sync_server).
sys.path.insert(0, str(Path(__file__).parent))

from station_kit import PINS, Tablet, login

from sync_server.app import create_app
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.sync import enrollment


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "station"


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    app = create_app(data_dir)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def station(client: TestClient) -> Station:
    s: Station = client.app.state.station  # type: ignore[attr-defined]
    return s


@pytest.fixture
def demo_station(station: Station) -> Station:
    with station.session() as db:
        demo.seed(db)
    return station


@pytest.fixture
def enroll_code(demo_station: Station) -> str:
    with demo_station.session() as db:
        return enrollment.new_enroll_code(db)


@pytest.fixture
def tablet(client: TestClient, enroll_code: str) -> Tablet:
    t = Tablet(client)
    t.enroll(enroll_code)
    t.unlock()  # the station accepts dossiers received by staff who unlocked this tablet
    return t


@pytest.fixture
def as_user(client: TestClient, demo_station: Station) -> Any:
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            cache[username] = login(client, username, PINS[username])
        return cache[username]

    return headers
