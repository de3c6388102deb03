"""The office PC dies: a backup taken while tablets pushed, restored onto a new folder,
and the tablets bring back what the backup did not hold (docs/operations.md).

A real station (uvicorn) and real tablets (``TabletService``, as bench/kit.py runs them):
the backup is ``admin backup`` in its own process while the tablets take and push
dossiers; after it, more dossiers and desk changes; then the station's folder is deleted,
``admin restore`` rebuilds it in a new folder, the station serves again on the same port,
and the tablets sync.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from PIL import Image

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.codes import parse_code
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import ROOT, start_station
from tests.integration.conftest import APPRAISER, Station

PASSPHRASE = "cây đa giếng nước sân đình"
KHAI_SINH = "1.001193"


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server", "admin", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


def _take(tablet: TabletService, seed: int, photo: bool = False) -> str:
    values = sample_values(KHAI_SINH, vn_now().date(), seed)
    refs = []
    if photo:
        img = Image.new("RGB", (640, 480), (seed % 256, 90, 160))
        out = io.BytesIO()
        img.save(out, "JPEG")
        refs = [tablet.add_attachment(out.getvalue(), "image/jpeg", "birth_certificate_medical")]
    return tablet.intake(
        KHAI_SINH,
        values,
        attachments=refs or None,
        components_received=every_component(KHAI_SINH, values),
    ).id


def _wrap(running: object) -> Station:
    r = running
    return Station(r.url, r.data, r.proc, r.log)  # type: ignore[attr-defined]


@pytest.mark.timeout(600)
def test_restore_brings_back_every_dossier_once_and_lists_the_desk_changes(
    tmp_path: Path,
) -> None:
    pw = tmp_path / "passphrase.txt"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    backup_file = tmp_path / "usb" / "station.tcbackup"
    station = _wrap(start_station(tmp_path / "station"))
    port = int(urlparse(station.url).port or 0)
    tablets = []
    try:
        for i in range(2):
            t = TabletService(tmp_path / f"tablet-{i}")
            t.enrolment.enroll(station.url, station.enroll_code())
            t.unlock("tiepnhan", "123456")
            tablets.append(t)
        pushed: list[str] = []
        seed = 0
        for t in tablets:
            for _ in range(3):
                pushed.append(_take(t, seed))
                seed += 1
            t.sync()
        # A desk change the backup will hold.
        assert station.act(pushed[0], "start_appraisal", APPRAISER).status_code == 200

        # The backup, in its own process, while both tablets keep taking and pushing.
        done: list[subprocess.CompletedProcess[str]] = []
        worker = threading.Thread(
            target=lambda: done.append(
                _cli(
                    "--data",
                    str(station.data),
                    "backup",
                    "--out",
                    str(backup_file),
                    "--passphrase-file",
                    str(pw),
                )
            )
        )
        worker.start()
        while worker.is_alive() or seed < 10:
            t = tablets[seed % 2]
            pushed.append(_take(t, seed))
            seed += 1
            t.sync()
        worker.join()
        assert done[0].returncode == 0, done[0].stderr
        manifest = json.loads(done[0].stdout)
        assert manifest["counts"]["dossiers"] >= 6

        # After the backup: more dossiers, and desk changes the backup cannot hold — on a
        # dossier it has and on one it has not.
        for i in range(4):
            t = tablets[seed % 2]
            pushed.append(_take(t, seed, photo=i == 0))  # with a photo of a document
            seed += 1
        with_photo = pushed[-4]
        for t in tablets:
            t.sync()
        changed_after = {pushed[1], pushed[-1]}
        for dossier_id in changed_after:
            assert station.act(dossier_id, "start_appraisal", APPRAISER).status_code == 200
        assert station.act(pushed[1], "accept", APPRAISER).status_code == 200
        for t in tablets:
            t.sync()  # the tablets' feed copies now show those changes
        codes_before = {d["code"] for d in station.dossiers(APPRAISER)}
        assert len(codes_before) == len(pushed)
    finally:
        station.stop()

    # The office PC dies.
    shutil.rmtree(station.data)
    new_data = tmp_path / "new-pc" / "station"
    restored = _cli(
        "restore",
        "--from",
        str(backup_file),
        "--data",
        str(new_data),
        "--passphrase-file",
        "-",
        stdin=PASSPHRASE,
    )
    assert restored.returncode == 0, restored.stderr
    station = _wrap(start_station(new_data, demo=False, port=port))
    try:
        reports = [t.sync() for t in tablets]
        assert sum(r.resent for r in reports) == len(pushed) - manifest["counts"]["dossiers"]
        for t in tablets:
            t.sync()

        # Every dossier the tablets ever pushed is there, none twice.
        items = station.dossiers(APPRAISER)
        assert sorted(d["id"] for d in items) == sorted(pushed)
        assert {d["code"] for d in items} == codes_before

        # The "cần xử lý lại" list holds exactly the desk changes made after the backup.
        redo = json.loads(_cli("--data", str(new_data), "redo-list").stdout)
        assert {r["dossier_id"] for r in redo["redo"]} == changed_after
        assert all(not r["done"] for r in redo["redo"])

        # The photo uploaded after the backup came back too (sealed again at the tablet).
        detail = httpx.get(
            f"{station.url}/v1/dossiers/{with_photo}",
            headers={"Authorization": f"Bearer {station.token(*APPRAISER)}"},
        ).json()
        sha = detail["attachments"][0]["sha256"]
        photo = httpx.get(
            f"{station.url}/v1/dossiers/{with_photo}/attachments/{sha}",
            headers={"Authorization": f"Bearer {station.token(*APPRAISER)}"},
        )
        assert photo.status_code == 200, photo.text

        # audit-verify passes, and the restore is in the chain.
        verified = _cli("--data", str(new_data), "audit-verify")
        assert verified.returncode == 0, verified.stderr

        # A code issued after the restore is new: from a tablet's own block and from a
        # tablet enrolled on the restored station.
        latecomer = TabletService(tmp_path / "tablet-new")
        latecomer.enrolment.enroll(station.url, station.enroll_code())
        latecomer.unlock("tiepnhan", "123456")
        fresh = [_take(tablets[0], seed), _take(latecomer, seed + 1)]
        for t in (tablets[0], latecomer):
            t.sync()
        after = {d["id"]: d["code"] for d in station.dossiers(APPRAISER)}
        assert set(fresh) <= set(after)
        new_codes = {after[i] for i in fresh}
        assert not new_codes & codes_before and len(new_codes) == 2
        top_before = max(parse_code(c).number for c in codes_before)
        assert parse_code(after[fresh[1]]).number > top_before
        latecomer.close()
    finally:
        station.stop()
        for t in tablets:
            t.close()
