"""A real office station: `python -m sync_server serve` under uvicorn on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync_server.launcher import RunningStation, start_station
from tests.browser_kit import record_child_number, sign_certificate


class Station(RunningStation):
    """The launcher's station plus the office staff's HTTP calls the tests need."""

    def token(self, username: str, pin: str) -> str:
        r = httpx.post(f"{self.url}/v1/auth/token", json={"username": username, "pin": pin})
        r.raise_for_status()
        return str(r.json()["access_token"])

    def act(
        self, dossier_id: str, action: str, who: tuple[str, str], reason: str | None = None
    ) -> httpx.Response:
        return httpx.post(
            f"{self.url}/v1/dossiers/{dossier_id}/actions",
            json={"action": action, "reason": reason},
            headers={"Authorization": f"Bearer {self.token(*who)}"},
            timeout=60,
        )

    def record_child_number(self, dossier_id: str, who: tuple[str, str] | None = None) -> None:
        """The appraiser's step before a khai sinh is approved: the số định danh cá nhân
        issued at registration, which the Giấy khai sinh prints (docs/legal.md). Any other
        procedure has none to record."""
        auth = {"Authorization": f"Bearer {self.token(*(who or APPRAISER))}"}
        with httpx.Client(base_url=self.url, timeout=60) as http:
            record_child_number(http, dossier_id, auth)

    def sign_certificate(self, dossier_id: str, who: tuple[str, str] | None = None) -> None:
        """Both spouses sign an approved Giấy chứng nhận kết hôn before the seal (here: on
        the printed copy; docs/legal.md). Any other procedure has nothing to sign."""
        auth = {"Authorization": f"Bearer {self.token(*(who or CLERK))}"}
        with httpx.Client(base_url=self.url, timeout=60) as http:
            sign_certificate(http, dossier_id, auth)

    def dossiers(self, who: tuple[str, str], status: str | None = None) -> list[dict[str, Any]]:
        r = httpx.get(
            f"{self.url}/v1/dossiers",
            params={"status": status} if status else None,
            headers={"Authorization": f"Bearer {self.token(*who)}"},
        )
        r.raise_for_status()
        return list(r.json()["items"])


INTAKE = ("tiepnhan", "123456")
APPRAISER = ("thamdinh", "234567")
LEADER = ("lanhdao", "345678")
CLERK = ("vanthu", "456789")


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    running = start_station(tmp_path / "station")
    st = Station(running.url, running.data, running.proc, running.log)
    yield st
    st.stop()


@pytest.fixture(scope="module")
def module_station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    """One station for a whole module, for tests that neither stop it nor need it empty."""
    running = start_station(tmp_path_factory.mktemp("module") / "station")
    st = Station(running.url, running.data, running.proc, running.log)
    yield st
    st.stop()
