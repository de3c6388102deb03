"""The hash-chained audit log detects edits after the fact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet, admin_cli

from sync_server.services.core.audit import verify_audit_chain
from sync_server.services.core.station import Station


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


def _tamper(station: Station, action: str, column: str, value: Any) -> int:
    """Change one column of the audit row of ``action`` as an insider with write access
    would, and see the chain break at that row; its seq."""
    with station.session() as db:
        seq = int(db.execute("SELECT seq FROM audit WHERE action = ?", [action]).fetchone()[0])
        db.execute(f"UPDATE audit SET {column} = ? WHERE seq = ?", [value, seq])
        assert verify_audit_chain(db) == seq
    return seq


@pytest.mark.parametrize(
    ("action", "column", "value"),
    [("approve", "actor", "thamdinh"), ("accept", "reason_enc", b"\x00")],
    ids=["edited-actor", "swapped-reason"],
)
def test_an_edited_row_is_detected(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    action: str,
    column: str,
    value: Any,
) -> None:
    _loop(client, tablet, as_user)
    _tamper(station, action, column, value)


def test_a_reason_replaced_by_text_breaks_the_chain_without_a_traceback(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, data_dir: Path
) -> None:
    """Issue 22 §6: a reason blob replaced by TEXT crashed audit-verify (TypeError)."""
    _loop(client, tablet, as_user)
    seq = _tamper(station, "accept", "reason_enc", "lý do khác")
    r = admin_cli(data_dir, "audit-verify")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    problem = json.loads(r.stderr.strip().splitlines()[-1])
    assert problem["code"] == "AUDIT_CHAIN_BROKEN" and problem["params"]["seq"] == seq


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


def _rebuild_chain_from(db: Any, seq: int) -> None:
    """What an insider with write access would do: re-hash every row from ``seq`` on."""
    from sync_server.services.core.audit import _entry_hash

    prev = db.execute("SELECT hash FROM audit WHERE seq = ?", [seq - 1]).fetchone()[0]
    for row in list(db.query("SELECT * FROM audit WHERE seq >= ? ORDER BY seq", [seq])):
        new = _entry_hash(prev, row)
        db.execute(
            "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", [prev, new, row["seq"]]
        )
        prev = new


def _anchored_loop(
    client: TestClient, tablet: Tablet, as_user: Any, data_dir: Path, tmp_path: Path
) -> Path:
    _loop(client, tablet, as_user)
    r = admin_cli(data_dir, "audit-anchor")
    assert r.returncode == 0, r.stderr
    anchor = json.loads(r.stdout)
    # enroll, unlock, receive, accept, approve
    assert anchor["rows"] == 5 and anchor["sig"]
    kept = tmp_path / "anchor.json"  # e.g. typed from the printed control sheet
    kept.write_text(r.stdout, encoding="utf-8")
    ok = admin_cli(data_dir, "audit-verify", "--anchor", str(kept))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["anchors_checked"] >= 2  # the daily one + the kept one
    return kept


def test_deleted_tail_contradicts_the_anchor(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    kept = _anchored_loop(client, tablet, as_user, data_dir, tmp_path)
    with station.session() as db:
        db.execute("DELETE FROM audit WHERE seq = 5")  # the approval
        db.execute("DELETE FROM meta WHERE key LIKE 'audit_anchor/%'")  # covering tracks
        db.execute("UPDATE dossiers SET status = 'appraised'")  # as before the approval
    # Tail, stored anchors and status all made consistent: the data dir alone is fooled …
    assert admin_cli(data_dir, "audit-verify").returncode == 0
    # … but not an anchor kept outside it.
    bad = admin_cli(data_dir, "audit-verify", "--anchor", str(kept))
    assert bad.returncode == 1
    assert json.loads(bad.stderr)["code"] == "AUDIT_ANCHOR_MISMATCH"


def test_rebuilt_chain_contradicts_the_stored_anchor(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    _anchored_loop(client, tablet, as_user, data_dir, tmp_path)
    with station.session() as db:
        db.execute("UPDATE audit SET actor = 'thamdinh' WHERE seq = 5")
        _rebuild_chain_from(db, 5)
        assert verify_audit_chain(db) is None  # the chain alone is fooled
    bad = admin_cli(data_dir, "audit-verify")
    assert bad.returncode == 1
    problem = json.loads(bad.stderr)
    assert problem["code"] == "AUDIT_ANCHOR_MISMATCH" and problem["params"]["rows"] == 5


def test_forged_anchor_is_refused(
    client: TestClient, tablet: Tablet, as_user: Any, data_dir: Path, tmp_path: Path
) -> None:
    kept = _anchored_loop(client, tablet, as_user, data_dir, tmp_path)
    forged = json.loads(kept.read_text(encoding="utf-8")) | {"rows": 3}
    kept.write_text(json.dumps(forged), encoding="utf-8")
    bad = admin_cli(data_dir, "audit-verify", "--anchor", str(kept))
    assert bad.returncode == 1 and json.loads(bad.stderr)["code"] == "AUDIT_ANCHOR_MISMATCH"


def test_edited_dossier_status_is_caught_by_the_replay(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, data_dir: Path
) -> None:
    _loop(client, tablet, as_user)
    assert admin_cli(data_dir, "audit-verify").returncode == 0
    with station.session() as db:
        db.execute("UPDATE dossiers SET status = 'stamped'")
    bad = admin_cli(data_dir, "audit-verify")
    assert bad.returncode == 1
    problem = json.loads(bad.stderr)
    assert problem["code"] == "AUDIT_STATUS_MISMATCH"
    assert "không khớp nhật ký" in problem["message"]


def test_a_list_of_anchors_as_a_tablet_prints_them_is_checked(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    """``mobile.headless anchors`` prints a JSON list; audit-verify takes it as it is."""
    kept = _anchored_loop(client, tablet, as_user, data_dir, tmp_path)
    listed = tmp_path / "tablet-anchors.json"
    listed.write_text(json.dumps([json.loads(kept.read_text(encoding="utf-8"))]), "utf-8")
    ok = admin_cli(data_dir, "audit-verify", "--anchor", str(listed))
    assert ok.returncode == 0, ok.stderr
    with station.session() as db:
        db.execute("DELETE FROM audit WHERE seq = 5")
        db.execute("DELETE FROM meta WHERE key LIKE 'audit_anchor/%'")
        db.execute("UPDATE dossiers SET status = 'appraised'")
    bad = admin_cli(data_dir, "audit-verify", "--anchor", str(listed))
    assert json.loads(bad.stderr)["code"] == "AUDIT_ANCHOR_MISMATCH"
