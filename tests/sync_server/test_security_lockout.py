"""The PIN lockout holds under a parallel burst against a real uvicorn station.

Scenario (issue 11 §1): an attacker on the office network fires 40 wrong PINs at once at
``/v1/auth/token`` or ``/v1/sync/unlock``, and the right PIN arrives while the burst is in
flight. Before the fix, each request read the same failure count, so 135 wrong PINs were
checked before any lock and the right PIN got a token (or a tablet's data key). Now each
attempt is counted before its PIN is checked: the station's log must show exactly five
wrong PINs checked, and the right PIN, sent after the fifth was counted, must fail.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from station_kit import Tablet

from shared.policy import PIN_MAX_FAILURES
from sync_server.launcher import RunningStation, start_station

BURST = 40
# 401 AUTH_FAILED, or 429 RATE_LIMITED when a request waited too long for its account's
# turn (a loaded machine): either way no PIN of that request was checked in its favour.
BUSY_OR_REFUSED = {401, 429}


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningStation]:
    # One test client stands for many attackers: lift the per-client throttle (tested on
    # its own in test_station_auth.py) so the per-account lockout is what is measured.
    monkeypatch.setenv("TAICHO_AUTH_CLIENT_FAILURES", "100000")
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "0.02")
    running = start_station(tmp_path / "station")
    yield running
    running.stop()


def _staff_row(data: Path, username: str) -> tuple[int, str | None]:
    conn = sqlite3.connect(f"file:{data / 'station.db'}?mode=ro", uri=True, timeout=10)
    try:
        row = conn.execute(
            "SELECT failed_count, locked_until FROM staff WHERE username = ?", (username,)
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), row[1]


def _wait_until_locked(data: Path, username: str) -> None:
    for _ in range(600):
        if _staff_row(data, username)[1] is not None:
            return
        time.sleep(0.05)
    raise AssertionError(f"{username} was never locked")


def _wrong_pins_checked(station: RunningStation, username: str) -> int:
    return station.log.read_text(errors="replace").count(f"wrong PIN checked for {username!r}")


def _burst(
    station: RunningStation, username: str, send: Callable[[str], httpx.Response], right_pin: str
) -> tuple[list[httpx.Response], httpx.Response]:
    with ThreadPoolExecutor(max_workers=BURST + 1) as pool:
        wrong = [pool.submit(send, f"{900000 + i}") for i in range(BURST)]
        _wait_until_locked(station.data, username)  # the fifth wrong PIN is counted
        right = pool.submit(send, right_pin)
        return [f.result() for f in wrong], right.result()


def test_token_burst_checks_at_most_five_wrong_pins(station: RunningStation) -> None:
    def send(pin: str) -> httpx.Response:
        return httpx.post(
            f"{station.url}/v1/auth/token",
            json={"username": "vanthu", "pin": pin},
            timeout=120,
        )

    wrong, right = _burst(station, "vanthu", send, "456789")
    assert {r.status_code for r in wrong} <= BUSY_OR_REFUSED
    assert right.status_code in BUSY_OR_REFUSED
    assert "access_token" not in right.text
    assert _wrong_pins_checked(station, "vanthu") == PIN_MAX_FAILURES
    assert _staff_row(station.data, "vanthu")[0] == PIN_MAX_FAILURES


def test_unlock_burst_checks_at_most_five_wrong_pins(station: RunningStation) -> None:
    with httpx.Client(base_url=station.url, timeout=120) as client:
        tablet = Tablet(client)  # type: ignore[arg-type]  # same calls as a TestClient
        tablet.enroll(station.enroll_code())

    def send(pin: str) -> httpx.Response:
        body = tablet.unlock_body("tiepnhan", pin)[0]
        return httpx.post(f"{station.url}/v1/sync/unlock", json=body, timeout=120)

    wrong, right = _burst(station, "tiepnhan", send, "123456")
    assert {r.status_code for r in wrong} <= BUSY_OR_REFUSED
    assert right.status_code in BUSY_OR_REFUSED and "envelope" not in right.json()  # no DK
    assert _wrong_pins_checked(station, "tiepnhan") == PIN_MAX_FAILURES
    # The lock is shared with the desk sign-in, and an admin can lift it.
    r = httpx.post(f"{station.url}/v1/auth/token", json={"username": "tiepnhan", "pin": "123456"})
    assert r.status_code == 401
    assert '"unlocked": true' in station.admin("staff-unlock", "--username", "tiepnhan")
    r = httpx.post(f"{station.url}/v1/auth/token", json={"username": "tiepnhan", "pin": "123456"})
    assert r.status_code == 200


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_eighty_parallel_unknown_logins_stay_within_bounded_memory(
    station: RunningStation,
) -> None:
    """Each scrypt check takes 32 MB; unbounded, 80 parallel logins reached 1.27 GB."""
    before = _peak_rss_kib(station.proc.pid)

    def send(i: int) -> httpx.Response:
        return httpx.post(
            f"{station.url}/v1/auth/token",
            json={"username": f"ghost{i}", "pin": "123456"},
            timeout=120,
        )

    with ThreadPoolExecutor(max_workers=80) as pool:
        answers = list(pool.map(send, range(80)))
    assert {r.status_code for r in answers} <= {401, 429}
    assert {r.json()["code"] for r in answers} <= {"AUTH_FAILED", "RATE_LIMITED"}
    growth_mib = (_peak_rss_kib(station.proc.pid) - before) / 1024
    assert growth_mib < 200, f"peak memory grew by {growth_mib:.0f} MiB"
    # A real sign-in still works once the burst is over.
    r = httpx.post(f"{station.url}/v1/auth/token", json={"username": "lanhdao", "pin": "345678"})
    assert r.status_code == 200
