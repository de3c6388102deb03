"""Photos of documents (attachments): the limits, in one place, and the pure checks.

A photo is content-addressed: its name is the SHA-256 (hex) of the stored JPEG, so a
dossier refers to it by hash, a photo taken twice is stored once, and the station can
check what arrived against the name it was declared under. The tablet stores and sends
only the downscaled, recompressed picture (``mobile/services/attachments.py``); the
station keeps it encrypted in chunks (``sync_server/services/attachments.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from shared.errors import problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    from shared.catalogue import Procedure
    from shared.model import AttachmentRef

# --- what the tablet accepts and stores ---------------------------------------------------
# A phone camera photo is 2–12 MB; anything above this is not a photo of a document.
MAX_INPUT_BYTES = 25 * 1024 * 1024
# Pixels decoded at most (a 50 MP picture): refuses decompression bombs before decoding.
MAX_INPUT_PIXELS = 50_000_000
# The stored picture's long side: an A4 page at ~170 dpi, small print stays readable.
LONG_SIDE = 2000
JPEG_QUALITY = 80
# A stored picture larger than this (after downscaling) is refused: it would be noise.
MAX_STORED_BYTES = 8 * 1024 * 1024
MIME_JPEG = "image/jpeg"
MIME_PNG = "image/png"
MIMES = (MIME_JPEG, MIME_PNG)
MIME_PATTERN = "image/jpeg|image/png"
# Photos one dossier may refer to (each component may have several pages).
MAX_PER_DOSSIER = 60

# --- transport (docs/sync-protocol.md §7) ----------------------------------------------------
CHUNK_SIZE = 256 * 1024  # what the tablet cuts a photo into
MIN_CHUNK = 4 * 1024
MAX_CHUNK = 1024 * 1024
MAX_CHUNKS = 4096
# The station refuses declarations above this (``TAICHO_ATTACHMENT_MAX_BYTES`` overrides).
STATION_MAX_BYTES = MAX_STORED_BYTES

SHA256_PATTERN = "[0-9a-f]{64}"


def megabytes(n: int) -> str:
    """Bytes as megabytes for a message: "8", "12.5", "0.04"."""
    return f"{n / (1024 * 1024):.2f}".rstrip("0").rstrip(".")


def chunk_count(size: int, chunk_size: int) -> int:
    """How many chunks a file of ``size`` bytes is cut into (the last may be shorter)."""
    return max(1, -(-size // chunk_size))


def chunk_length(size: int, chunk_size: int, n: int) -> int:
    """The exact length of chunk ``n`` (0-based) of a file of ``size`` bytes."""
    last = chunk_count(size, chunk_size) - 1
    return chunk_size if n < last else size - chunk_size * last


def check_refs(procedure: Procedure, refs: Sequence[AttachmentRef]) -> None:
    """The dossier's photo references make sense for its procedure (tablet and station).

    Each names one of the procedure's components; one photo is listed once per
    component; at most ``MAX_PER_DOSSIER``. A wrong reference is REQUEST_INVALID naming
    it (a programming error of the client, never the citizen's).
    """
    if len(refs) > MAX_PER_DOSSIER:
        raise problem(
            "REQUEST_INVALID",
            "attachments",
            detail=f"attachments: at most {MAX_PER_DOSSIER}",
            detail_vi=f"tối đa {MAX_PER_DOSSIER} ảnh trong một hồ sơ",
        )
    known = {c.id for c in procedure.components}
    seen: set[tuple[str, str]] = set()
    for i, ref in enumerate(refs):
        if ref.component not in known:
            raise problem(
                "REQUEST_INVALID",
                f"attachments[{i}].component",
                detail=f"attachments[{i}].component: '{ref.component}' is not a component "
                f"of {procedure.code}",
                detail_vi=f"ảnh thứ {i + 1} ghi thành phần '{ref.component}' không có trong "
                f"thủ tục {procedure.code}",
            )
        key = (ref.sha256, ref.component)
        if key in seen:
            raise problem(
                "REQUEST_INVALID",
                f"attachments[{i}]",
                detail=f"attachments[{i}]: listed twice",
                detail_vi=f"ảnh thứ {i + 1} được kê hai lần cho cùng một giấy tờ",
            )
        seen.add(key)
