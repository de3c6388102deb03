"""`python -m mobile.headless` fails only with a JSON problem and a non-zero exit code:
catalogued problems, wrong command lines and bugs alike (a bug is logged with an id)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import ROOT
from tests.mobile.conftest import INTAKE, InProcessStation
from tests.mobile.test_tablet_service_unit import OLD_EMPTY_UNIT


def headless(*args: str) -> tuple[int, Any, str]:
    out = subprocess.run(
        [sys.executable, "-m", "mobile.headless", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in out.stdout + out.stderr
    return out.returncode, json.loads(out.stdout), out.stderr


def test_intake_without_a_commune_prints_the_problem(
    station: InProcessStation, tmp_path: Path
) -> None:
    data = tmp_path / "tablet"
    tablet = station.tablet(data)
    tablet.unlock(*INTAKE)  # leaves this staff member's PIN wrap on the tablet
    tablet.store.set_meta("unit", OLD_EMPTY_UNIT)  # as enrolled with a unit-less station
    tablet.close()
    values = tmp_path / "ks.json"
    sample = sample_values("1.001193", vn_now().date(), 1)
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    rc, problem, err = headless(
        "--data", str(data), "--user", INTAKE[0], "--pin", INTAKE[1],
        "intake", "--procedure", "1.001193", "--json", str(values),
    )  # fmt: skip
    assert rc != 0
    assert (problem["code"], problem["field"]) == ("UNIT_NOT_CONFIGURED", "unit")
    assert "chưa khai báo xã" in problem["message"]
    assert json.loads(err) == problem


def test_wrong_command_line_is_a_problem_not_usage(tmp_path: Path) -> None:
    rc, problem, _ = headless("--data", str(tmp_path), "no-such-command")
    assert rc != 0 and (problem["code"], problem["field"]) == ("REQUEST_INVALID", "command")
    rc, problem, _ = headless("--data", str(tmp_path), "intake", "--procedure", "1.001193")
    assert rc != 0 and problem["code"] == "REQUEST_INVALID"


def test_a_bug_is_internal_with_an_error_id_and_a_logged_traceback(tmp_path: Path) -> None:
    data = tmp_path / "tablet"
    data.mkdir()
    (data / "tablet.db").write_bytes(b"this is not a SQLite database" * 100)
    rc, problem, _ = headless("--data", str(data), "status")
    assert rc != 0 and problem["code"] == "INTERNAL"
    error_id = problem["error_id"]
    assert len(error_id) == 8 and problem["message"]
    log = (data / "logs" / "headless.log").read_text(encoding="utf-8")
    assert f"error {error_id}" in log and "Traceback" in log and "DatabaseError" in log
