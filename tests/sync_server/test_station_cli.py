"""The command line, run as other scripts run it: ``python -m sync_server …``."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from station_kit import admin_cli

from sync_server.app import create_app


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server", *args], capture_output=True, text=True, timeout=60
    )


def _staff_add(
    data: Path, username: str, role: str, pin: str, *more: str
) -> subprocess.CompletedProcess[str]:
    return admin_cli(data, "staff-add", "--username", username, "--role", role, "--pin", pin, *more)


def test_admin_initialises_and_adds_staff(tmp_path: Path) -> None:
    data = tmp_path / "st"
    r = _staff_add(
        data, "hoa", "clerk", "456701", "--full-name", "Phạm Thị Hoa", "--title", "Văn thư"
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["role"] == "clerk"
    assert (data / "station.db").exists()
    for name in ("station_x25519.key", "station_ed25519.key", "storage.key"):
        key = data / "keys" / name
        assert key.stat().st_size == 32
        assert stat.S_IMODE(key.stat().st_mode) == 0o600

    r = _staff_add(data, "hoa", "clerk", "456701")
    assert r.returncode != 0
    assert json.loads(r.stderr.strip().splitlines()[-1])["code"] == "STAFF_EXISTS"

    r = _staff_add(data, "x1", "clerk", "12")
    assert r.returncode != 0 and json.loads(r.stderr.splitlines()[-1])["code"] == "PIN_FORMAT"

    for guessable in ("000000", "123456", "111111", "654321", "121212"):  # issue 22 §3
        r = _cli(
            "admin", "--data", str(data), "staff-add",
            "--username", "x2", "--role", "clerk", "--pin", guessable,
        )  # fmt: skip
        problem = json.loads(r.stderr.splitlines()[-1])
        assert r.returncode != 0 and problem["code"] == "PIN_GUESSABLE", guessable
        assert problem["field"] == "pin" and "dễ đoán" in problem["message"]

    r = admin_cli(data, "staff-list")
    assert [s["username"] for s in json.loads(r.stdout)] == ["hoa"]

    client = TestClient(create_app(data))
    r = client.post("/v1/auth/token", json={"username": "hoa", "pin": "456701"})
    assert r.status_code == 200 and r.json()["full_name"] == "Phạm Thị Hoa"


def test_enroll_code_prints_code_first(tmp_path: Path) -> None:
    data = tmp_path / "st"
    r = admin_cli(data, "enroll-code")
    assert r.returncode == 0, r.stderr
    printed = r.stdout.splitlines()[0]
    # 3 groups of one-time secret, then 5 groups pinning the station's HTTPS certificate.
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}", printed)
    code = printed[:14]
    raw = (data / "station.db").read_bytes() + (
        (data / "station.db-wal").read_bytes() if (data / "station.db-wal").exists() else b""
    )
    assert code.encode() not in raw and code.replace("-", "").encode() not in raw
    shown = json.loads(admin_cli(data, "tls-show").stdout)
    assert printed.endswith(shown["pin"])


def test_device_list_and_revoke_unknown(tmp_path: Path) -> None:
    data = tmp_path / "st"
    r = admin_cli(data, "device-list")
    assert r.returncode == 0 and json.loads(r.stdout) == []
    r = admin_cli(data, "device-revoke", "--device", "nope")
    assert r.returncode != 0 and json.loads(r.stderr)["code"] == "DEVICE_UNKNOWN"


def test_every_command_is_documented() -> None:
    r = _cli("admin", "--data", "/nonexistent", "--help")
    for cmd in ("staff-add", "staff-list", "enroll-code", "device-list", "device-revoke"):
        assert cmd in r.stdout
    assert "--demo" in _cli("serve", "--help").stdout
