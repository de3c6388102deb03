"""Parallel approvals and stamps on a freshly started real station all succeed.

Scenario (issue 22 §1): the leader's desk and the clerk's desk act on many dossiers at
once right after the station started. The signature appearances are drawn from glyph
outlines of the documents' font; before the fix one fontTools ``TTFont`` was shared by
every request thread and decompiled lazily, so 4–5 of 12 parallel approvals answered
500 (``KeyError 'uni0309'``, ``'Glyph' object has no attribute 'flags'``). The station is
restarted before each burst so that every cache is cold, as on a fresh start.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from station_kit import PINS, Tablet

from sync_server.launcher import RunningStation, start_station

PARALLEL = 12


def _token(url: str, username: str) -> str:
    r = httpx.post(f"{url}/v1/auth/token", json={"username": username, "pin": PINS[username]})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def _burst(url: str, username: str, action: str, ids: list[str]) -> Counter[int]:
    headers = {"Authorization": f"Bearer {_token(url, username)}"}

    def act(did: str) -> int:
        r = httpx.post(
            f"{url}/v1/dossiers/{did}/actions",
            json={"action": action},
            headers=headers,
            timeout=240,
        )
        return r.status_code

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        return Counter(pool.map(act, ids))


def _restart(station: RunningStation) -> RunningStation:
    station.stop()
    return start_station(station.data)


@pytest.mark.integration
def test_parallel_approvals_and_stamps_on_a_fresh_station(tmp_path: Path) -> None:
    station = start_station(tmp_path / "station")
    try:
        with httpx.Client(base_url=station.url, timeout=120) as client:
            tablet = Tablet(client)  # type: ignore[arg-type]  # same calls as a TestClient
            tablet.enroll(station.enroll_code())
            tablet.unlock()
            dossiers = [tablet.dossier() for _ in range(PARALLEL)]
            r = tablet.push([tablet.change(d) for d in dossiers])
            assert r.status_code == 200, r.text
        ids = [d["id"] for d in dossiers]
        assert _burst(station.url, "thamdinh", "accept", ids) == {200: PARALLEL}

        station = _restart(station)  # cold caches: nothing drawn yet in this process
        approved = _burst(station.url, "lanhdao", "approve", ids)
        # A failed approval saved nothing; approve it again, one at a time, so every
        # stamp has its turn.
        for did in ids:
            assert _burst(station.url, "lanhdao", "approve", [did]).keys() <= {200, 409}

        station = _restart(station)
        stamped = _burst(station.url, "vanthu", "stamp", ids)
        assert (approved, stamped) == ({200: PARALLEL}, {200: PARALLEL})
        assert "Traceback" not in station.log.read_text(errors="replace")
    finally:
        station.stop()
