"""Photos of documents at the station: the chunked, resumable upload and the staff's read.

A tablet opens an upload (``open_upload``: the photo's SHA-256, size and chunk size, in a
signed and sealed declaration) and sends chunks (``put_chunk``), each its own envelope
signed by the device and sealed to the station, exactly as a push authenticates. Each
chunk is committed, encrypted under the storage key (associated data
``attachment_chunks:<sha256>/<n>:1``), before the answer, so after a crash the next open
lists it among those the station ``have``s and the tablet does not send it again. When
the last chunk arrives, the whole is put together and checked: its SHA-256 against the
name it was declared under, its magic bytes and header size before any decoding, then it
is re-encoded as the tablet makes pictures (``clean_photo``) and only that picture is
kept. A photo is never stored under a name it does not hash to, nor served as anything
but a JPEG the station wrote.

An unfinished upload belongs to the device that opened it (another tablet's upload of the
same photo can neither reset nor feed it); a photo held whole is shared by hash: two
tablets that photograph the same page store it once, and a dossier that refers to a photo
already here costs nothing. Photos no dossier refers to are limited per device
(``upload_orphan_max_*``) and dropped after ``upload_orphan_ttl_hours``. Staff read a
photo through the dossier that refers to it (``dossier_photo``), never by hash alone.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.attachments import (
    JPEG_QUALITY,
    MAX_CHUNKS,
    MIME_JPEG,
    STATION_MAX_SIDE,
    check_station_image,
    chunk_count,
    chunk_length,
    jpeg_essentials,
    megabytes,
    sniff_image,
)
from shared.envelope import Envelope, EnvelopeContext, open_envelope
from shared.errors import TaiChoError, problem
from shared.sync import KIND_ATTACHMENT_CHUNK, KIND_ATTACHMENT_OPEN, STATION
from sync_server.config import limits
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.devices import Device, active_device
from sync_server.services.core.keys import StationKeys
from sync_server.services.office import dossiers as dossier_service
from sync_server.store import attachments as q
from sync_server.store.db import transaction

CHUNKS_TABLE = "attachment_chunks"  # the chunks' associated data (kept from 0007)
PHOTOS_TABLE = "attachment_photos"  # the re-encoded picture's associated data
THUMB_PX = 240
_PICTURE_SLOT = threading.BoundedSemaphore(1)
_log = logging.getLogger("sync_server.attachments")
_SHA = re.compile("[0-9a-f]{64}")


def check_sha(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA.fullmatch(sha256):
        raise problem(
            "REQUEST_INVALID",
            "sha256",
            detail="sha256: 64 lower-case hex digits",
            detail_vi="mã ảnh phải là 64 chữ số hệ 16 viết thường",
        )
    return sha256


def _open(keys: StationKeys, device: Device, env: Envelope, kind: str, seq: int, sha: str) -> bytes:
    """Signature first, then the context this very request expects, then the payload."""
    expect = EnvelopeContext(kind, device.id, STATION, seq, sha, 1)
    return open_envelope(env, keys.x_sk, device.ed_pub, expect=expect)


def _status(row: dict[str, Any], have: list[int], *, complete: bool = True) -> m.AttachmentStatus:
    return m.AttachmentStatus(
        sha256=row["sha256"],
        size=int(row["size"]),
        chunk_size=int(row["chunk_size"]),
        chunks=int(row["chunks"]),
        have=have,
        complete=complete,
    )


def _quota(db: Database, device: Device, size: int) -> None:
    """Refuse a new upload when this device's photos that no dossier refers to would pass
    the per-device quota (count or bytes)."""
    lim = limits()
    count, used = q.unreferenced_of(db, device.id)
    if count + 1 > lim.upload_orphan_max_photos or used + size > lim.upload_orphan_max_bytes:
        raise problem(
            "ATTACHMENT_QUOTA",
            None,
            count=count,
            size_mb=megabytes(used),
            max_count=lim.upload_orphan_max_photos,
            max_mb=megabytes(lim.upload_orphan_max_bytes),
        )


def expire_orphans(db: Database, now: datetime | None = None) -> tuple[int, int]:
    """Drop unfinished uploads and unreferenced photos older than the TTL; returns
    (uploads, photos) dropped. Run at every upload's open and at start-up."""
    moment = now or utc_now()
    before = iso(moment - timedelta(hours=limits().upload_orphan_ttl_hours))
    with transaction(db):
        return q.expire(db, before)


def open_upload(
    db: Database, keys: StationKeys, sha256: str, req: m.AttachmentOpenRequest
) -> m.AttachmentStatus:
    """Open or resume this device's upload of one photo; the answer lists the chunks
    already here (all of them when the photo is held whole, whoever sent it)."""
    sha = check_sha(sha256)
    device = active_device(db, req.device_id)
    declare = m.from_json_bytes(
        m.AttachmentDeclare, _open(keys, device, req.declare, KIND_ATTACHMENT_OPEN, 0, sha)
    )
    if declare.sha256 != sha:
        raise problem("ENVELOPE_CONTEXT_MISMATCH", "sha256", detail="sha256")
    limit = limits().attachment_max_bytes
    if declare.size > limit:
        raise problem(
            "ATTACHMENT_TOO_LARGE",
            "size",
            size_mb=megabytes(declare.size),
            limit_mb=megabytes(limit),
        )
    chunks = chunk_count(declare.size, declare.chunk_size)
    if chunks > MAX_CHUNKS:
        raise problem(
            "REQUEST_INVALID",
            "chunk_size",
            detail=f"at most {MAX_CHUNKS} chunks",
            detail_vi=f"ảnh chia tối đa {MAX_CHUNKS} phần",
        )
    expire_orphans(db)
    with transaction(db):
        held = q.get(db, sha)
        if held is not None:
            return _status(held, list(range(int(held["chunks"]))))
        row = q.upload(db, sha, device.id)
        same = row is not None and (int(row["size"]), int(row["chunk_size"])) == (
            declare.size,
            declare.chunk_size,
        )
        if not same:
            if row is None:
                _quota(db, device, declare.size)
            q.create_upload(
                db,
                {
                    "sha256": sha,
                    "device_id": device.id,
                    "size": declare.size,
                    "mime": declare.mime,
                    "chunk_size": declare.chunk_size,
                    "chunks": chunks,
                    "created_at": iso(utc_now()),
                },
            )
            row = q.upload(db, sha, device.id)
        assert row is not None
        return _status(row, q.have(db, sha, device.id), complete=False)


def put_chunk(
    db: Database, keys: StationKeys, sha256: str, n: int, req: m.AttachmentChunkRequest
) -> m.AttachmentStatus:
    """Store chunk ``n`` (once); with the last one, put the photo together and check it."""
    sha = check_sha(sha256)
    device = active_device(db, req.device_id)
    if not 0 <= n < MAX_CHUNKS:
        raise problem(
            "ATTACHMENT_CHUNK_INVALID",
            "n",
            n=n,
            detail="out of range",
            detail_vi="số thứ tự phần nằm ngoài phạm vi",
        )
    data = _open(keys, device, req.chunk, KIND_ATTACHMENT_CHUNK, n, sha)
    status, ready = _store_chunk(db, keys, sha, device.id, n, data)
    return _finish(db, keys, sha, device.id) if ready else status


def _store_chunk(
    db: Database, keys: StationKeys, sha: str, device_id: str, n: int, data: bytes
) -> tuple[m.AttachmentStatus, bool]:
    """Store one chunk; True with the status when every chunk is now here."""
    with transaction(db):
        held = q.get(db, sha)
        if held is not None:
            q.count_put(db, sha)
            return _status(held, list(range(int(held["chunks"])))), False
        row = q.upload(db, sha, device_id)
        if row is None:
            raise problem(
                "ATTACHMENT_CHUNK_INVALID",
                "n",
                n=n,
                detail="not opened",
                detail_vi="ảnh chưa được khai báo trước khi gửi phần",
            )
        chunks, size, chunk_size = int(row["chunks"]), int(row["size"]), int(row["chunk_size"])
        if n >= chunks:
            raise problem(
                "ATTACHMENT_CHUNK_INVALID",
                "n",
                n=n,
                detail=f"only {chunks} chunks",
                detail_vi=f"ảnh chỉ có {chunks} phần",
            )
        want = chunk_length(size, chunk_size, n)
        if len(data) != want:
            raise problem(
                "ATTACHMENT_CHUNK_INVALID",
                "chunk",
                n=n,
                detail=f"{len(data)} bytes, not {want}",
                detail_vi=f"dài {len(data)} byte, cần {want} byte",
            )
        q.add_chunk(
            db, sha, device_id, n, keys.encrypt(CHUNKS_TABLE, f"{sha}/{n}", 1, data), iso(utc_now())
        )
        have = q.have(db, sha, device_id)
        return _status(row, have, complete=False), len(have) == chunks


def _finish(db: Database, keys: StationKeys, sha: str, device_id: str) -> m.AttachmentStatus:
    """Every chunk is here: put the photo together, check its hash, its magic bytes and
    size (before decoding), re-encode it (outside the write lock, one picture at a time),
    then hold it whole and drop the chunks. A photo that is not what it was named, or not
    a picture the station accepts, is dropped with its chunks and the error raised."""
    row = q.upload(db, sha, device_id)
    if row is None:  # a parallel resend of the last chunk finished it meanwhile
        held = q.get(db, sha)
        if held is None:
            raise problem(
                "ATTACHMENT_CHUNK_INVALID",
                "n",
                n=0,
                detail="not opened",
                detail_vi="chưa mở tải lên",
            )
        return _status(held, list(range(int(held["chunks"]))))
    whole = b"".join(
        keys.decrypt(CHUNKS_TABLE, f"{sha}/{n}", 1, blob)
        for n, blob in q.upload_chunks(db, sha, device_id)
    )
    error: TaiChoError | None = None
    clean: tuple[bytes, int, int] | None = None
    if hashlib.sha256(whole).hexdigest() != sha:
        # Kept out of the store for good: the tablet's copy is not what it named.
        error = problem("ATTACHMENT_HASH_MISMATCH", "sha256")
    else:
        try:
            clean = clean_photo(whole, str(row["mime"]))
        except TaiChoError as err:
            _log.warning("photo %s from %s refused: %s", sha[:12], device_id, err.code)
            error = err
    with transaction(db):
        if error is None and clean is not None and q.get(db, sha) is None:
            picture, width, height = clean
            q.complete(
                db,
                {
                    **{k: row[k] for k in ("sha256", "size", "chunk_size", "chunks")},
                    "device_id": device_id,
                    "mime": MIME_JPEG,
                    "chunk_puts": int(row["chunk_puts"]),
                    "created_at": row["created_at"],
                    "completed_at": iso(utc_now()),
                    "photo_enc": keys.encrypt(PHOTOS_TABLE, sha, 1, picture),
                    "width": width,
                    "height": height,
                },
            )
        q.drop_upload(db, sha, device_id)
    if error is not None:
        raise error
    held = q.get(db, sha)
    assert held is not None
    return _status(held, list(range(int(held["chunks"]))))


@contextmanager
def _picture_slot() -> Iterator[None]:
    """The station decodes one picture at a time (re-encoding, thumbnails): a dossier of
    60 photos opened on three desks cannot multiply the memory a picture takes."""
    wait = limits().image_queue_seconds
    if not _PICTURE_SLOT.acquire(timeout=wait):
        raise problem("RATE_LIMITED", None, wait=wait)
    try:
        yield
    finally:
        _PICTURE_SLOT.release()


def clean_photo(data: bytes, declared_mime: str) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of an uploaded photo as the station keeps it: whatever
    else the file held (a page after the picture, metadata, comments) is gone.

    The magic bytes and the header's size are checked first (``shared.attachments.
    check_station_image``): nothing is decoded that is not a JPEG or PNG within
    ``STATION_MAX_SIDE``. A JPEG is rewritten with only the segments a picture needs
    (``jpeg_essentials``, lossless: a tablet's picture comes back byte for byte and keeps
    its name) and then decoded in full, to prove it is one; any other picture (a PNG, a
    CMYK JPEG) is re-encoded as the tablet does, a JPEG on white.
    """
    width, height = check_station_image(data, declared_mime)
    essentials = jpeg_essentials(data) if declared_mime == MIME_JPEG else None
    if declared_mime == MIME_JPEG and essentials is None:
        raise problem("ATTACHMENT_NOT_IMAGE", "photo")
    from PIL import Image, UnidentifiedImageError

    source = essentials if essentials is not None else data
    with _picture_slot():
        try:
            with Image.open(io.BytesIO(source), formats=("JPEG", "PNG")) as img:
                if img.size != (width, height):  # two headers that disagree
                    raise problem("ATTACHMENT_NOT_IMAGE", "photo")
                img.load()
                if essentials is not None and img.mode in ("RGB", "L"):
                    return essentials, width, height
                out = io.BytesIO()
                _flat(img).save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise problem(
                "ATTACHMENT_PIXELS", "photo", width=width, height=height, max_side=STATION_MAX_SIDE
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
            _log.info("photo is not a readable picture: %s", type(err).__name__)
            raise problem("ATTACHMENT_NOT_IMAGE", "photo") from None
    return out.getvalue(), width, height


def _flat(img: Any) -> Any:
    from PIL import Image

    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return img.convert("RGB") if img.mode not in ("RGB", "L") else img


def photo_bytes(db: Database, keys: StationKeys, sha256: str) -> tuple[str, bytes]:
    """(mime, bytes) of a photo held whole; ATTACHMENT_NOT_RECEIVED otherwise."""
    row = q.get(db, sha256)
    if row is None:
        raise problem("ATTACHMENT_NOT_RECEIVED", "sha256")
    if row["photo_enc"] is not None:
        return MIME_JPEG, keys.decrypt(PHOTOS_TABLE, sha256, 1, row["photo_enc"])
    legacy = b"".join(
        keys.decrypt(CHUNKS_TABLE, f"{sha256}/{n}", 1, blob)
        for n, blob in q.legacy_chunks(db, sha256)
    )
    # Completed before the checks existed: served only if it is a picture after all.
    mime = sniff_image(legacy)
    if mime is None:
        raise problem("ATTACHMENT_NOT_RECEIVED", "sha256")
    return mime, legacy


def dossier_photo(
    db: Database, keys: StationKeys, dossier_id: str, sha256: str
) -> tuple[str, bytes]:
    """A photo the dossier refers to (the staff's read: never a photo by hash alone)."""
    sha = check_sha(sha256)
    d = dossier_service.load(db, keys, dossier_id)
    if sha not in {a.sha256 for a in d.attachments}:
        raise problem("ATTACHMENT_NOT_FOUND", "sha256")
    return photo_bytes(db, keys, sha)


def received(db: Database, hashes: list[str]) -> set[str]:
    """Which of these photos have arrived whole."""
    return q.completed(db, list(dict.fromkeys(hashes)))


def thumbnail(data: bytes, px: int = THUMB_PX) -> bytes:
    """A small JPEG of a stored photo, for the desk's list, in bounded memory.

    The header's size is checked before decoding (a photo stored before the checks may
    be anything); a JPEG is decoded at 1/2, 1/4 or 1/8 scale (``draft``), so a 2000-px
    photo costs about a 250-px decode; one picture at a time (``_picture_slot``).
    """
    mime = sniff_image(data)
    if mime is None:
        raise problem("ATTACHMENT_NOT_IMAGE", "photo")
    check_station_image(data, mime)
    from PIL import Image

    with _picture_slot(), Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as img:
        if img.format == "JPEG":
            img.draft("RGB" if img.mode not in ("L",) else "L", (px, px))
        img.load()
        small = img.convert("RGB") if img.mode not in ("RGB", "L") else img.copy()
    small.thumbnail((px, px))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=75)
    return out.getvalue()
