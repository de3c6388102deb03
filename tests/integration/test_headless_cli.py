"""`python -m mobile.headless`: the JSON contract other scripts rely on, good and bad paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sync_server.launcher import ROOT
from tests.integration.conftest import APPRAISER, CLERK, LEADER, Station

pytestmark = pytest.mark.integration


def headless(data: Path, *args: str, unlock: bool = True) -> tuple[int, Any]:
    cmd = [sys.executable, "-m", "mobile.headless", "--data", str(data)]
    if unlock:
        cmd += ["--user", "tiepnhan", "--pin", "123456"]
    out = subprocess.run(
        [*cmd, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    return out.returncode, json.loads(out.stdout)


def test_cli_full_loop(module_station: Station, tmp_path: Path) -> None:
    station = module_station
    data = tmp_path / "tablet"
    rc, enrolled = headless(data, "enroll", station.url, station.enroll_code(), unlock=False)
    assert rc == 0 and enrolled["slot"] >= 1
    rc, sample = headless(data, "sample", "--procedure", "1.001193", unlock=False)
    assert rc == 0
    (tmp_path / "ks.json").write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    rc, made = headless(
        data, "intake", "--procedure", "1.001193", "--json", str(tmp_path / "ks.json")
    )
    assert rc == 0 and set(made) >= {"id", "code", "status"} and made["status"] == "received"
    rc, report = headless(data, "sync", unlock=False)
    assert rc == 0 and report["pushed"] == 1
    station.record_child_number(made["id"])  # the appraiser's, printed on the Giấy khai sinh
    for action, who in (("accept", APPRAISER), ("approve", LEADER), ("stamp", CLERK)):
        assert station.act(made["id"], action, who).status_code == 200
    rc, report = headless(data, "sync", unlock=False)
    assert rc == 0 and report["pulled"] >= 3
    rc, shown = headless(data, "show", made["id"])
    assert rc == 0 and shown["status"] == "stamped" and shown["code"] == made["code"]
    assert shown["values"]["child_full_name"] == sample["child_full_name"]
    out = tmp_path / "gks.pdf"
    rc, written = headless(data, "result", made["id"], "--out", str(out))
    assert rc == 0 and out.read_bytes().startswith(b"%PDF") and written["bytes"] > 1000
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout
    assert sample["mother_full_name"].encode() in text
    ks = str(tmp_path / "ks.json")
    rc, problem = headless(data, "supplement", made["id"], "--json", ks)
    assert rc != 0 and problem["code"] == "TRANSITION_NOT_ALLOWED"  # stamped: no edits


def test_cli_bad_paths_exit_nonzero_with_a_problem(module_station: Station, tmp_path: Path) -> None:
    station = module_station
    data = tmp_path / "tablet"
    rc, problem = headless(data, "show", "x")
    assert rc != 0 and problem["code"] == "NOT_ENROLLED"
    headless(data, "enroll", station.url, station.enroll_code(), unlock=False)
    rc, problem = headless(data, "show", "nope", unlock=False)
    assert rc != 0 and problem["code"] == "LOCKED" and problem["message"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"child_full_name": ""}', encoding="utf-8")
    rc, problem = headless(data, "intake", "--procedure", "1.001193", "--json", str(bad))
    assert rc != 0 and problem["code"] == "DOSSIER_INVALID"
    assert {d["field"] for d in problem["details"]} >= {"child_full_name", "child_birth_date"}
    bad.write_text("{not json", encoding="utf-8")
    rc, problem = headless(data, "intake", "--procedure", "1.001193", "--json", str(bad))
    assert rc != 0 and (problem["code"], problem["field"]) == ("REQUEST_INVALID", "json")
    rc, problem = headless(data, "intake", "--procedure", "9.999999", "--json", str(bad))
    assert rc != 0 and problem["code"] in ("PROCEDURE_UNKNOWN", "REQUEST_INVALID")
    rc, problem = headless(data, "result", "00000000", "--out", str(tmp_path / "x.pdf"))
    assert rc != 0 and problem["code"] == "DOSSIER_NOT_FOUND"
    rc, status = headless(data, "status", unlock=False)
    assert rc == 0 and status["pending"] == 0  # nothing invalid was queued
