"""Photos of documents from the tablet to the station (in-process station: the real app,
real SQLite, real crypto): chunked upload, idempotent re-upload, the size limit, a wrong
hash, and the staff's read. The station killed mid-upload is tests/integration's."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mobile.services.tablet import TabletService
from shared import messages as m
from shared.checklist import every_component
from shared.envelope import Envelope
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.sync import KIND_ATTACHMENT_CHUNK, KIND_ATTACHMENT_OPEN
from shared.workdays import vn_now
from tests.mobile.conftest import APPRAISER, INTAKE, InProcessStation
from tests.mobile.test_attachments import COMPONENT, PROC, document_photo

CHUNK = 16 * 1024


@pytest.fixture
def tablet(station: InProcessStation, tmp_path: Path) -> Iterator[TabletService]:
    t = station.tablet(tmp_path / "tablet")
    t.unlock(*INTAKE)
    t.attachments.chunk_size = CHUNK
    yield t
    t.close()


def _auth(station: InProcessStation, who: tuple[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {station.token(*who)}"}


def _station_row(station: InProcessStation, sha: str) -> dict[str, object] | None:
    with station.station.session() as db:
        rows = list(db.query("SELECT * FROM attachments WHERE sha256 = ?", [sha]))
    return rows[0] if rows else None


def test_photo_reaches_the_station_and_staff_read_it(
    station: InProcessStation, tablet: TabletService, tmp_path: Path
) -> None:
    ref = tablet.add_attachment(document_photo(seed=11), "image/jpeg", COMPONENT)
    chunks = -(-ref.size // CHUNK)
    assert chunks >= 3
    d = tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 1),
        attachments=[ref],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 1)),
    )
    # Referenced but not uploaded yet: the station says so.
    tablet.outbox.push(tablet.ctx.client())
    url = f"/v1/dossiers/{d.id}/attachments/{ref.sha256}"
    r = station.http.get(url, headers=_auth(station, APPRAISER))
    assert r.status_code == 409 and r.json()["code"] == "ATTACHMENT_NOT_RECEIVED"

    tablet.sessions.lock()  # the chunks were sealed at intake: the upload needs no unlock
    report = tablet.sync()
    assert (report.photo_chunks_sent, report.photo_chunks_skipped) == (chunks, 0)
    assert report.photos_pending == 0 and report.photos_refused == ()
    state = tablet.attachments.upload_state(ref.sha256)
    assert state is not None and state["uploaded_at"] and state["sent"] == chunks
    left = tablet.store.db.execute("SELECT count(*) FROM attachment_chunks").fetchone()[0]
    assert left == 0  # sealed copies dropped once the station has the whole

    r = station.http.get(url, headers=_auth(station, APPRAISER))
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert hashlib.sha256(r.content).hexdigest() == ref.sha256
    detail = station.http.get(f"/v1/dossiers/{d.id}", headers=_auth(station, APPRAISER)).json()
    assert detail["attachments"][0]["sha256"] == ref.sha256
    # At rest on the station the chunks are encrypted.
    station_db = b"".join(
        p.read_bytes() for p in (tmp_path / "station").glob("station.db*") if p.is_file()
    )
    assert b"JFIF" not in station_db and r.content[100:164] not in station_db
    row = _station_row(station, ref.sha256)
    assert row is not None and row["chunk_puts"] == chunks

    # A second sync sends nothing; the same photo in another dossier costs nothing either.
    assert tablet.sync().photo_chunks_sent == 0


def test_the_same_photo_from_another_tablet_is_not_sent_again(
    station: InProcessStation, tablet: TabletService, tmp_path: Path
) -> None:
    raw = document_photo(seed=12)
    ref = tablet.add_attachment(raw, "image/jpeg", COMPONENT)
    tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 2),
        attachments=[ref],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 2)),
    )
    tablet.sync()
    other = station.tablet(tmp_path / "other")
    other.unlock(*INTAKE)
    other.attachments.chunk_size = CHUNK
    again = other.add_attachment(raw, "image/jpeg", COMPONENT)
    assert again.sha256 == ref.sha256
    other.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 3),
        attachments=[again],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 3)),
    )
    report = other.sync()
    assert report.photo_chunks_sent == 0 and report.photo_chunks_skipped == -(-ref.size // CHUNK)
    assert report.photos_pending == 0
    other.close()


def test_a_photo_over_the_station_limit_is_refused_clearly(
    station: InProcessStation, tablet: TabletService, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tablet.add_attachment(document_photo(seed=13), "image/jpeg", COMPONENT)
    small = tablet.add_attachment(document_photo(300, 200, seed=14), "image/jpeg", "requester_id")
    assert small.size < 40_000 < big.size
    monkeypatch.setenv("TAICHO_ATTACHMENT_MAX_BYTES", "40000")
    tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 4),
        attachments=[big, small],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 4)),
    )
    report = tablet.sync()
    assert report.photos_refused == ({"sha256": big.sha256, "code": "ATTACHMENT_TOO_LARGE"},)
    assert report.photos_pending == 0  # the small one went; the big one waits aside
    assert tablet.attachments.upload_state(small.sha256)["uploaded_at"]  # type: ignore[index]
    assert _station_row(station, big.sha256) is None
    # The answer itself: 413, a problem naming the limit.
    row = tablet.store.db.execute(
        "SELECT declare FROM attachment_uploads WHERE sha256 = ?", [big.sha256]
    ).fetchone()
    body = {"device_id": tablet.ctx.device_id, "declare": json.loads(row[0])}
    r = station.http.put(f"/v1/sync/attachments/{big.sha256}", json=body)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["code"] == "ATTACHMENT_TOO_LARGE"
    assert "tối đa 0.04 MB" in problem["message"] and problem["params"]["limit_mb"] == "0.04"


def _sealed(tablet: TabletService, kind: str, seq: int, sha: str, payload: bytes) -> Envelope:
    return Envelope.from_json(json.loads(tablet.attachments._seal(kind, seq, sha, payload)))


def test_chunks_that_do_not_hash_to_the_name_are_dropped(
    station: InProcessStation, tablet: TabletService
) -> None:
    data = b"not the photo it claims to be " * 400  # 12 000 bytes
    sha = hashlib.sha256(b"something else").hexdigest()
    client = tablet.ctx.client()
    declare = m.AttachmentDeclare("attachment.open", sha, len(data), "image/jpeg", 8192)
    status = client.attachment_open(
        sha,
        m.AttachmentOpenRequest(
            tablet.ctx.device_id,
            _sealed(tablet, KIND_ATTACHMENT_OPEN, 0, sha, m.to_json_bytes(declare)),
        ),
    )
    assert (status.chunks, status.have, status.complete) == (2, [], False)
    first = m.AttachmentChunkRequest(
        tablet.ctx.device_id, _sealed(tablet, KIND_ATTACHMENT_CHUNK, 0, sha, data[:8192])
    )
    assert client.attachment_chunk(sha, 0, first).have == [0]
    with pytest.raises(TaiChoError) as exc:
        client.attachment_chunk(
            sha,
            1,
            m.AttachmentChunkRequest(
                tablet.ctx.device_id, _sealed(tablet, KIND_ATTACHMENT_CHUNK, 1, sha, data[8192:])
            ),
        )
    assert exc.value.code == "ATTACHMENT_HASH_MISMATCH"
    again = client.attachment_open(
        sha,
        m.AttachmentOpenRequest(
            tablet.ctx.device_id,
            _sealed(tablet, KIND_ATTACHMENT_OPEN, 0, sha, m.to_json_bytes(declare)),
        ),
    )
    assert again.have == [] and not again.complete  # nothing of it was kept


def _three_chunk_jpeg() -> bytes:
    """A real JPEG of 8 193–12 288 bytes: three chunks of 4096 (the station keeps only
    pictures, issue 22)."""
    from PIL import Image

    for side in range(40, 400, 4):
        out = io.BytesIO()
        Image.effect_noise((side, side), 40).convert("RGB").save(out, "JPEG", quality=90)
        if 8192 < len(out.getvalue()) <= 12288:
            return out.getvalue()
    raise AssertionError("no JPEG of three chunks")


def test_bad_chunks_and_envelopes_are_refused(
    station: InProcessStation, tablet: TabletService
) -> None:
    data = _three_chunk_jpeg()
    sha = hashlib.sha256(data).hexdigest()
    client = tablet.ctx.client()

    def chunk(n: int, payload: bytes, seq: int | None = None) -> m.AttachmentChunkRequest:
        env = _sealed(tablet, KIND_ATTACHMENT_CHUNK, n if seq is None else seq, sha, payload)
        return m.AttachmentChunkRequest(tablet.ctx.device_id, env)

    with pytest.raises(TaiChoError) as exc:  # not opened yet
        client.attachment_chunk(sha, 0, chunk(0, data[:4096]))
    assert exc.value.code == "ATTACHMENT_CHUNK_INVALID"
    declare = m.AttachmentDeclare("attachment.open", sha, len(data), "image/jpeg", 4096)
    client.attachment_open(
        sha,
        m.AttachmentOpenRequest(
            tablet.ctx.device_id,
            _sealed(tablet, KIND_ATTACHMENT_OPEN, 0, sha, m.to_json_bytes(declare)),
        ),
    )
    with pytest.raises(TaiChoError) as exc:  # a short chunk in the middle
        client.attachment_chunk(sha, 1, chunk(1, data[4096:5000]))
    assert (exc.value.code, exc.value.field) == ("ATTACHMENT_CHUNK_INVALID", "chunk")
    with pytest.raises(TaiChoError) as exc:  # beyond the last chunk
        client.attachment_chunk(sha, 3, chunk(3, data[:4096]))
    assert exc.value.code == "ATTACHMENT_CHUNK_INVALID"
    with pytest.raises(TaiChoError) as exc:  # chunk 0's envelope sent as chunk 1
        client.attachment_chunk(sha, 1, chunk(1, data[:4096], seq=0))
    assert exc.value.code == "ENVELOPE_CONTEXT_MISMATCH"
    # A sha in the path that is not hex is refused before anything is read.
    r = station.http.put(
        "/v1/sync/attachments/NOTAHASH",
        json={"device_id": tablet.ctx.device_id, "declare": {}},
    )
    assert r.status_code == 400 and r.json()["code"] == "REQUEST_INVALID"
    # The three chunks, one sent twice: stored once, then complete.
    for n in (0, 1, 1, 2):
        status = client.attachment_chunk(sha, n, chunk(n, data[n * 4096 : (n + 1) * 4096]))
    assert status.complete and status.have == [0, 1, 2]
    row = _station_row(station, sha)
    assert row is not None and row["completed_at"] and row["chunk_puts"] == 4


def test_staff_read_only_photos_of_the_dossier(
    station: InProcessStation, tablet: TabletService
) -> None:
    ref = tablet.add_attachment(document_photo(400, 300, seed=15), "image/jpeg", COMPONENT)
    d = tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 5),
        attachments=[ref],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 5)),
    )
    tablet.sync()
    url = f"/v1/dossiers/{d.id}/attachments/{ref.sha256}"
    assert station.http.get(url).status_code == 401
    admin = station.http.get(url, headers=_auth(station, ("quantri", "567890")))
    assert admin.status_code == 403
    other = station.http.get(
        f"/v1/dossiers/{d.id}/attachments/{'a' * 64}", headers=_auth(station, APPRAISER)
    )
    assert other.status_code == 404 and other.json()["code"] == "ATTACHMENT_NOT_FOUND"
    ok = station.http.get(url, headers=_auth(station, APPRAISER))
    assert ok.status_code == 200 and hashlib.sha256(ok.content).hexdigest() == ref.sha256


def test_desk_backend_lists_photos_with_thumbnails_and_what_is_missing(
    station: InProcessStation, tablet: TabletService
) -> None:
    from PIL import Image

    from sync_server.desk.backend import DeskBackend

    sent = tablet.add_attachment(document_photo(900, 1200, seed=16), "image/jpeg", COMPONENT)
    held = tablet.add_attachment(document_photo(500, 400, seed=17), None, "requester_id")
    d = tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 6),
        attachments=[sent, held],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 6)),
    )
    tablet.store.db.execute(
        "UPDATE attachment_uploads SET error = 'HELD' WHERE sha256 = ?", [held.sha256]
    )
    tablet.sync()
    desk = DeskBackend(station.station)
    who = desk.login(*APPRAISER)
    first, second = desk.photos(who, d.id)
    assert (first["sha256"], first["received"], second["received"]) == (
        sent.sha256,
        True,
        False,
    )
    assert "thumb" not in second and "url" not in second
    with Image.open(io.BytesIO(first["thumb"])) as thumb:
        assert max(thumb.size) == 240
    ticket = first["url"].rsplit("/", 1)[-1]
    mime, data = desk.photo_file(ticket)  # type: ignore[misc]
    assert mime == "image/jpeg" and hashlib.sha256(data).hexdigest() == sent.sha256
    assert desk.photo_file("not-a-ticket") is None
    assert desk.result_pdf(ticket) is None  # a photo link is not a result link
    admin = desk.login("quantri", "567890")
    with pytest.raises(TaiChoError) as exc:
        desk.photos(admin, d.id)
    assert exc.value.code == "ROLE_NOT_ALLOWED"
