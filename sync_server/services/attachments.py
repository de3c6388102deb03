"""Photos of documents at the station: the chunked, resumable upload and the staff's read.

A tablet opens an upload (``open_upload``: the photo's SHA-256, size and chunk size, in a
signed and sealed declaration) and sends chunks (``put_chunk``), each its own envelope
signed by the device and sealed to the station, exactly as a push authenticates. Each
chunk is committed, encrypted under the storage key (associated data
``attachment_chunks:<sha256>/<n>:1``), before the answer, so after a crash the next open
lists it among those the station ``have``s and the tablet does not send it again. When
the last chunk arrives, the whole is put together and its SHA-256 checked against the
name it was declared under: a photo is never stored under a name it does not hash to.

Photos are keyed by hash alone: two tablets that photograph the same page share one
upload, and a dossier that refers to a photo already here costs nothing. Staff read a
photo through the dossier that refers to it (``dossier_photo``), never by hash alone.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.attachments import MAX_CHUNKS, chunk_count, chunk_length, megabytes
from shared.envelope import Envelope, EnvelopeContext, open_envelope
from shared.errors import TaiChoError, problem
from shared.sync import KIND_ATTACHMENT_CHUNK, KIND_ATTACHMENT_OPEN, STATION
from sync_server.config import limits
from sync_server.services import dossiers as dossier_service
from sync_server.services.clock import iso, utc_now
from sync_server.services.enrollment import Device, active_device
from sync_server.services.keys import StationKeys
from sync_server.store import attachments as q
from sync_server.store.db import transaction

CHUNKS_TABLE = "attachment_chunks"
THUMB_PX = 240
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


def _status(row: dict[str, Any], have: list[int]) -> m.AttachmentStatus:
    return m.AttachmentStatus(
        sha256=row["sha256"],
        size=int(row["size"]),
        chunk_size=int(row["chunk_size"]),
        chunks=int(row["chunks"]),
        have=have,
        complete=row["completed_at"] is not None,
    )


def open_upload(
    db: Database, keys: StationKeys, sha256: str, req: m.AttachmentOpenRequest
) -> m.AttachmentStatus:
    """Open or resume one photo's upload; the answer lists the chunks already here."""
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
    with transaction(db):
        row = q.get(db, sha)
        same = row is not None and (int(row["size"]), int(row["chunk_size"])) == (
            declare.size,
            declare.chunk_size,
        )
        if row is None or (not same and row["completed_at"] is None):
            q.create(
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
            row = q.get(db, sha)
        assert row is not None
        if row["completed_at"] is not None:
            return _status(row, list(range(int(row["chunks"]))))
        return _status(row, q.have(db, sha))


@dataclass
class _Outcome:
    status: m.AttachmentStatus | None
    error: TaiChoError | None


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
    outcome = _store_chunk(db, keys, sha, n, data)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.status is not None
    return outcome.status


def _store_chunk(db: Database, keys: StationKeys, sha: str, n: int, data: bytes) -> _Outcome:
    with transaction(db):
        row = q.get(db, sha)
        if row is None:
            raise problem(
                "ATTACHMENT_CHUNK_INVALID",
                "n",
                n=n,
                detail="not opened",
                detail_vi="ảnh chưa được khai báo trước khi gửi phần",
            )
        chunks, size, chunk_size = int(row["chunks"]), int(row["size"]), int(row["chunk_size"])
        if row["completed_at"] is not None:
            q.count_put(db, sha)
            return _Outcome(_status(row, list(range(chunks))), None)
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
        at = iso(utc_now())
        q.add_chunk(db, sha, n, keys.encrypt(CHUNKS_TABLE, f"{sha}/{n}", 1, data), at)
        have = q.have(db, sha)
        if len(have) < chunks:
            return _Outcome(_status(row, have), None)
        whole = _assemble(db, keys, sha)
        if hashlib.sha256(whole).hexdigest() != sha:
            # Kept out of the store for good: the tablet's copy is not what it named.
            q.drop_chunks(db, sha)
            return _Outcome(None, problem("ATTACHMENT_HASH_MISMATCH", "sha256"))
        q.complete(db, sha, at)
        done = q.get(db, sha)
        assert done is not None
        return _Outcome(_status(done, have), None)


def _assemble(db: Database, keys: StationKeys, sha: str) -> bytes:
    return b"".join(
        keys.decrypt(CHUNKS_TABLE, f"{sha}/{n}", 1, blob) for n, blob in q.chunks(db, sha)
    )


def photo_bytes(db: Database, keys: StationKeys, sha256: str) -> tuple[str, bytes]:
    """(mime, bytes) of a photo held whole; ATTACHMENT_NOT_RECEIVED otherwise."""
    row = q.get(db, sha256)
    if row is None or row["completed_at"] is None:
        raise problem("ATTACHMENT_NOT_RECEIVED", "sha256")
    return str(row["mime"]), _assemble(db, keys, sha256)


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
    """A small JPEG of a stored photo, for the desk's list (made on demand)."""
    from PIL import Image

    with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as img:
        img.load()
        small = img.convert("RGB") if img.mode not in ("RGB", "L") else img.copy()
    small.thumbnail((px, px))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=75)
    return out.getvalue()
