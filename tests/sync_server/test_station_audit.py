"""The hash-chained audit log detects edits after the fact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from sync_server.services.audit import verify_audit_chain
from sync_server.services.station import Station


def _loop(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    d = tablet.dossier()
    tablet.push([tablet.change(d)])
    for who, action, reason in [("thamdinh", "accept", "Đủ"), ("lanhdao", "approve", None)]:
        r = client.post(
            f"/v1/dossiers/{d['id']}/actions",
            json={"action": action, "reason": reason},
            headers=as_user(who),
        )
        assert r.status_code == 200


def test_intact_chain_verifies(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    _loop(client, tablet, as_user)
    with station.session() as db:
        assert verify_audit_chain(db) is None
        actions = [r["action"] for r in db.query("SELECT action FROM audit ORDER BY seq")]
    assert actions == ["device.enroll", "device.unlock", "receive", "accept", "approve"]


def test_edited_row_is_detected(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    _loop(client, tablet, as_user)
    with station.session() as db:
        seq = db.execute("SELECT seq FROM audit WHERE action = 'approve'").fetchone()[0]
        db.execute("UPDATE audit SET actor = 'thamdinh' WHERE seq = ?", [seq])
        assert verify_audit_chain(db) == seq


def test_swapped_reason_is_detected(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    _loop(client, tablet, as_user)
    with station.session() as db:
        seq = db.execute("SELECT seq FROM audit WHERE action = 'accept'").fetchone()[0]
        db.execute("UPDATE audit SET reason_enc = X'00' WHERE seq = ?", [seq])
        assert verify_audit_chain(db) == seq


def test_deleted_row_is_detected(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    _loop(client, tablet, as_user)
    with station.session() as db:
        db.execute("DELETE FROM audit WHERE seq = 2")
        assert verify_audit_chain(db) == 3


def test_admin_audit_verify_reports_head_then_the_broken_row(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, data_dir: Path
) -> None:
    _loop(client, tablet, as_user)
    cmd = [sys.executable, "-m", "sync_server", "admin", "--data", str(data_dir), "audit-verify"]
    ok = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert ok.returncode == 0, ok.stderr
    head = json.loads(ok.stdout)
    assert head["audit"] == "intact" and head["rows"] == 5 and len(head["head"]) == 64
    with station.session() as db:
        db.execute("UPDATE audit SET role = 'admin' WHERE seq = 3")
    bad = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 1
    problem = json.loads(bad.stderr)
    assert problem["code"] == "AUDIT_CHAIN_BROKEN" and problem["params"]["seq"] == 3
