"""The tablet's photos of documents: readable, small, encrypted, named by their hash.

``put`` turns whatever the camera or file picker gave into the one form we keep: a JPEG
(quality 80) whose long side is at most 2000 px — an A4 page stays readable — with the
camera's rotation applied and every piece of metadata (EXIF, GPS, ICC) dropped. The
picture is named by the SHA-256 of those bytes, so taking the same photo twice stores it
once, and sealed under the data key like a dossier (AAD ``attachment:<sha256>``).

When a received dossier refers to a picture, ``queue`` seals its declaration and chunks
to the station (as the outbox seals changes), so the upload runs while the tablet is
locked; ``upload`` sends them after the push, asking the station first which chunks it
already holds, so a broken connection never costs the finished chunks again. Limits live
in ``shared/attachments.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mobile.services import attachment_store as q
from mobile.services.context import TabletContext
from mobile.services.progress import ATTACH, SyncProgress
from mobile.services.sync_client import SyncClient
from shared import messages as m
from shared.attachments import (
    CHUNK_SIZE,
    JPEG_QUALITY,
    LONG_SIDE,
    MAX_INPUT_BYTES,
    MAX_INPUT_PIXELS,
    MAX_STORED_BYTES,
    MIME_JPEG,
    megabytes,
)
from shared.envelope import Envelope, EnvelopeContext, seal_envelope
from shared.errors import TaiChoError, problem
from shared.model import AttachmentRef
from shared.sync import KIND_ATTACHMENT_CHUNK, KIND_ATTACHMENT_OPEN, STATION

_log = logging.getLogger("mobile")
# Answers that will not change by sending again: the picture waits aside with the code.
_PERMANENT = frozenset(
    {
        "ATTACHMENT_TOO_LARGE",
        "ATTACHMENT_HASH_MISMATCH",
        "ATTACHMENT_NOT_IMAGE",
        "ATTACHMENT_PIXELS",
        "REQUEST_INVALID",
    }
)
# Answers about one picture that the next sync may not get again: skip it this time.
_RETRY_LATER = frozenset(
    {"ATTACHMENT_CHUNK_INVALID", "ENVELOPE_CONTEXT_MISMATCH", "ATTACHMENT_QUOTA"}
)


def _too_large(size: int, limit: int) -> TaiChoError:
    return problem(
        "ATTACHMENT_TOO_LARGE", "photo", size_mb=megabytes(size), limit_mb=megabytes(limit)
    )


def prepare_image(data: bytes) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of a photo, downscaled and stripped; or a problem.

    Only JPEG, PNG and WebP are decoded (``Image.open(formats=...)``): a PDF, a text or a
    damaged file is ATTACHMENT_NOT_IMAGE; a file or picture beyond the limits is
    ATTACHMENT_TOO_LARGE, checked before the pixels are decoded.
    """
    if not data:
        raise problem("ATTACHMENT_NOT_IMAGE", "photo")
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(len(data), MAX_INPUT_BYTES)
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=("JPEG", "PNG", "WEBP")) as opened:
            if opened.width * opened.height > MAX_INPUT_PIXELS:
                raise _too_large(len(data), MAX_INPUT_BYTES)
            opened.load()
            img = ImageOps.exif_transpose(opened)
    except Image.DecompressionBombError:
        raise _too_large(len(data), MAX_INPUT_BYTES) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        _log.info("attachment is not a readable picture: %s", type(err).__name__)
        raise problem("ATTACHMENT_NOT_IMAGE", "photo") from None
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        img = flat
    elif img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    img.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    img.info.clear()  # no EXIF, GPS or colour profile travels with the picture
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    stored = out.getvalue()
    if len(stored) > MAX_STORED_BYTES:
        raise _too_large(len(stored), MAX_STORED_BYTES)
    return stored, img.width, img.height


@dataclass(frozen=True)
class StoredPhoto:
    """A picture in the tablet's store (what a reference to it says)."""

    sha256: str
    mime: str
    size: int
    width: int
    height: int
    taken_at: str

    def ref(self, component: str) -> AttachmentRef:
        return AttachmentRef(
            sha256=self.sha256,
            component=component,
            mime=self.mime,
            size=self.size,
            width=self.width,
            height=self.height,
            taken_at=self.taken_at,
        )


@dataclass
class UploadReport:
    """What one upload run did: chunk requests sent, chunks the station already had,
    pictures completed, pictures set aside (with the station's code)."""

    sent: int = 0
    skipped: int = 0
    completed: int = 0
    failed: list[dict[str, Any]] | None = None

    def plus(self, other: UploadReport) -> UploadReport:
        """Two runs of one sync (a re-send after a restore uploads again)."""
        failed = [*(self.failed or []), *(other.failed or [])]
        return UploadReport(
            self.sent + other.sent,
            self.skipped + other.skipped,
            self.completed + other.completed,
            failed or None,
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AttachmentService:
    def __init__(self, ctx: TabletContext, chunk_size: int = CHUNK_SIZE) -> None:
        self.ctx = ctx
        # Tests cut pictures smaller to have many chunks; the station accepts 4 KiB–1 MiB.
        self.chunk_size = chunk_size

    @property
    def _db(self) -> Any:
        return self.ctx.store.db

    # --- the store ---
    def put(self, data: bytes, mime_hint: str | None = None) -> StoredPhoto:
        """Keep one photo (needs the tablet unlocked). ``mime_hint`` is what the picker
        said; the bytes decide (a PDF named .jpg is still refused)."""
        self.ctx.need_session()
        del mime_hint  # the content is checked, the label is not trusted
        stored, width, height = prepare_image(data)
        sha = hashlib.sha256(stored).hexdigest()
        known = self.info(sha)
        if known is not None:
            return known
        taken_at = self.ctx.clock().isoformat(timespec="seconds")
        blob = self.ctx.keys.seal_blob(f"attachment:{sha}", stored)
        q.insert(
            self._db,
            {
                "sha256": sha,
                "mime": MIME_JPEG,
                "size": len(stored),
                "width": width,
                "height": height,
                "taken_at": taken_at,
                "blob": blob,
                "created_at": _now(),
            },
        )
        return StoredPhoto(sha, MIME_JPEG, len(stored), width, height, taken_at)

    def info(self, sha256: str) -> StoredPhoto | None:
        row = q.get(self._db, sha256)
        if row is None:
            return None
        return StoredPhoto(
            row["sha256"], row["mime"], row["size"], row["width"], row["height"], row["taken_at"]
        )

    def has(self, sha256: str) -> bool:
        return q.get(self._db, sha256) is not None

    def get(self, sha256: str) -> bytes:
        """The picture's bytes (needs the tablet unlocked)."""
        self.ctx.need_session()
        row = q.get(self._db, sha256)
        if row is None:
            raise problem("ATTACHMENT_UNKNOWN", "sha256", sha=sha256[:12])
        return self.ctx.keys.open_blob(f"attachment:{sha256}", row["blob"])

    def require(self, refs: list[AttachmentRef]) -> None:
        """Every referenced picture is in this tablet's store (before a dossier names it)."""
        for i, ref in enumerate(refs):
            if not self.has(ref.sha256):
                raise problem("ATTACHMENT_UNKNOWN", f"attachments[{i}]", sha=ref.sha256[:12])

    # --- the upload queue ---
    def queue(self, refs: list[AttachmentRef]) -> None:
        """Seal each referenced picture for the station, once (inside the caller's
        transaction, with the dossier's outbox entry)."""
        ctx = self.ctx
        for sha in dict.fromkeys(r.sha256 for r in refs):
            if q.upload(self._db, sha) is not None:
                continue
            data = self.get(sha)
            photo = self.info(sha)
            assert photo is not None
            size = self.chunk_size
            declare = m.AttachmentDeclare("attachment.open", sha, len(data), photo.mime, size)
            sealed_declare = self._seal(KIND_ATTACHMENT_OPEN, 0, sha, m.to_json_bytes(declare))
            chunks = [
                self._seal(KIND_ATTACHMENT_CHUNK, n, sha, data[at : at + size])
                for n, at in enumerate(range(0, len(data), size))
            ]
            q.queue_upload(self._db, sha, size, sealed_declare, chunks, ctx.clock().isoformat())

    def drop_unsent(self) -> None:
        """Forget the sealed uploads not yet complete (re-enrolment seals them again)."""
        q.drop_unsent(self._db)

    def _seal(self, kind: str, seq: int, sha: str, payload: bytes) -> str:
        ctx = self.ctx
        env = seal_envelope(
            EnvelopeContext(kind, ctx.device_id, STATION, seq, sha, 1),
            payload,
            ctx.station_x25519(),
            ctx.keys.device.ed25519_sk,
        )
        return json.dumps(env.to_json())

    def pending_count(self) -> int:
        return q.pending_count(self._db)

    def upload(self, client: SyncClient, progress: SyncProgress | None = None) -> UploadReport:
        """Send every queued picture: ask the station what it has, send the other chunks.

        A network failure stops here (raised; what was sent stays sent); a picture the
        station refuses for good (too large, wrong hash) is set aside with its code so the
        pictures behind it still go."""
        report = UploadReport(failed=[])
        pending = q.pending_uploads(self._db)
        total = sum(int(r["chunks"]) for r in pending)
        done = 0
        for row in pending:
            sha = str(row["sha256"])
            if progress is not None:
                progress.set(ATTACH, done, total)
            try:
                status = client.attachment_open(
                    sha,
                    m.AttachmentOpenRequest(
                        self.ctx.device_id, Envelope.from_json(json.loads(row["declare"]))
                    ),
                )
                have = set(status.have)
                report.skipped += len(have)
                done += len(have)
                for n in range(int(row["chunks"])):
                    if status.complete or n in have:
                        continue
                    env = q.chunk(self._db, sha, n)
                    if env is None:
                        raise problem("STORE_CORRUPT", None, detail=f"chunk {n} of {sha[:12]}")
                    status = client.attachment_chunk(
                        sha,
                        n,
                        m.AttachmentChunkRequest(
                            self.ctx.device_id, Envelope.from_json(json.loads(env))
                        ),
                    )
                    q.count_sent(self._db, sha)
                    report.sent += 1
                    done += 1
                    if progress is not None:
                        progress.set(ATTACH, done, total)
            except TaiChoError as err:
                if err.code not in _PERMANENT and err.code not in _RETRY_LATER:
                    raise  # the station is away, revoked us, …: the sync reports it
                _log.warning("photo %s not sent: %s", sha[:12], err.code)
                if err.code in _PERMANENT:
                    q.set_error(self._db, sha, err.code)
                assert report.failed is not None
                report.failed.append({"sha256": sha, "code": err.code})
                continue
            if status.complete:
                with self.ctx.store.transaction():
                    q.mark_uploaded(self._db, sha, _now())
                report.completed += 1
        if progress is not None and total:
            progress.set(ATTACH, total, total)
        return report

    def sent_count(self, sha256: str) -> int:
        """Chunk requests sent for this picture so far (resends included)."""
        row = q.upload(self._db, sha256)
        return 0 if row is None else int(row["sent"])

    def upload_state(self, sha256: str) -> dict[str, Any] | None:
        row = q.upload(self._db, sha256)
        if row is None:
            return None
        return {k: row[k] for k in ("chunks", "chunk_size", "sent", "uploaded_at", "error")}
