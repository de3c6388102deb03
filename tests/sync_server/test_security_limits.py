"""Resource limits and abuse brakes, each named for the attack it stops (issue 11 §4, §5)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.workdays import vn_now
from sync_server.api.problems import ERROR_LOG_NAME
from sync_server.config import Limits
from sync_server.launcher import start_station
from sync_server.services.core.station import Station
from sync_server.services.sync import enrollment
from sync_server.store import db as store_db

MIB = 1024 * 1024


def test_declared_oversized_body_is_refused_before_reading(client: TestClient) -> None:
    r = client.post(
        "/v1/sync/push",
        content=b"{}",
        headers={"Content-Length": str(Limits().max_body_bytes + 1)},
    )
    assert r.status_code == 413 and r.json()["code"] == "BODY_TOO_LARGE"
    assert r.json()["params"]["max_mb"] == Limits().max_body_bytes // MIB
    assert r.headers["content-type"].startswith("application/problem+json")


def test_chunked_oversized_body_is_cut_off(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAICHO_MAX_BODY_BYTES", str(MIB))

    def chunks() -> Iterator[bytes]:
        yield b'{"device_id": "x", "changes": ["'
        for _ in range(3):
            yield b"A" * (512 * 1024)
        yield b'"]}'

    r = client.post("/v1/sync/push", content=chunks())
    assert r.status_code == 413 and r.json()["code"] == "BODY_TOO_LARGE"
    small = client.post("/v1/sync/push", json={"device_id": "x", "changes": []})
    assert small.status_code != 413  # bodies within the limit reach the route unchanged


def test_200_mb_push_to_a_real_station_is_refused_without_reading_it(tmp_path: Path) -> None:
    """Before the fix a 200 MB push was parsed in full (peak 709 MB)."""
    station = start_station(tmp_path / "st", demo=False)
    try:
        before = _peak_rss_kib(station.proc.pid)
        sent = 0

        def body() -> Iterator[bytes]:
            nonlocal sent
            yield b'{"device_id": "x", "changes": ["'
            for _ in range(200):
                sent += MIB
                yield b"A" * MIB
            yield b'"]}'

        status = None
        try:
            r = httpx.post(f"{station.url}/v1/sync/push", content=body(), timeout=120)
            status = r.status_code
        except httpx.HTTPError:
            pass  # the station may close the connection while the client is still sending
        assert status in (None, 413)
        growth = (_peak_rss_kib(station.proc.pid) - before) / 1024
        assert growth < 64, f"peak memory grew by {growth:.0f} MiB"
        assert httpx.get(f"{station.url}/v1/health").status_code == 200
    finally:
        station.stop()


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_disk_full_answers_its_own_problem(
    client: TestClient, tablet: Tablet, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    """SQLite's SQLITE_FULL (here: the file may not grow by one page) is not a generic 500."""
    real_connect = store_db.connect

    def full_disk(path: Path) -> Any:
        db = real_connect(path)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(store_db, "connect", full_disk)
    # The request connections kept open (store_db.Pool) predate the full disk: drop them.
    client.app.state.pool.close()  # type: ignore[attr-defined]
    changes = [tablet.change(tablet.dossier()) for _ in range(20)]
    r = tablet.push(changes)
    assert r.status_code == 507, r.text
    body = r.json()
    assert body["code"] == "DISK_FULL" and body["params"]["error_id"]
    assert "ổ đĩa" in body["message"] and "disk" in body["message_en"]
    log = (data_dir / "logs" / ERROR_LOG_NAME).read_text(encoding="utf-8")
    assert body["params"]["error_id"] in log and "full" in log


def test_sign_in_works_read_only_on_a_full_disk(
    client: TestClient, demo_station: Station, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    """Issue 22 §6: a full disk answered 507 to staff sign-in, so nobody could even look.
    Now the count and the session live in memory while the disk is full: staff sign in
    and read (a write still answers DISK_FULL: test_disk_full_answers_its_own_problem);
    the lockout still holds."""
    monkeypatch.setenv("TAICHO_AUTH_CLIENT_FAILURES", "1000")
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "0")
    real_connect = store_db.connect

    def full_disk(path: Path) -> Any:
        db = real_connect(path)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    filler = full_disk(data_dir / "station.db")  # the sessions table filled the disk
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for i in range(100_000):
            filler.execute(
                "INSERT INTO tokens (token_hash, username, created_at, expires_at) "
                "VALUES (?, 'lanhdao', '2026-01-01', '9999')",
                (f"{i:064d}",),
            )
    filler.conn.close()
    monkeypatch.setattr(store_db, "connect", full_disk)

    r = client.post("/v1/auth/token", json={"username": "thamdinh", "pin": "234567"})
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/v1/dossiers", headers=headers).status_code == 200
    assert client.get("/v1/dossiers", headers=headers).status_code == 200  # still valid
    codes = [
        client.post("/v1/auth/token", json={"username": "vanthu", "pin": "000001"}).status_code
        for _ in range(5)
    ]
    assert codes == [401] * 5
    r = client.post("/v1/auth/token", json={"username": "vanthu", "pin": "456789"})
    assert r.status_code == 401  # locked, in memory, after five wrong PINs


def test_internal_error_shows_an_id_and_logs_the_traceback(tmp_path: Path) -> None:
    from sync_server.app import create_app

    app = create_app(tmp_path / "st")

    def boom() -> None:
        raise RuntimeError("secret path /etc/shadow")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/boom")
    assert r.status_code == 500 and r.json()["code"] == "INTERNAL"
    error_id = r.json()["params"]["error_id"]
    assert r.json()["params"] == {"error_id": error_id}
    assert f"mã lỗi {error_id}" in r.json()["message"]
    assert "shadow" not in r.text
    log = (tmp_path / "st" / "logs" / ERROR_LOG_NAME).read_text(encoding="utf-8")
    assert error_id in log and "RuntimeError: secret path /etc/shadow" in log
    assert "Traceback" in log


def _pushed_outcome(tablet: Tablet, received: datetime) -> dict[str, Any]:
    d = tablet.dossier(received_at=received.isoformat(timespec="seconds"))
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200, r.text
    return dict(r.json()["results"][0])


def test_backdated_receipt_beyond_the_window_is_refused(
    tablet: Tablet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAICHO_RECEIVED_AT_MAX_AGE_DAYS", "2")
    old = _pushed_outcome(tablet, vn_now() - timedelta(days=3))
    assert old["outcome"] == "rejected"
    assert old["problem"]["code"] == "RECEIVED_AT_IMPLAUSIBLE"
    assert old["problem"]["field"] == "received_at"
    recent = _pushed_outcome(tablet, vn_now() - timedelta(days=1))
    assert recent["outcome"] == "applied"
    future = _pushed_outcome(tablet, vn_now() + timedelta(hours=3))
    assert future["problem"]["code"] == "RECEIVED_AT_IMPLAUSIBLE"


def test_enrolment_codes_expire_after_fifteen_minutes(
    client: TestClient, demo_station: Station
) -> None:
    with demo_station.session() as db:
        code = enrollment.new_enroll_code(db)
        [row] = list(db.query("SELECT created_at, expires_at FROM enroll_codes"))
    ttl = datetime.fromisoformat(row["expires_at"]) - datetime.fromisoformat(row["created_at"])
    assert ttl == timedelta(minutes=15)
    with demo_station.session() as db:  # … sixteen minutes later
        db.execute("UPDATE enroll_codes SET expires_at = '2000-01-01T00:00:00+00:00'")
    r = client.post("/v1/sync/enroll", json=Tablet(client).enroll_body(code))
    assert r.status_code == 403 and r.json()["code"] == "ENROLL_CODE_INVALID"


def test_guessing_enrolment_codes_is_throttled_per_client(
    client: TestClient, enroll_code: str
) -> None:
    guesser = Tablet(client)
    codes = [
        client.post("/v1/sync/enroll", json=guesser.enroll_body(f"AAAA-BBBB-{i:04d}")).json()[
            "code"
        ]
        for i in range(7)
    ]
    assert codes == ["ENROLL_CODE_INVALID"] * 5 + ["RATE_LIMITED"] * 2
    r = client.post("/v1/sync/enroll", json=guesser.enroll_body(enroll_code))
    assert r.status_code == 429  # even the right code waits: the client is guessing
    other = TestClient(client.app, client=("192.0.2.9", 5000))
    assert Tablet(other).enroll(enroll_code)["slot"] == 1


def test_sqlite_full_error_code_is_what_we_match() -> None:
    """Guard against a Python/SQLite change: the error we map really carries SQLITE_FULL."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x BLOB)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as exc:
        conn.execute("INSERT INTO t VALUES (?)", (b"x" * 100_000,))
    assert exc.value.sqlite_errorcode == sqlite3.SQLITE_FULL
    conn.close()
