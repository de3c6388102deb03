"""The backup file format (shared/backup.py): round trip, and every kind of change refused."""

from __future__ import annotations

import hashlib
import os
import struct

import pytest

from shared import backup as fmt
from shared import crypto
from shared.errors import TaiChoError

PASSPHRASE = "bốn năm sáu bảy tám chín"
CHUNK = 4096


def _key(passphrase: str = PASSPHRASE) -> fmt.BackupKey:
    # A cheap scrypt cost for tests: the format, not the cost, is under test here.
    return fmt.BackupKey.derive(passphrase, crypto.ScryptParams(os.urandom(16), n=2**10))


FILES = {
    "station.db": os.urandom(3 * CHUNK + 123),
    "keys/storage.key": os.urandom(32),
    "procedures/empty.json": b"",
    "procedures/khai_sinh/procedure.json": '{"tên": "Khai sinh"}'.encode(),
}


def _manifest() -> fmt.Manifest:
    return fmt.Manifest(
        format=1,
        app_version="0.1.0",
        created_at="2026-12-07T10:00:00+07:00",
        station=fmt.StationIdentity("a" * 43, "b" * 43, "c" * 64),
        unit_code="000.31.22.H20",
        unit_name="Ủy ban nhân dân xã Lai Vung",
        audit=fmt.AuditHead(3, "d" * 64),
        feed_seq=17,
        counts={"dossiers": 2},
        files=[fmt.FileEntry(p, len(b), hashlib.sha256(b).hexdigest()) for p, b in FILES.items()],
    )


def _seal(key: fmt.BackupKey | None = None) -> bytes:
    sealer = fmt.Sealer(key or _key(), os.urandom(8), CHUNK)
    out = bytearray(sealer.header)
    out += sealer.feed(fmt.manifest_bytes(_manifest()))
    for data in FILES.values():
        # Fed in odd pieces: chunk boundaries never follow file boundaries.
        for i in range(0, len(data), 1000):
            out += sealer.feed(data[i : i + 1000])
    out += sealer.finish()
    return bytes(out)


def _open(blob: bytes, passphrase: str = PASSPHRASE) -> dict[str, bytes]:
    n = fmt.header_length(blob[: len(fmt.MAGIC) + 4])
    opener = fmt.Opener(blob[:n], passphrase)
    unpacker = fmt.Unpacker()
    files: dict[str, bytearray] = {}
    done: list[str] = []
    for i in range(n, len(blob), 777):
        for ev in unpacker.feed(opener.feed(blob[i : i + 777])):
            if isinstance(ev, fmt.FileData):
                files.setdefault(ev.path, bytearray()).extend(ev.data)
            elif isinstance(ev, fmt.FileDone):
                done.append(ev.path)
    opener.finish()
    assert unpacker.finish() == _manifest()
    assert done == list(FILES)
    return {p: bytes(files.get(p, b"")) for p in done}


def test_round_trip_gives_back_every_file_in_order() -> None:
    assert _open(_seal()) == FILES


def test_a_nonascii_passphrase_typed_decomposed_opens_the_same_backup() -> None:
    import unicodedata

    assert _open(_seal(), unicodedata.normalize("NFD", PASSPHRASE)) == FILES


def test_wrong_passphrase_is_told_apart_from_damage() -> None:
    with pytest.raises(TaiChoError) as exc:
        _open(_seal(), "một mật khẩu khác hẳn")
    assert exc.value.code == "BACKUP_PASSPHRASE_WRONG"


def _code(blob: bytes) -> str:
    with pytest.raises(TaiChoError) as exc:
        _open(blob)
    return exc.value.code


@pytest.mark.parametrize("where", [0, 10, 20, 60, 200, -1, -17, 0.25, 0.5, 0.75])
def test_one_changed_byte_anywhere_is_refused(where: float) -> None:
    blob = bytearray(_seal())
    i = int(where * len(blob)) if isinstance(where, float) else where
    blob[i] ^= 0x01
    # A changed salt or cost derives another key: that reads as a wrong passphrase.
    assert _code(bytes(blob)) in {"BACKUP_DAMAGED", "BACKUP_PASSPHRASE_WRONG"}


def test_changed_chunk_bytes_are_damage() -> None:
    blob = bytearray(_seal())
    n = fmt.header_length(bytes(blob[:18]))
    for i in (n + 2, n + 40, len(blob) // 2, len(blob) - 1):
        bad = bytearray(blob)
        bad[i] ^= 0x80
        assert _code(bytes(bad)) == "BACKUP_DAMAGED"


def _chunks(blob: bytes) -> tuple[bytes, list[bytes]]:
    n = fmt.header_length(blob[:18])
    head, rest, out = blob[:n], blob[n:], []
    while rest:
        (word,) = struct.unpack(">I", rest[:4])
        size = 4 + (word & ~fmt.FINAL_BIT)
        out.append(rest[:size])
        rest = rest[size:]
    return head, out


def test_cut_dropped_swapped_or_extra_chunks_are_refused() -> None:
    head, chunks = _chunks(_seal())
    assert len(chunks) >= 4
    cases = [
        chunks[:-1],  # the final chunk cut off
        chunks[:1] + chunks[2:],  # one dropped
        [chunks[1], chunks[0], *chunks[2:]],  # two swapped
        [*chunks, chunks[-1]],  # the last repeated
    ]
    for case in cases:
        assert _code(head + b"".join(case)) == "BACKUP_DAMAGED"
    assert _code(head + b"".join(chunks)[:-5]) == "BACKUP_DAMAGED"
    assert _code(b"not a backup at all, just some bytes") == "BACKUP_DAMAGED"


def test_a_short_passphrase_is_refused_for_a_new_backup() -> None:
    with pytest.raises(TaiChoError) as exc:
        fmt.BackupKey.new("ngắn")
    assert exc.value.code == "BACKUP_PASSPHRASE_WEAK"


def test_manifest_paths_stay_inside_the_data_dir() -> None:
    assert fmt.safe_path("keys/tls.key") and fmt.safe_path("procedures/a/procedure.json")
    for bad in ("../etc/passwd", "/etc/passwd", "keys/../../x", "", "a//b", ".hidden"):
        assert not fmt.safe_path(bad), bad
