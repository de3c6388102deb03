"""Photos of documents (attachments): the limits, in one place, and the pure checks.

A photo is content-addressed: its name is the SHA-256 (hex) of the stored JPEG, so a
dossier refers to it by hash, a photo taken twice is stored once, and the station can
check what arrived against the name it was declared under. The tablet stores and sends
only the downscaled, recompressed picture (``mobile/services/attachments.py``); the
station keeps it encrypted in chunks (``sync_server/services/office/attachments.py``).
"""

from __future__ import annotations

from shared.errors import problem

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


# --- what the station accepts: checked on the bytes, before any decoding -----------------
# The station holds what a tablet stores and nothing bigger: a picture whose long side is
# at most LONG_SIDE (4 megapixels at most, ~16 MB decoded). A 13,000 × 13,000 PNG of
# 657 KB (169 MP, 1.36 GB decoded) is refused from its header (issue 22).
STATION_MAX_SIDE = LONG_SIDE
STATION_MAX_PIXELS = LONG_SIDE * LONG_SIDE

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
# JPEG start-of-frame markers (they carry the size): C0–CF except DHT, JPG and DAC.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def sniff_image(data: bytes) -> str | None:
    """The picture type its first bytes say (``image/jpeg``, ``image/png``), or None."""
    if data.startswith(_JPEG_MAGIC):
        return MIME_JPEG
    if data.startswith(_PNG_MAGIC):
        return MIME_PNG
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in _SOF:
            height = int.from_bytes(data[i + 5 : i + 7], "big")
            width = int.from_bytes(data[i + 7 : i + 9], "big")
            return width, height
        if marker == 0xDA or length < 2:  # image data before any frame header: malformed
            return None
        i += 2 + length
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a JPEG's frame header or a PNG's IHDR — no pixel is
    decoded — or None when the header cannot be found."""
    mime = sniff_image(data)
    if mime == MIME_PNG:
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if mime == MIME_JPEG:
        return _jpeg_size(data)
    return None


def check_station_image(data: bytes, declared_mime: str) -> tuple[int, int]:
    """What the station checks of an assembled photo before decoding it: its magic bytes
    name a JPEG or PNG (``ATTACHMENT_NOT_IMAGE`` otherwise, e.g. HTML declared as
    ``image/jpeg``), the declared type matches, and its header's size is within
    ``STATION_MAX_SIDE`` (``ATTACHMENT_PIXELS``). Returns (width, height)."""
    mime = sniff_image(data)
    size = image_size(data) if mime is not None else None
    if mime is None or mime != declared_mime or size is None or min(size) < 1:
        raise problem("ATTACHMENT_NOT_IMAGE", "photo")
    width, height = size
    if max(width, height) > STATION_MAX_SIDE:
        raise problem(
            "ATTACHMENT_PIXELS", "photo", width=width, height=height, max_side=STATION_MAX_SIDE
        )
    return width, height


# JPEG segments a picture needs: tables, frame, scans (and restart intervals). Anything
# else — EXIF, XMP, ICC, comments, vendor data, bytes after the end — is dropped.
_KEEP_SEGMENTS = frozenset({0xC4, 0xDB, 0xDD, *_SOF})
_SOS, _EOI, _APP0 = 0xDA, 0xD9, 0xE0


def jpeg_essentials(data: bytes) -> bytes | None:
    """``data`` rewritten with only the segments a JPEG picture needs, losslessly (the
    compressed image data is copied as it is), or None when it is not a well-formed JPEG.

    A JFIF header (APP0 starting ``JFIF\\0``) is kept, so a picture the tablet made (JFIF,
    tables, frame, scan: nothing else) comes back byte for byte and keeps its name; a
    script or page hidden in a comment, a metadata segment or after the end is dropped.
    """
    if not data.startswith(b"\xff\xd8"):
        return None
    out = bytearray(b"\xff\xd8")
    i, end = 2, len(data)
    while i < end:
        if data[i] != 0xFF or i + 1 >= end:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker == _EOI:
            return bytes(out + b"\xff\xd9")
        if i + 4 > end:
            return None
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        seg_end = i + 2 + length
        if length < 2 or seg_end > end:
            return None
        segment = data[i:seg_end]
        if marker in _KEEP_SEGMENTS or (marker == _APP0 and segment[4:9] == b"JFIF\x00"):
            out += segment
        elif marker == _SOS:
            # The scan header, then its entropy-coded data up to the next real marker
            # (0xFF00 is a stuffed byte, 0xFFD0–D7 are restart markers inside the scan).
            j = seg_end
            while j + 1 < end and not (
                data[j] == 0xFF and data[j + 1] not in (0x00, *range(0xD0, 0xD8), 0xFF)
            ):
                j += 1
            if j + 1 >= end:
                return None
            out += data[i:j]
            seg_end = j
        elif not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            return None  # a marker a camera picture has no business with
        i = seg_end
    return None
