"""The tablet's photo store: downscaled, stripped, content-addressed, de-duplicated and
encrypted at rest; referenced from dossiers and queued for upload with them.

Real Pillow pictures, a real SQLite file, real crypto, the real station app in-process.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from mobile.services import attachments as attachments_mod
from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.tablet_kit import db_bytes

PROC = "1.001193"
COMPONENT = "birth_certificate_medical"


def document_photo(width: int = 3000, height: int = 2250, *, seed: int = 1) -> bytes:
    """A camera-sized 'photo' of a printed page: lines of text on paper, as JPEG."""
    img = Image.new("RGB", (width, height), (236, 232, 220))
    draw = ImageDraw.Draw(img)
    for i in range(40):
        y = 60 + i * (height // 45)
        draw.text(
            (80, y), f"GIAY CHUNG SINH so {seed:04d}-{i:02d} Tran Thi Thu Ha", fill=(20, 20, 20)
        )
        draw.line((80, y + 20, width - 80 - (i * 37 + seed) % 400, y + 20), fill=(90, 90, 90))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_photo_is_downscaled_recompressed_and_named_by_its_hash(tablet: TabletService) -> None:
    raw = document_photo()
    ref = tablet.add_attachment(raw, "image/jpeg", COMPONENT)
    stored = tablet.attachments.get(ref.sha256)
    assert hashlib.sha256(stored).hexdigest() == ref.sha256
    assert ref.size == len(stored) and ref.mime == "image/jpeg" and ref.component == COMPONENT
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert max(img.size) == 2000 and (img.width, img.height) == (ref.width, ref.height)
        assert abs(img.width / img.height - 3000 / 2250) < 0.01  # aspect kept
    assert len(stored) < len(raw)


def test_the_same_photo_twice_is_stored_once(tablet: TabletService) -> None:
    raw = document_photo(seed=2)
    a = tablet.add_attachment(raw, "image/jpeg", COMPONENT)
    b = tablet.add_attachment(raw, None, "requester_id")
    assert a.sha256 == b.sha256 and a.taken_at == b.taken_at
    assert b.component == "requester_id"
    count = tablet.store.db.execute("SELECT count(*) FROM attachments").fetchone()[0]
    assert count == 1
    other = tablet.add_attachment(document_photo(seed=3), None, COMPONENT)
    assert other.sha256 != a.sha256
    assert tablet.store.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 2


def test_camera_rotation_is_applied_and_metadata_dropped(tablet: TabletService) -> None:
    img = Image.new("RGB", (800, 400), (250, 250, 250))
    ImageDraw.Draw(img).rectangle((0, 0, 100, 100), fill=(200, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x010F] = "SECRETCAMERA-MAKER"  # Make
    exif[0x8825] = {2: (10.0, 30.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    ref = tablet.add_attachment(out.getvalue(), "image/jpeg", COMPONENT)
    stored = tablet.attachments.get(ref.sha256)
    assert b"SECRETCAMERA" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as shown:
        assert shown.size == (400, 800)  # upright, as the camera meant it
        assert not shown.getexif()
        assert "icc_profile" not in shown.info


def test_png_with_transparency_becomes_a_jpeg_on_white(tablet: TabletService) -> None:
    img = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((50, 50, 100, 100), fill=(0, 0, 0, 255))
    out = io.BytesIO()
    img.save(out, "PNG")
    ref = tablet.add_attachment(out.getvalue(), "image/png", COMPONENT)
    with Image.open(io.BytesIO(tablet.attachments.get(ref.sha256))) as shown:
        assert shown.format == "JPEG" and shown.size == (300, 200)
        assert min(shown.convert("L").getpixel((5, 5)), 255) > 240  # transparent → white
        assert shown.convert("L").getpixel((75, 75)) < 40


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
        b"hello, not a picture",
        document_photo(400, 300)[:600],  # a truncated JPEG
    ],
    ids=["empty", "pdf", "text", "truncated-jpeg"],
)
def test_what_is_not_a_picture_is_refused(tablet: TabletService, data: bytes) -> None:
    with pytest.raises(TaiChoError) as exc:
        tablet.add_attachment(data, "image/jpeg", COMPONENT)
    assert exc.value.code == "ATTACHMENT_NOT_IMAGE"
    assert "ảnh" in exc.value.message("vi")
    assert tablet.store.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0


def test_too_large_inputs_are_refused_with_the_limit(
    tablet: TabletService, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = document_photo(1200, 900)
    monkeypatch.setattr(attachments_mod, "MAX_INPUT_BYTES", 100 * 1024)
    with pytest.raises(TaiChoError) as exc:
        tablet.add_attachment(raw + b"\0" * 200 * 1024, "image/jpeg", COMPONENT)
    assert exc.value.code == "ATTACHMENT_TOO_LARGE"
    assert exc.value.entry.status == 413
    assert "tối đa 0.1 MB" in exc.value.message("vi")
    monkeypatch.setattr(attachments_mod, "MAX_INPUT_BYTES", 25 * 1024 * 1024)
    monkeypatch.setattr(attachments_mod, "MAX_INPUT_PIXELS", 1000 * 800)
    with pytest.raises(TaiChoError) as exc:
        tablet.add_attachment(raw, "image/jpeg", COMPONENT)  # 1.08 MP: over, before decoding
    assert exc.value.code == "ATTACHMENT_TOO_LARGE"


def test_photos_are_encrypted_at_rest(tablet: TabletService, tmp_path: Path) -> None:
    ref = tablet.add_attachment(document_photo(seed=4), "image/jpeg", COMPONENT)
    stored = tablet.attachments.get(ref.sha256)
    values = sample_values(PROC, vn_now().date(), 1)
    tablet.intake(
        PROC, values, attachments=[ref], components_received=every_component(PROC, values)
    )  # also seals the chunks for the station
    tablet.store.db.execute("PRAGMA wal_checkpoint(FULL)")
    raw = db_bytes(tmp_path / "tablet")
    # The JPEG's own "JFIF\0\1" marker (6 bytes: the bare letters "JFIF" turn up by chance
    # in a few MB of base64 ciphertext, which failed a CI run).
    assert stored[6:12] == b"JFIF\x00\x01" and stored[6:12] not in raw
    for at in (0, len(stored) // 2, len(stored) - 64):
        assert stored[at : at + 64] not in raw
    # Locked, nothing is readable or addable.
    tablet.sessions.lock()
    with pytest.raises(TaiChoError) as exc:
        tablet.attachments.get(ref.sha256)
    assert exc.value.code == "LOCKED"
    with pytest.raises(TaiChoError) as exc:
        tablet.add_attachment(document_photo(seed=5), "image/jpeg", COMPONENT)
    assert exc.value.code == "LOCKED"


def test_dossier_refers_to_its_photos_and_queues_them(tablet: TabletService) -> None:
    a = tablet.add_attachment(document_photo(seed=6), "image/jpeg", COMPONENT)
    b = tablet.add_attachment(document_photo(seed=7), "image/jpeg", "requester_id")
    values = sample_values(PROC, vn_now().date(), 2)
    summary = tablet.intake(
        PROC, values, attachments=[a, b], components_received=every_component(PROC, values)
    )
    shown = tablet.dossiers.get(summary.id)
    assert [x["sha256"] for x in shown["attachments"]] == [a.sha256, b.sha256]
    assert shown["attachments"][0]["component"] == COMPONENT
    assert tablet.attachments.pending_count() == 2
    state = tablet.attachments.upload_state(a.sha256)
    assert state is not None and state["chunks"] == -(-a.size // (256 * 1024))
    # The same photo in a second dossier is not queued twice.
    tablet.intake(
        PROC,
        sample_values(PROC, vn_now().date(), 3),
        attachments=[a],
        components_received=every_component(PROC, sample_values(PROC, vn_now().date(), 3)),
    )
    assert tablet.attachments.pending_count() == 2


def test_a_reference_to_a_photo_not_held_here_is_refused(tablet: TabletService) -> None:
    ref = tablet.add_attachment(document_photo(seed=8), "image/jpeg", COMPONENT)
    ghost = type(ref)(**{**ref.to_dict(), "sha256": "0" * 64})
    values = sample_values(PROC, vn_now().date(), 4)
    with pytest.raises(TaiChoError) as exc:
        tablet.intake(
            PROC,
            values,
            attachments=[ref, ghost],
            components_received=every_component(PROC, values),
        )
    assert (exc.value.code, exc.value.field) == ("ATTACHMENT_UNKNOWN", "attachments[1]")
    assert tablet.sync_state().pending == 0 and tablet.attachments.pending_count() == 0
    wrong = type(ref)(**{**ref.to_dict(), "component": "no_such_component"})
    with pytest.raises(TaiChoError) as exc:
        tablet.intake(
            PROC, values, attachments=[wrong], components_received=every_component(PROC, values)
        )
    assert (exc.value.code, exc.value.field) == ("REQUEST_INVALID", "attachments[0].component")
