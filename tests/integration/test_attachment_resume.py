"""A photo upload that the station's death interrupts, resumed after its restart without
sending a finished chunk again: the real `python -m sync_server serve` under uvicorn,
killed with SIGKILL mid-upload, restarted on the same data and port."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from PIL import Image

from mobile.services.progress import ATTACH, SyncProgress
from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import start_station
from tests.integration.conftest import APPRAISER, INTAKE, Station

pytestmark = pytest.mark.integration

CHUNK = 32 * 1024
KILL_AFTER = 7  # chunks the station has stored when it dies


def noisy_photo() -> bytes:
    """A photo that stays about 1 MB after downscaling (camera noise compresses badly)."""
    img = Image.effect_noise((1600, 1200), 60).convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


def station_rows(data: Path, sha: str) -> tuple[int, int, str | None]:
    """(chunks stored, chunk requests counted, completed_at) read from the station's file:
    from the tablet's unfinished upload, or from the photo once held whole."""
    with sqlite3.connect(data / "station.db") as conn:
        stored = conn.execute(
            "SELECT count(*) FROM upload_chunks WHERE sha256 = ?", [sha]
        ).fetchone()[0]
        unfinished = conn.execute(
            "SELECT chunk_puts, NULL FROM attachment_uploads WHERE sha256 = ?", [sha]
        ).fetchone()
        puts, done = (
            unfinished
            or conn.execute(
                "SELECT chunk_puts, completed_at FROM attachments WHERE sha256 = ?", [sha]
            ).fetchone()
        )
    return int(stored), int(puts), done


class KillWhen(SyncProgress):
    """The sync's progress record, which kills the station once ``after`` chunks are done."""

    def __init__(self, station: Station, after: int) -> None:
        super().__init__()
        self.station, self.after, self.killed = station, after, False

    def set(self, phase: str, done: int, total: int) -> None:
        super().set(phase, done, total)
        if phase == ATTACH and done == self.after and not self.killed:
            self.station.proc.kill()  # SIGKILL: no shutdown, no flush, as a power cut
            self.station.proc.wait(timeout=10)
            self.killed = True


def test_upload_resumes_after_the_station_was_killed(station: Station, tmp_path: Path) -> None:
    tablet = TabletService(tmp_path / "tablet")
    tablet.enrolment.enroll(station.url, station.enroll_code())
    tablet.unlock(*INTAKE)
    tablet.attachments.chunk_size = CHUNK
    ref = tablet.add_attachment(noisy_photo(), "image/jpeg", "birth_certificate_medical")
    total = -(-ref.size // CHUNK)
    assert total >= 3 * KILL_AFTER
    d = tablet.intake(
        "1.001193",
        sample_values("1.001193", vn_now().date(), 1),
        attachments=[ref],
        components_received=every_component(
            "1.001193", sample_values("1.001193", vn_now().date(), 1)
        ),
    )

    progress = KillWhen(station, KILL_AFTER)
    with pytest.raises(TaiChoError) as exc:
        tablet.sync(progress)
    assert exc.value.code == "STATION_UNREACHABLE" and progress.killed
    assert tablet.sync_state().pending == 0  # the dossier itself went before the photo
    assert tablet.attachments.sent_count(ref.sha256) == KILL_AFTER
    stored, puts, done = station_rows(station.data, ref.sha256)
    assert (stored, puts, done) == (KILL_AFTER, KILL_AFTER, None)

    port = urlparse(station.url).port
    restarted = start_station(station.data, port=port)
    station.proc = restarted.proc  # the fixture stops whichever runs at the end
    report = tablet.sync()
    assert report.photo_chunks_skipped == KILL_AFTER
    assert report.photo_chunks_sent == total - KILL_AFTER
    assert report.photos_pending == 0
    # Station side: every chunk request counted once — no finished chunk came again.
    stored, puts, done = station_rows(station.data, ref.sha256)
    assert puts == total and done is not None
    assert stored == 0  # once the picture is checked and kept, its chunks go
    assert tablet.attachments.sent_count(ref.sha256) == total

    r = httpx.get(
        f"{station.url}/v1/dossiers/{d.id}/attachments/{ref.sha256}",
        headers={"Authorization": f"Bearer {station.token(*APPRAISER)}"},
    )
    assert r.status_code == 200
    assert (
        hashlib.sha256(r.content).hexdigest()
        == ref.sha256
        == hashlib.sha256(tablet.attachments.get(ref.sha256)).hexdigest()
    )
    tablet.close()
