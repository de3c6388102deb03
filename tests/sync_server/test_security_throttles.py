"""The per-address brakes hold under a parallel burst, and Retry-After tells the truth.

Scenario (issue 22 §3): from one address an attacker fires 20 wrong PINs at once, spread
over four accounts, or 40 wrong enrolment codes. Before the fix the brake checked the
count and recorded the failure in separate steps, so every request of the burst read
"under the limit": all 20 PINs were checked (four accounts locked) and all 40 codes. Now
each attempt is claimed before its check, atomically: at most ``auth_client_failures``
PINs (``enroll_client_failures`` codes) are checked per window, whatever the
concurrency, and a client that waits what Retry-After says gets through.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from station_kit import Tablet

from shared.errors import TaiChoError
from sync_server.launcher import RunningStation, start_station
from sync_server.services.core.guard import Throttle

ACCOUNTS = ("tiepnhan", "thamdinh", "lanhdao", "vanthu")
WINDOW = 8  # seconds: short, so the test can obey a Retry-After


class Clock:
    """A hand-moved clock for the throttle's arithmetic (no wall clock asserted)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _wait_of(fn: object) -> int:
    with pytest.raises(TaiChoError) as err:
        fn()  # type: ignore[operator]
    assert err.value.code == "RATE_LIMITED"
    return int(err.value.ctx["wait"])


def test_a_client_that_obeys_retry_after_gets_through() -> None:
    clock = Clock()
    t = Throttle(clock)
    for at in (0.0, 10.0, 20.0):  # three failures, claimed one by one
        clock.now = 1000.0 + at
        t.claim("a", 3, 60)
        t.settle("a", failed=True)
    clock.now = 1025.0
    wait = _wait_of(lambda: t.claim("a", 3, 60))
    assert wait == 35  # when the oldest leaves the window, a fourth attempt fits
    clock.now += wait - 1
    assert _wait_of(lambda: t.claim("a", 3, 60)) == 1
    clock.now += 1
    t.claim("a", 3, 60)  # obeyed: through


def test_the_wait_counts_from_the_failure_that_reached_the_limit() -> None:
    """More failures than the limit (recorded without a claim): the wait runs until
    enough of them left the window, not until the oldest did."""
    clock = Clock()
    t = Throttle(clock)
    for at in (0.0, 5.0, 10.0, 15.0, 20.0):
        clock.now = 1000.0 + at
        t.fail("a")
    clock.now = 1021.0
    wait = _wait_of(lambda: t.check("a", 3, 60))
    assert wait == 49  # 1010 + 60 − 1021: then two failures remain in the window
    clock.now += wait
    t.check("a", 3, 60)


def test_a_successful_attempt_gives_its_place_back() -> None:
    t = Throttle(Clock())
    for _ in range(10):
        t.claim("a", 3, 60)
        t.settle("a", failed=False)
    assert t.failures("a", 60) == 0
    for _ in range(3):  # three in flight at once: a fourth waits for one of them
        t.claim("a", 3, 60)
    assert _wait_of(lambda: t.claim("a", 3, 60)) == 1
    t.settle("a", failed=False)
    t.claim("a", 3, 60)
    t.claim("b", 3, 60)  # another client is not concerned


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningStation]:
    monkeypatch.setenv("TAICHO_AUTH_CLIENT_WINDOW_SECONDS", str(WINDOW))
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "0.02")
    running = start_station(tmp_path / "station")
    yield running
    running.stop()


def _locked_accounts(data: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{data / 'station.db'}?mode=ro", uri=True, timeout=10)
    try:
        rows = conn.execute("SELECT username FROM staff WHERE locked_until IS NOT NULL")
        return [r[0] for r in rows]
    finally:
        conn.close()


@pytest.mark.integration
def test_a_parallel_burst_from_one_address_checks_at_most_three_pins(
    station: RunningStation,
) -> None:
    def guess(i: int) -> httpx.Response:
        body = {"username": ACCOUNTS[i % len(ACCOUNTS)], "pin": f"{900001 + i}"}
        return httpx.post(f"{station.url}/v1/auth/token", json=body, timeout=120)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(guess, range(20)))
    codes = Counter(r.json()["code"] for r in answers)
    log = station.log.read_text(errors="replace")
    assert log.count("wrong PIN checked") <= 3, codes
    assert codes["AUTH_FAILED"] <= 3 and codes["RATE_LIMITED"] >= 17, codes
    assert _locked_accounts(station.data) == []
    refused = [r for r in answers if r.status_code == 429]
    assert all(int(r.headers["Retry-After"]) == r.json()["params"]["wait"] for r in refused)

    # Obeying Retry-After is enough: the right PIN of another account then gets in.
    late = guess(0)
    assert late.status_code == 429
    time.sleep(int(late.headers["Retry-After"]))
    r = httpx.post(
        f"{station.url}/v1/auth/token", json={"username": "quantri", "pin": "567890"}, timeout=60
    )
    assert r.status_code == 200, r.text


@pytest.mark.integration
def test_a_parallel_burst_of_enrolment_codes_checks_at_most_five(
    station: RunningStation,
) -> None:
    with httpx.Client(base_url=station.url, timeout=120) as client:
        bodies = [Tablet(client).enroll_body(f"SAI{i:05d}") for i in range(40)]  # type: ignore[arg-type]

    def guess(body: dict[str, object]) -> httpx.Response:
        return httpx.post(f"{station.url}/v1/sync/enroll", json=body, timeout=120)

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(guess, bodies))
    codes = Counter(r.json()["code"] for r in answers)
    assert set(codes) <= {"ENROLL_CODE_INVALID", "RATE_LIMITED"}, codes
    assert codes["ENROLL_CODE_INVALID"] <= 5 and codes["RATE_LIMITED"] >= 35, codes
