"""Photo bombs and non-images at the station (issue 22 §4), through the real upload.

A tablet (or anything holding an enrolled tablet's keys) sends what it likes: a PNG whose
header says 13,000 × 13,000 pixels (657 KB on the wire, 1.36 GB decoded), an HTML page
declared as ``image/jpeg``, a JPEG with a script after it. The station checks the
assembled file's magic bytes and header size before any decoding, re-encodes what it
keeps, serves it with ``nosniff``; an unfinished upload belongs to its tablet; photos no
dossier refers to are limited per tablet and expire.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from mobile.services.tablet import TabletService
from shared import messages as m
from shared.checklist import every_component
from shared.envelope import Envelope
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.sync import KIND_ATTACHMENT_CHUNK, KIND_ATTACHMENT_OPEN
from shared.workdays import vn_now
from sync_server.services.core.clock import utc_now
from sync_server.services.office import attachments as attachment_service
from tests.mobile.conftest import APPRAISER, INTAKE, InProcessStation
from tests.mobile.test_attachments import COMPONENT, PROC, document_photo

CHUNK = 64 * 1024


def _sealed(tablet: TabletService, kind: str, seq: int, sha: str, payload: bytes) -> Envelope:
    return Envelope.from_json(json.loads(tablet.attachments._seal(kind, seq, sha, payload)))


def upload(
    tablet: TabletService, data: bytes, mime: str = "image/jpeg", chunk: int = CHUNK
) -> m.AttachmentStatus:
    """Open and send ``data`` as a photo, as a tablet would; the last answer."""
    sha = hashlib.sha256(data).hexdigest()
    client = tablet.ctx.client()
    declare = m.AttachmentDeclare("attachment.open", sha, len(data), mime, chunk)
    status = client.attachment_open(
        sha,
        m.AttachmentOpenRequest(
            tablet.ctx.device_id,
            _sealed(tablet, KIND_ATTACHMENT_OPEN, 0, sha, m.to_json_bytes(declare)),
        ),
    )
    for n in range(status.chunks):
        if n in status.have:
            continue
        part = data[n * chunk : (n + 1) * chunk]
        status = client.attachment_chunk(
            sha,
            n,
            m.AttachmentChunkRequest(
                tablet.ctx.device_id, _sealed(tablet, KIND_ATTACHMENT_CHUNK, n, sha, part)
            ),
        )
    return status


def png_bomb(side: int = 13_000) -> bytes:
    """A real grey PNG of side × side pixels, all white: ~0.5 MB, 169 MB+ decoded."""
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * side
    body = b"".join(raw.compress(row) for _ in range(side)) + raw.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _refused(tablet: TabletService, data: bytes, mime: str = "image/jpeg") -> TaiChoError:
    with pytest.raises(TaiChoError) as exc:
        upload(tablet, data, mime)
    return exc.value


def _held(station: InProcessStation, sha: str) -> bool:
    with station.station.session() as db:
        return bool(attachment_service.received(db, [sha]))


def test_a_png_bomb_is_refused_from_its_header(
    station: InProcessStation, tablet: TabletService
) -> None:
    bomb = png_bomb()
    assert len(bomb) < 1_000_000
    err = _refused(tablet, bomb, "image/png")
    assert (err.code, err.field) == ("ATTACHMENT_PIXELS", "photo")
    assert err.ctx["width"] == 13_000 and err.ctx["max_side"] == 2000
    assert "13000 × 13000" in err.message("vi")
    assert not _held(station, hashlib.sha256(bomb).hexdigest())


def test_html_declared_as_a_jpeg_is_refused(
    station: InProcessStation, tablet: TabletService
) -> None:
    page = b"<html><body><script>alert(document.cookie)</script></body></html>" * 50
    err = _refused(tablet, page, "image/jpeg")
    assert err.code == "ATTACHMENT_NOT_IMAGE"
    assert not _held(station, hashlib.sha256(page).hexdigest())
    real_png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(real_png, "PNG")
    err = _refused(tablet, real_png.getvalue(), "image/jpeg")  # a PNG is not a JPEG
    assert err.code == "ATTACHMENT_NOT_IMAGE"


def test_what_the_station_keeps_is_re_encoded_and_served_with_nosniff(
    station: InProcessStation, tablet: TabletService
) -> None:
    """A JPEG with an HTML page after its end: the picture is kept, the page is not."""
    polyglot = document_photo(600, 400, seed=21) + b"<html><script>alert(1)</script></html>"
    ref = tablet.add_attachment(document_photo(600, 400, seed=22), "image/jpeg", COMPONENT)
    d = tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 1),
        attachments=[ref],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 1)),
    )
    tablet.sync()
    status = upload(tablet, polyglot)
    assert status.complete
    with station.station.session() as db:
        mime, kept = attachment_service.photo_bytes(
            db, station.station.keys, hashlib.sha256(polyglot).hexdigest()
        )
    assert mime == "image/jpeg" and b"<html>" not in kept and b"<script>" not in kept
    with Image.open(io.BytesIO(kept)) as img:
        assert (img.format, img.size) == ("JPEG", (600, 400))

    r = station.http.get(
        f"/v1/dossiers/{d.id}/attachments/{ref.sha256}",
        headers={"Authorization": f"Bearer {station.token(*APPRAISER)}"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert r.headers["x-content-type-options"] == "nosniff"
    with Image.open(io.BytesIO(r.content)) as img:
        assert img.size == (ref.width, ref.height)


def test_every_answer_says_nosniff(station: InProcessStation) -> None:
    http = station.http
    answers = [
        http.get("/v1/health"),
        http.get("/openapi.json"),
        http.get("/v1/dossiers"),  # 401 problem
        http.get("/v1/no-such-route"),  # 404
        http.post("/v1/auth/token", content=b"{not json"),  # 400/422 problem
        http.post("/v1/sync/push", content=b"x", headers={"Content-Length": str(10**9)}),
    ]
    assert [r.headers.get("x-content-type-options") for r in answers] == ["nosniff"] * 6


def test_another_tablet_cannot_reset_an_unfinished_upload(
    station: InProcessStation, tablet: TabletService, tmp_path: Path
) -> None:
    photo = document_photo(1200, 900, seed=23)
    sha = hashlib.sha256(photo).hexdigest()
    client = tablet.ctx.client()

    def open_as(t: TabletService, chunk: int) -> m.AttachmentStatus:
        declare = m.AttachmentDeclare("attachment.open", sha, len(photo), "image/jpeg", chunk)
        return t.ctx.client().attachment_open(
            sha,
            m.AttachmentOpenRequest(
                t.ctx.device_id, _sealed(t, KIND_ATTACHMENT_OPEN, 0, sha, m.to_json_bytes(declare))
            ),
        )

    assert open_as(tablet, 4096).chunks > 2
    client.attachment_chunk(
        sha,
        0,
        m.AttachmentChunkRequest(
            tablet.ctx.device_id, _sealed(tablet, KIND_ATTACHMENT_CHUNK, 0, sha, photo[:4096])
        ),
    )
    other = station.tablet(tmp_path / "other")
    other.unlock(*INTAKE)
    assert open_as(other, 8192).have == []  # its own upload, with its own geometry
    with pytest.raises(TaiChoError):  # garbage as chunk 1 of *its* upload only
        other.ctx.client().attachment_chunk(
            sha,
            1,
            m.AttachmentChunkRequest(
                other.ctx.device_id, _sealed(other, KIND_ATTACHMENT_CHUNK, 1, sha, b"x" * 10)
            ),
        )
    assert open_as(tablet, 4096).have == [0]  # the victim's chunk is still there
    assert upload(tablet, photo, chunk=4096).complete
    other.close()


def test_unreferenced_photos_have_a_per_tablet_quota_and_expire(
    station: InProcessStation, tablet: TabletService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAICHO_UPLOAD_ORPHAN_MAX_PHOTOS", "3")
    referenced = tablet.add_attachment(document_photo(300, 200, seed=30), None, COMPONENT)
    tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 2),
        attachments=[referenced],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 2)),
    )
    tablet.sync()  # the referenced photo does not count
    orphans = [document_photo(200, 150, seed=31 + i) for i in range(4)]
    for photo in orphans[:3]:
        assert upload(tablet, photo).complete
    err = _refused(tablet, orphans[3])
    assert err.code == "ATTACHMENT_QUOTA" and err.ctx["count"] == 3
    assert "3 ảnh" in err.message("vi")

    with station.station.session() as db:  # a fortnight later, at the next open
        dropped = attachment_service.expire_orphans(db, utc_now() + timedelta(days=15))
    assert dropped == (0, 3)
    assert not any(_held(station, hashlib.sha256(p).hexdigest()) for p in orphans)
    assert _held(station, referenced.sha256)
    assert upload(tablet, orphans[3]).complete  # room again


def test_thumbnails_are_decoded_small_and_bombs_not_at_all() -> None:
    big = document_photo(2000, 1500, seed=40)
    thumb = attachment_service.thumbnail(big)
    with Image.open(io.BytesIO(thumb)) as img:
        assert max(img.size) == 240
    with Image.open(io.BytesIO(big)) as img:  # what draft() gives the thumbnail to decode
        img.draft("RGB", (240, 240))
        assert img.size == (500, 375)  # 1/16 of the pixels
    with pytest.raises(TaiChoError) as exc:
        attachment_service.thumbnail(png_bomb())
    assert exc.value.code == "ATTACHMENT_PIXELS"


def test_migration_moves_unfinished_uploads_and_keeps_held_photos(tmp_path: Path) -> None:
    """A station upgraded mid-upload: the unfinished upload moves to its tablet's own
    table with its chunks; a photo held whole stays held (legacy: never expired)."""
    from sync_server.store import db as store

    db = store.connect(tmp_path / "old.sqlite3")
    migrations = store.Migrations("station")
    for name, sql in store.MIGRATIONS[:7]:
        migrations(name=name)(store._script(sql))
    store.storekit.migrate(db, migrations)
    db.execute(
        "INSERT INTO devices (id, name, slot, x_pub, ed_pub, escrow, enrolled_at) "
        "VALUES ('dev', 't', 1, '-', '-', '-', 'x')"
    )
    for sha, done in (("a" * 64, None), ("b" * 64, "2026-12-01T00:00:00+00:00")):
        db.execute(
            "INSERT INTO attachments (sha256, device_id, size, mime, chunk_size, chunks, "
            "chunk_puts, created_at, completed_at) VALUES (?, 'dev', 10, 'image/jpeg', 8, 2, "
            "1, '2026-12-01T00:00:00+00:00', ?)",
            (sha, done),
        )
        db.execute(
            "INSERT INTO attachment_chunks (sha256, n, data_enc, received_at) "
            "VALUES (?, 0, x'01', 'x')",
            (sha,),
        )
    assert store.migrate(db)[0] == "0008_attachments_by_device"  # later ones follow
    uploads = list(db.query("SELECT sha256, device_id, chunk_puts FROM attachment_uploads"))
    assert uploads == [{"sha256": "a" * 64, "device_id": "dev", "chunk_puts": 1}]
    assert [r["sha256"] for r in db.query("SELECT sha256 FROM upload_chunks")] == ["a" * 64]
    held = list(db.query("SELECT sha256, legacy FROM attachments"))
    assert held == [{"sha256": "b" * 64, "legacy": 1}]
    assert [r["sha256"] for r in db.query("SELECT sha256 FROM attachment_chunks")] == ["b" * 64]
