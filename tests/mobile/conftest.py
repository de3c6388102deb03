"""An in-process office station for tablet tests: the real FastAPI app, a real data dir,
real SQLite and crypto, reached through Starlette's TestClient (an ``httpx2.Client``) that
``TabletService(..., http=...)`` uses exactly like the network client. No uvicorn, no
ports: most sync scenarios run here; tests/integration keeps the real-server ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.model import Dossier
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.app import create_app
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.sync import enrollment
from tests.browser_kit import record_child_number

INTAKE = ("tiepnhan", "123456")
APPRAISER = ("thamdinh", "234567")
LEADER = ("lanhdao", "345678")
CLERK = ("vanthu", "456789")
URL = "http://testserver"
KHAI_SINH = "1.001193"


class InProcessStation:
    """The same calls as tests/integration's real station, served in this process."""

    url = URL

    def __init__(self, http: TestClient) -> None:
        self.http = http
        self.station: Station = http.app.state.station  # type: ignore[attr-defined]
        self._tokens: dict[tuple[str, str], str] = {}

    def enroll_code(self) -> str:
        with self.station.session() as db:
            return enrollment.new_enroll_code(db)

    def revoke(self, device_id: str) -> None:
        with self.station.session() as db:
            enrollment.revoke_device(db, self.station.keys, device_id)

    def token(self, username: str, pin: str) -> str:
        if (username, pin) not in self._tokens:
            r = self.http.post("/v1/auth/token", json={"username": username, "pin": pin})
            assert r.status_code == 200, r.text
            self._tokens[username, pin] = str(r.json()["access_token"])
        return self._tokens[username, pin]

    def received_khai_sinh(self, tablet: TabletService, seed: int) -> Dossier:
        """A complete khai sinh taken on ``tablet``, synced here, with the child's số định
        danh recorded by the appraiser: ready to be accepted, approved and stamped."""
        v = sample_values(KHAI_SINH, vn_now().date(), seed)
        d = tablet.intake(KHAI_SINH, v, components_received=every_component(KHAI_SINH, v))
        tablet.sync()
        auth = {"Authorization": f"Bearer {self.token(*APPRAISER)}"}
        record_child_number(self.http, d.id, auth)
        return d

    def act(
        self, dossier_id: str, action: str, who: tuple[str, str], reason: str | None = None
    ) -> Any:
        return self.http.post(
            f"/v1/dossiers/{dossier_id}/actions",
            json={"action": action, "reason": reason},
            headers={"Authorization": f"Bearer {self.token(*who)}"},
        )

    def dossiers(self, who: tuple[str, str], status: str | None = None) -> list[dict[str, Any]]:
        r = self.http.get(
            "/v1/dossiers",
            params={"status": status} if status else None,
            headers={"Authorization": f"Bearer {self.token(*who)}"},
        )
        assert r.status_code == 200, r.text
        return list(r.json()["items"])

    def tablet(self, folder: Path, *, enroll: bool = True) -> TabletService:
        tablet = TabletService(folder, http=self.http)
        if enroll:
            tablet.enrolment.enroll(self.url, self.enroll_code())
        return tablet


@pytest.fixture
def bare_station(tmp_path: Path) -> Iterator[InProcessStation]:
    """A station as first started: no unit, no staff."""
    app = create_app(tmp_path / "station")
    with TestClient(app, base_url=URL, raise_server_exceptions=False) as http:
        yield InProcessStation(http)


@pytest.fixture
def station(bare_station: InProcessStation) -> InProcessStation:
    """The demo station: unit and staff set up."""
    with bare_station.station.session() as db:
        demo.seed(db)
    return bare_station


@pytest.fixture
def tablet(station: InProcessStation, tmp_path: Path) -> Iterator[TabletService]:
    """An enrolled tablet on the demo station, unlocked by the intake officer."""
    t = station.tablet(tmp_path / "tablet")
    t.unlock(*INTAKE)
    yield t
    t.close()
