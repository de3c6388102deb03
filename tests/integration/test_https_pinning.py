"""HTTPS with pinning, end to end: a real uvicorn station on HTTPS, the headless tablet CLI.

A tablet enrols with the code exactly as ``admin enroll-code`` prints it, syncs, and then
refuses a station presenting any other certificate — before sending a byte of its request
(the attacker on the office network who answers on the station's address learns nothing).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shared import enrol_code
from sync_server.launcher import ROOT, RunningStation, start_station
from tests.cert_kit import write_self_signed

pytestmark = pytest.mark.integration


def headless(data: Path, *args: str, unlock: bool = True) -> tuple[int, Any, str]:
    cmd = [sys.executable, "-m", "mobile.headless", "--data", str(data)]
    if unlock:
        cmd += ["--user", "tiepnhan", "--pin", "123456"]
    out = subprocess.run(
        [*cmd, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    return out.returncode, json.loads(out.stdout), out.stdout + out.stderr


def _impostor_pair(tmp: Path) -> tuple[Path, Path]:
    """Another certificate for the same names: what a machine in the middle would show."""
    return write_self_signed("127.0.0.1", tmp / "other.crt", tmp / "other.key")


def _port(station: RunningStation) -> int:
    return int(station.url.rsplit(":", 1)[1])


def _tablet_requests(station: RunningStation) -> list[str]:
    """The requests the station logged other than the launcher's readiness probes."""
    lines = station.log.read_text(errors="replace").splitlines()
    return [ln for ln in lines if '"' in ln and "/v1/" in ln and "/v1/health" not in ln]


def test_enrol_sync_then_refuse_a_station_with_another_certificate(tmp_path: Path) -> None:
    station = start_station(tmp_path / "station", tls=True)
    try:
        assert station.url.startswith("https://") and station.tls_sha256 is not None
        code = station.enroll_code()
        typed = enrol_code.parse(code)
        assert typed is not None and typed.matches(station.tls_sha256)
        tablet = tmp_path / "tablet"
        rc, enrolled, _ = headless(tablet, "enroll", station.url, code, unlock=False)
        assert rc == 0 and enrolled["slot"] == 1
        rc, sample, _ = headless(tablet, "sample", "--procedure", "1.001193", unlock=False)
        (tmp_path / "ks.json").write_text(json.dumps(sample, ensure_ascii=False), "utf-8")
        rc, _, _ = headless(
            tablet, "intake", "--procedure", "1.001193", "--json", str(tmp_path / "ks.json")
        )
        assert rc == 0
        rc, synced, _ = headless(tablet, "sync")
        assert rc == 0 and synced["pushed"] == 1 and synced["pending"] == 0
        port = _port(station)
    finally:
        station.stop()

    # The same address now presents another certificate (as a machine in the middle would).
    cert, key = _impostor_pair(tmp_path)
    installed = json.loads(station.admin("tls-import", "--cert", str(cert), "--key", str(key)))
    assert installed["sha256"].replace(":", "").lower() != station.tls_sha256.hex()
    rc, _, _ = headless(
        tablet, "intake", "--procedure", "1.001193", "--json", str(tmp_path / "ks.json")
    )
    assert rc == 0
    impostor = start_station(tmp_path / "station", tls=True, port=port)
    try:
        assert impostor.tls_sha256 != station.tls_sha256
        rc, refused, out = headless(tablet, "sync")
        assert rc != 0
        assert refused["code"] == "STATION_CERT_MISMATCH"
        assert "chứng thư" in refused["message"] and "Traceback" not in out
        rc, status, _ = headless(tablet, "status", unlock=False)
        assert status["pending"] == 1  # nothing lost, nothing sent
        assert _tablet_requests(impostor) == []
    finally:
        impostor.stop()


def test_enrol_code_for_another_certificate_is_refused_before_the_code_is_sent(
    tmp_path: Path,
) -> None:
    station = start_station(tmp_path / "station", tls=True)
    try:
        code = station.enroll_code()
        typed = enrol_code.parse(code)
        assert typed is not None
        forged = enrol_code.with_pin(typed.secret, bytes(32))  # pin of some other certificate
        rc, refused, out = headless(tmp_path / "t1", "enroll", station.url, forged, unlock=False)
        assert rc != 0 and refused["code"] == "STATION_CERT_MISMATCH"
        assert "Traceback" not in out
        assert _tablet_requests(station) == []
        # The secret was never sent, so the real code still works once.
        rc, _, _ = headless(tmp_path / "t2", "enroll", station.url, code, unlock=False)
        assert rc == 0
        # Over HTTPS the secret alone (no certificate part) is not enough to enrol.
        rc, incomplete, _ = headless(
            tmp_path / "t3", "enroll", station.url, typed.secret, unlock=False
        )
        assert rc != 0 and incomplete["code"] == "ENROLL_CODE_INCOMPLETE"
    finally:
        station.stop()
