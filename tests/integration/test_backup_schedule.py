"""``serve --backup-dir``: a backup at shutdown (and daily), N kept, shown at the desk."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from sync_server.launcher import ROOT, start_station
from sync_server.services.admin.backup_schedule import next_run, prune

PASSPHRASE = "ba cây chụm lại nên hòn núi cao"
VERIFY = (sys.executable, "-m", "sync_server", "admin", "backup-verify")


def test_next_run_is_today_at_the_hour_or_tomorrow() -> None:
    assert next_run(datetime(2026, 12, 7, 9, 30), 12) == datetime(2026, 12, 7, 12)
    assert next_run(datetime(2026, 12, 7, 12, 0), 12) == datetime(2026, 12, 8, 12)


def test_prune_keeps_the_newest_and_nothing_else_of_the_folder(tmp_path: Path) -> None:
    names = [f"taicho-000.31.22.H20-202612{d:02d}-120000.tcbackup" for d in range(1, 6)]
    for n in [*names, "notes.txt"]:
        (tmp_path / n).write_text("x")
    deleted = prune(tmp_path, 2)
    assert sorted(p.name for p in deleted) == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[3:], "notes.txt"])


@pytest.mark.timeout(300)
def test_a_station_that_stops_leaves_a_verified_backup_and_the_desk_knows(tmp_path: Path) -> None:
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSPHRASE, encoding="utf-8")
    usb = tmp_path / "usb"
    for d in range(1, 4):  # older backups of the same naming: one is kept with the new one
        usb.mkdir(exist_ok=True)
        (usb / f"taicho-000.31.22.H20-200001{d:02d}-120000.tcbackup").write_text("old")
    station = start_station(
        tmp_path / "station",
        extra=(
            "--backup-dir",
            str(usb),
            "--backup-keep",
            "2",
            "--backup-passphrase-file",
            str(pw),
        ),
    )
    station.stop(wait=120)
    made = sorted(usb.glob("*.tcbackup"))
    assert len(made) == 2 and made[0].name.endswith("20000103-120000.tcbackup")
    checked = subprocess.run(
        [*VERIFY, str(made[-1]), "--passphrase-file", str(pw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["unit_code"] == "000.31.22.H20"
    shown = json.loads(station.admin("backup-status"))
    assert shown["last_ok"]["out"] == str(made[-1]) and shown["missed"] is False
    assert shown["schedule"]["keep"] == 2
