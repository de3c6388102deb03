"""Backups of the station, their check and a restore (sync_server/services/admin/backup.py).

Wrong passphrase or one changed byte: ``backup-verify`` and ``restore`` refuse with a
catalogued problem and write nothing (the real command line, as an office runs it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from station_kit import Tablet

from shared import backup as fmt
from shared import crypto
from shared.errors import TaiChoError
from sync_server.launcher import ROOT
from sync_server.services.admin import backup
from sync_server.services.core import audit
from sync_server.services.core.station import Station
from sync_server.services.opening import open_station
from sync_server.services.setup import staff
from sync_server.store import backup as backup_q
from sync_server.store import dossiers as dossiers_q

PASSPHRASE = "trăm năm trong cõi người ta"


def _cheap_key() -> fmt.BackupKey:
    return fmt.BackupKey.derive(PASSPHRASE, crypto.ScryptParams(os.urandom(16), n=2**10))


def _cli(*args: str, stdin: str = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server", "admin", *args, "--passphrase-file", "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


def test_a_restore_is_the_same_station_with_the_restore_in_its_audit_chain(
    tablet: Tablet, station: Station, tmp_path: Path
) -> None:
    r = tablet.push([tablet.change(tablet.dossier()) for _ in range(3)])
    assert r.status_code == 200, r.text
    out = tmp_path / "usb" / "backup.tcbackup"
    made = backup.make_backup(station, out, _cheap_key())
    assert made.size == out.stat().st_size and not out.with_name(out.name + ".part").exists()
    manifest = backup.verify_backup(out, PASSPHRASE)
    assert manifest.counts["dossiers"] == 3 and manifest.unit_code is not None
    assert {f.path for f in manifest.files} >= set(backup.REQUIRED)
    assert manifest.station.x25519_pub == crypto.b64e(station.keys.x_pk)

    target = tmp_path / "new-pc" / "station"
    done = backup.restore(out, PASSPHRASE, target)
    assert done["counts"]["dossiers"] == 3
    for name in ("station_x25519.key", "station_ed25519.key", "storage.key"):
        assert (target / "keys" / name).read_bytes() == (station.paths.keys / name).read_bytes()
    restored = open_station(target)
    with restored.session() as db:
        staff.authenticate(db, "thamdinh", "234567")  # staff keep their PINs
        assert len(dossiers_q.list_by_status(db, None)) == 3
        checked = audit.verify_all(db, restored.keys.ed_pk, [])
        assert checked["rows"] == manifest.audit.rows + 1
        last = next(iter(db.query("SELECT action, actor FROM audit ORDER BY seq DESC LIMIT 1")))
        assert last == {"action": "station.restore", "actor": "admin"}
        assert backup_q.counts(db)["dossiers"] == 3


def test_a_restore_never_writes_into_a_folder_in_use(station: Station, tmp_path: Path) -> None:
    out = tmp_path / "b.tcbackup"
    backup.make_backup(station, out, _cheap_key())
    with pytest.raises(TaiChoError) as exc:
        backup.restore(out, PASSPHRASE, station.paths.data_dir)
    assert exc.value.code == "RESTORE_TARGET_NOT_EMPTY"


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("fault", ["wrong passphrase", "one changed byte"])
def test_refused_by_verify_and_restore_with_nothing_written(
    fault: str, station: Station, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out = work / "b.tcbackup"
    backup.make_backup(station, out, fmt.BackupKey.new(PASSPHRASE))
    typed = PASSPHRASE
    if fault == "wrong passphrase":
        typed = "trăm năm trong cõi người ta."
        code = "BACKUP_PASSPHRASE_WRONG"
    else:
        data = bytearray(out.read_bytes())
        data[len(data) * 2 // 3] ^= 0x04
        out.write_bytes(bytes(data))
        code = "BACKUP_DAMAGED"
    before = _listing(work)
    checked = _cli("backup-verify", str(out), stdin=typed)
    assert checked.returncode == 1 and json.loads(checked.stderr)["code"] == code
    target = work / "new-pc" / "station"  # its folder too: nothing may be left behind
    restored = _cli("restore", "--from", str(out), "--data", str(target), stdin=typed)
    assert restored.returncode == 1, restored.stdout
    problem = json.loads(restored.stderr)
    assert problem["code"] == code and problem["message"] and problem["message_en"]
    assert _listing(work) == before  # no target, no half-restored folder beside it


def test_a_short_passphrase_makes_no_backup(station: Station, tmp_path: Path) -> None:
    out = tmp_path / "b.tcbackup"
    made = _cli("--data", str(station.paths.data_dir), "backup", "--out", str(out), stdin="ngắn")
    assert made.returncode == 1 and json.loads(made.stderr)["code"] == "BACKUP_PASSPHRASE_WEAK"
    assert not out.exists()


def test_the_desk_sees_the_last_backup_and_a_missed_one(station: Station, tmp_path: Path) -> None:
    with station.session() as db:
        assert backup.status(db)["missed"] is False  # no schedule, nothing to miss
        backup_q.put_json(
            db, backup_q.SCHEDULE_KEY, {"dir": str(tmp_path), "since": "2020-01-01T00:00:00+07:00"}
        )
        assert backup.status(db)["missed"] is True
    out = tmp_path / "b.tcbackup"
    backup.make_backup(station, out, _cheap_key())
    with station.session() as db:
        shown = backup.status(db)
    assert shown["missed"] is False
    assert shown["last_ok"]["out"] == str(out) and shown["last_ok"]["size"] == out.stat().st_size
