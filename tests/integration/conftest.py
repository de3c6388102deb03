"""A real office station: `python -m sync_server serve` under uvicorn on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync_server.launcher import RunningStation, start_station


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
        d = httpx.get(f"{self.url}/v1/dossiers/{dossier_id}", headers=auth, timeout=60).json()
        if d["procedure"] != "1.001193":
            return
        v = d["values"]
        digit = "3" if v["child_sex"] == "nu" else "2"
        number = f"087{digit}{v['child_birth_date'][2:4]}{int(dossier_id[:5], 16) % 10**6:06d}"
        r = httpx.put(
            f"{self.url}/v1/dossiers/{dossier_id}/child-personal-id",
            json={"child_personal_id": number},
            headers=auth,
            timeout=60,
        )
        r.raise_for_status()

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
