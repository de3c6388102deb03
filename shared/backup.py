"""The station's backup file: format, manifest and stream encryption (pure, no I/O).

One file holds a whole station — its database snapshot, its keys and certificates, the
office's procedure files — encrypted and authenticated under a key derived from a
passphrase the office keeps on paper. The services (``sync_server/services/admin/backup.py``)
read and write files; everything about the bytes is here, so a third party can read the
format from this module and ``docs/operations.md``.

File layout (all integers big-endian)::

    MAGIC (14 bytes "TAICHO-BACKUP\\0")
    u32 header length ‖ header (canonical JSON, :class:`BackupHeader`, in clear)
    chunk*: u32 (length of ct | FINAL_BIT on the last chunk) ‖ ct

    key      = scrypt(NFC passphrase, header.kdf)                       (32 bytes)
    enc_key  = HKDF-SHA256(key, info "taicho/backup/v1/enc")
    check    = HMAC-SHA256(HKDF(key, "taicho/backup/v1/check"), "taicho-backup-v1")[:16]
    ct_i     = AES-256-GCM(enc_key, nonce = nonce_prefix(8) ‖ u32 i,
                           aad = SHA-256(MAGIC ‖ u32 ‖ header) ‖ u32 i ‖ final(1 byte))

``check`` in the header tells a wrong passphrase (``BACKUP_PASSPHRASE_WRONG``) from a
damaged file (``BACKUP_DAMAGED``) before anything is decrypted; it gives an attacker
nothing the first chunk would not. The chunk index and the final flag are in the
nonce/associated data, so chunks cannot be reordered, dropped, repeated or cut off
without failing; the header is bound into every chunk.

The plaintext stream is ``u32 manifest length ‖ manifest (canonical JSON,
:class:`Manifest`) ‖ the files' bytes, one after the other in manifest order``; each
file's size and SHA-256 are in the manifest and checked as it is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import struct
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from shared import crypto, wire
from shared.errors import TaiChoError, problem
from shared.wire import spec

MAGIC = b"TAICHO-BACKUP\x00"
FORMAT = 1
CHUNK_SIZE = 1024 * 1024  # plaintext per chunk: memory stays at a few MiB for any size
FINAL_BIT = 1 << 31
MAX_HEADER = 4096
MAX_MANIFEST = 4 * 1024 * 1024
MIN_PASSPHRASE = 12  # characters; docs/operations.md: four or five words on paper
_NONCE_PREFIX_LEN = 8
_CHECK_LEN = 16
_MAX_SIZE = 2**53
_B64 = "[A-Za-z0-9_-]*"
_SHA256 = "[0-9a-f]{64}"
# A file inside the station's data dir: relative, "/"-separated, no "..", plain names.
_PATH = r"(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}/){0,7}[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"


def damaged(detail: str, detail_vi: str) -> TaiChoError:
    return problem("BACKUP_DAMAGED", "backup", detail=detail, detail_vi=detail_vi)


def check_passphrase(passphrase: str) -> str:
    """The passphrase as used (NFC); a short one is refused when a backup is made."""
    text = unicodedata.normalize("NFC", passphrase)
    if len(text) < MIN_PASSPHRASE:
        raise problem("BACKUP_PASSPHRASE_WEAK", "passphrase", min=MIN_PASSPHRASE)
    return text


# --- header -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KdfParams:
    name: Literal["scrypt"]
    salt: str = spec(pattern=_B64, max_len=64)
    n: int = spec(lo=2)
    r: int = spec(lo=1, hi=32)
    p: int = spec(lo=1, hi=16)

    def scrypt(self) -> crypto.ScryptParams:
        try:
            salt = crypto.b64d(self.salt)
        except TaiChoError:
            raise damaged("kdf salt", "muối khoá") from None
        return crypto.checked_backup_params(salt, self.n, self.r, self.p)


@dataclass(frozen=True)
class BackupHeader:
    """The clear header: how to derive the key and open the chunks (no station data)."""

    format: int = spec(lo=FORMAT, hi=FORMAT)
    cipher: Literal["AES-256-GCM"] = spec()
    kdf: KdfParams = spec()
    chunk_size: int = spec(lo=4096, hi=16 * 1024 * 1024)
    nonce_prefix: str = spec(pattern=_B64, max_len=16)
    check: str = spec(pattern=_B64, max_len=32)


def _canonical(obj: Any) -> bytes:
    return json.dumps(
        wire.encode(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


@dataclass(frozen=True)
class BackupKey:
    """The keys of one passphrase and salt (derive once, seal many backups: a scheduled
    backup does not run scrypt again each night)."""

    params: crypto.ScryptParams
    enc: bytes
    check: bytes

    @classmethod
    def derive(cls, passphrase: str, params: crypto.ScryptParams) -> BackupKey:
        key = crypto.derive_passphrase_key(unicodedata.normalize("NFC", passphrase), params)
        check_key = crypto.derive_subkey(key, "taicho/backup/v1/check")
        return cls(
            params,
            crypto.derive_subkey(key, "taicho/backup/v1/enc"),
            crypto.keyed_token(check_key, b"taicho-backup-v1", _CHECK_LEN),
        )

    @classmethod
    def new(cls, passphrase: str) -> BackupKey:
        return cls.derive(check_passphrase(passphrase), crypto.new_backup_params())


def _frame_header(header: BackupHeader) -> bytes:
    body = _canonical(header)
    return MAGIC + struct.pack(">I", len(body)) + body


def header_length(prefix: bytes) -> int:
    """How many bytes the header takes, from the first ``len(MAGIC) + 4`` of the file."""
    if len(prefix) < len(MAGIC) + 4 or prefix[: len(MAGIC)] != MAGIC:
        raise damaged("not a Tại Chỗ backup file", "không phải tệp sao lưu Tại Chỗ")
    n = int.from_bytes(prefix[len(MAGIC) : len(MAGIC) + 4], "big")
    if not 2 <= n <= MAX_HEADER:
        raise damaged("header length", "độ dài phần đầu")
    return len(MAGIC) + 4 + n


def parse_header(framed: bytes) -> BackupHeader:
    """The header from its framed bytes (``header_length`` of them)."""
    if header_length(framed) != len(framed):
        raise damaged("header length", "độ dài phần đầu")
    body = framed[len(MAGIC) + 4 :]
    try:
        header = wire.decode(BackupHeader, json.loads(body.decode("utf-8")))
    except (ValueError, UnicodeDecodeError, TaiChoError):
        raise damaged("header", "phần đầu") from None
    if _canonical(header) != body:
        raise damaged("header is not canonical", "phần đầu không đúng dạng chuẩn")
    return header


def _aad(header_hash: bytes, index: int, final: bool) -> bytes:
    return header_hash + struct.pack(">IB", index, 1 if final else 0)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


class Sealer:
    """Plaintext in, file bytes out, a chunk at a time (``feed`` … ``finish``)."""

    def __init__(self, key: BackupKey, nonce_prefix: bytes, chunk_size: int = CHUNK_SIZE) -> None:
        if len(nonce_prefix) != _NONCE_PREFIX_LEN:
            raise ValueError("nonce prefix must be 8 bytes")
        self._key = key
        self._prefix = nonce_prefix
        self._chunk = chunk_size
        header = BackupHeader(
            FORMAT,
            "AES-256-GCM",
            KdfParams(
                "scrypt", crypto.b64e(key.params.salt), key.params.n, key.params.r, key.params.p
            ),
            chunk_size,
            crypto.b64e(nonce_prefix),
            crypto.b64e(key.check),
        )
        self.header = _frame_header(header)
        self._hash = hashlib.sha256(self.header).digest()
        self._buf = bytearray()
        self._index = 0
        self._done = False

    def _seal(self, data: bytes, final: bool) -> bytes:
        if self._index >= FINAL_BIT:
            raise ValueError("too many chunks")
        ct = crypto.aead_seal_at(
            self._key.enc,
            _nonce(self._prefix, self._index),
            data,
            _aad(self._hash, self._index, final),
        )
        self._index += 1
        return struct.pack(">I", len(ct) | (FINAL_BIT if final else 0)) + ct

    def feed(self, data: bytes) -> bytes:
        """The whole chunks that ``data`` completes (keeps the rest for the next call)."""
        self._buf += data
        out = bytearray()
        # Strictly more than a chunk: the last chunk (final) is written by ``finish``.
        while len(self._buf) > self._chunk:
            out += self._seal(bytes(self._buf[: self._chunk]), final=False)
            del self._buf[: self._chunk]
        return bytes(out)

    def finish(self) -> bytes:
        if self._done:
            raise ValueError("finished twice")
        self._done = True
        return self._seal(bytes(self._buf), final=True)


class Opener:
    """File bytes after the header in, plaintext out; refuses anything altered or cut."""

    def __init__(self, header_bytes: bytes, passphrase: str) -> None:
        header = parse_header(header_bytes)
        key = BackupKey.derive(passphrase, header.kdf.scrypt())
        try:
            stored_check = crypto.b64d(header.check)
            prefix = crypto.b64d(header.nonce_prefix)
        except TaiChoError:
            raise damaged("header", "phần đầu") from None
        if len(prefix) != _NONCE_PREFIX_LEN or len(stored_check) != _CHECK_LEN:
            raise damaged("header", "phần đầu")
        if not hmac.compare_digest(stored_check, key.check):
            raise problem("BACKUP_PASSPHRASE_WRONG", "passphrase")
        self._key = key
        self._prefix = prefix
        self._max_ct = header.chunk_size + crypto.TAG_LEN
        self._hash = hashlib.sha256(header_bytes).digest()
        self._buf = bytearray()
        self._index = 0
        self.finished = False

    def feed(self, data: bytes) -> bytes:
        self._buf += data
        out = bytearray()
        while len(self._buf) >= 4:
            if self.finished:
                raise damaged("bytes after the last chunk", "có dữ liệu sau phần cuối")
            (word,) = struct.unpack(">I", self._buf[:4])
            final, n = bool(word & FINAL_BIT), word & ~FINAL_BIT
            if not crypto.TAG_LEN <= n <= self._max_ct:
                raise damaged(f"chunk {self._index} length", f"độ dài phần {self._index}")
            if len(self._buf) < 4 + n:
                break
            ct = bytes(self._buf[4 : 4 + n])
            del self._buf[: 4 + n]
            try:
                out += crypto.aead_open_at(
                    self._key.enc,
                    _nonce(self._prefix, self._index),
                    ct,
                    _aad(self._hash, self._index, final),
                )
            except TaiChoError:
                raise damaged(f"chunk {self._index}", f"phần {self._index}") from None
            self._index += 1
            self.finished = final
        return bytes(out)

    def finish(self) -> None:
        if self._buf or not self.finished:
            raise damaged("the file is cut short", "tệp bị cắt cụt")


# --- manifest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileEntry:
    path: str = spec(pattern=_PATH, max_len=1100)
    size: int = spec(hi=_MAX_SIZE)
    sha256: str = spec(pattern=_SHA256)


@dataclass(frozen=True)
class StationIdentity:
    """The keys tablets pinned: a restore must bring back the same ones."""

    x25519_pub: str = spec(pattern=_B64, max_len=64)
    ed25519_pub: str = spec(pattern=_B64, max_len=64)
    tls_sha256: str | None = spec(pattern=_SHA256, default=None)


@dataclass(frozen=True)
class AuditHead:
    rows: int = spec()
    head: str = spec(pattern=_SHA256)


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, checked before anything of it is trusted."""

    format: int = spec(lo=FORMAT, hi=FORMAT)
    app_version: str = spec(max_len=40)
    created_at: str = spec(max_len=40)
    station: StationIdentity = spec()
    unit_code: str | None = spec(max_len=60)
    unit_name: str | None = spec(max_len=200)
    audit: AuditHead = spec()
    # The highest feed sequence in the snapshot: after a restore, tablets' items above it
    # are what the station lost (the "cần xử lý lại" list).
    feed_seq: int = spec()
    counts: dict[str, int] = spec()
    files: list[FileEntry] = spec(max_items=100_000)

    def wire_check(self, path: str) -> None:
        for k, v in self.counts.items():
            if not (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= _MAX_SIZE):
                raise problem("REQUEST_INVALID", f"counts.{k}", detail="count", detail_vi="số đếm")
        names = [f.path for f in self.files]
        if len(set(names)) != len(names):
            raise problem(
                "REQUEST_INVALID", "files", detail="a path twice", detail_vi="một tệp hai lần"
            )

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return dict(wire.encode(self))


def manifest_bytes(manifest: Manifest) -> bytes:
    """The plaintext stream's start: u32 length ‖ canonical manifest."""
    body = _canonical(manifest)
    if len(body) > MAX_MANIFEST:
        raise ValueError("manifest too large")
    return struct.pack(">I", len(body)) + body


def _read_manifest(body: bytes) -> Manifest:
    try:
        return wire.decode(Manifest, json.loads(body.decode("utf-8")))
    except (ValueError, UnicodeDecodeError):
        raise damaged("manifest", "bản kê") from None
    except TaiChoError as err:
        raise damaged(f"manifest: {err.field}", f"bản kê: {err.field}") from None


def check_manifest(manifest: Manifest) -> None:
    """A manifest about to be written reads back as itself (else INTERNAL: our bug)."""
    try:
        again = _read_manifest(manifest_bytes(manifest)[4:])
    except TaiChoError as err:
        raise problem("INTERNAL", detail=str(err.ctx.get("detail"))) from None
    if again != manifest:
        raise problem("INTERNAL", detail="manifest does not read back")


@dataclass(frozen=True)
class FileData:
    """Bytes of ``path`` (a piece: a file arrives in as many pieces as chunks)."""

    path: str
    data: bytes


@dataclass(frozen=True)
class FileDone:
    """``path`` arrived whole with the size and SHA-256 its manifest entry names."""

    path: str


class Unpacker:
    """Plaintext stream in; the manifest, then each file's bytes, checked as they pass."""

    def __init__(self) -> None:
        self.manifest: Manifest | None = None
        self._buf = bytearray()
        self._files: list[FileEntry] = []
        self._pos = 0  # index of the file being read
        self._left = 0
        self._hash = hashlib.sha256()

    def feed(self, data: bytes) -> Iterator[FileData | FileDone | Manifest]:
        self._buf += data
        if self.manifest is None:
            if len(self._buf) < 4:
                return
            (n,) = struct.unpack(">I", self._buf[:4])
            if not 2 <= n <= MAX_MANIFEST:
                raise damaged("manifest length", "độ dài bản kê")
            if len(self._buf) < 4 + n:
                return
            body = bytes(self._buf[4 : 4 + n])
            del self._buf[: 4 + n]
            self.manifest = _read_manifest(body)
            self._files = list(self.manifest.files)
            yield self.manifest
            yield from self._start_next()
        while self._buf:
            if self._pos >= len(self._files):
                raise damaged("bytes after the last file", "có dữ liệu sau tệp cuối")
            take = min(self._left, len(self._buf))
            piece = bytes(self._buf[:take])
            del self._buf[:take]
            self._left -= take
            self._hash.update(piece)
            yield FileData(self._files[self._pos].path, piece)
            if self._left == 0:
                yield from self._close_file()

    def _start_next(self) -> Iterator[FileDone]:
        while self._pos < len(self._files):
            self._left = self._files[self._pos].size
            self._hash = hashlib.sha256()
            if self._left > 0:
                return
            yield from self._close_file()

    def _close_file(self) -> Iterator[FileDone]:
        entry = self._files[self._pos]
        if self._hash.hexdigest() != entry.sha256:
            raise damaged(f"{entry.path}: SHA-256", f"{entry.path}: mã băm SHA-256")
        self._pos += 1
        yield FileDone(entry.path)
        yield from self._start_next()

    def finish(self) -> Manifest:
        if self.manifest is None or self._pos < len(self._files) or self._buf:
            raise damaged("files missing at the end", "thiếu tệp ở cuối")
        return self.manifest


def safe_path(path: str) -> bool:
    """A manifest path a restore may write (relative, no "..", plain names)."""
    return re.fullmatch(_PATH, path) is not None and ".." not in path.split("/")
