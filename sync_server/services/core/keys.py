"""The station's long-term keys and the at-rest encryption of stored rows.

Three raw 32-byte files under ``DIR/keys`` (mode 0600), created on first start:
``station_x25519.key`` (tablets seal to it), ``station_ed25519.key`` (signs what the
station sends) and ``storage.key`` (AES-256-GCM for every citizen-bearing column).
Row ciphertexts bind ``table:id:version`` as associated data, so a blob copied into
another row or an older version of the same row does not decrypt.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared import crypto
from shared.errors import problem

_FILES = ("station_x25519.key", "station_ed25519.key", "storage.key")


@dataclass(frozen=True)
class StationKeys:
    x_sk: bytes
    x_pk: bytes
    ed_sk: bytes
    ed_pk: bytes
    storage: bytes

    def public(self) -> dict[str, str]:
        return {"x25519_pub": crypto.b64e(self.x_pk), "ed25519_pub": crypto.b64e(self.ed_pk)}

    def encrypt(self, table: str, row_id: object, version: object, data: bytes) -> bytes:
        return crypto.aead_encrypt(self.storage, data, _aad(table, row_id, version))

    def decrypt(self, table: str, row_id: object, version: object, blob: bytes) -> bytes:
        try:
            return crypto.aead_decrypt(self.storage, bytes(blob), _aad(table, row_id, version))
        except Exception as exc:
            raise problem("STORE_CORRUPT", detail=f"{table} {row_id}") from exc

    def encrypt_json(self, table: str, row_id: object, version: object, obj: Any) -> bytes:
        raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.encrypt(table, row_id, version, raw)

    def decrypt_json(self, table: str, row_id: object, version: object, blob: bytes) -> Any:
        return json.loads(self.decrypt(table, row_id, version, blob))


def _aad(table: str, row_id: object, version: object) -> bytes:
    return f"{table}:{row_id}:{version}".encode()


def _write_secret(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def load_or_create(folder: Path) -> StationKeys:
    """Read the key files, creating all three on first start (never one of them alone)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    paths = [folder / name for name in _FILES]
    present = [p.exists() for p in paths]
    if not any(present):
        x_sk, _ = crypto.new_x25519()
        ed_sk, _ = crypto.new_ed25519()
        for path, data in zip(paths, (x_sk, ed_sk, crypto.random_key()), strict=True):
            _write_secret(path, data)
    elif not all(present):
        missing = ", ".join(p.name for p, ok in zip(paths, present, strict=True) if not ok)
        raise problem("STORE_CORRUPT", detail=f"missing key file(s) {missing}")
    raw = [p.read_bytes() for p in paths]
    if any(len(r) != 32 for r in raw):
        raise problem("STORE_CORRUPT", detail="a key file is not 32 bytes")
    x_sk, ed_sk, storage = raw
    x_pk = X25519PrivateKey.from_private_bytes(x_sk).public_key().public_bytes_raw()
    ed_pk = Ed25519PrivateKey.from_private_bytes(ed_sk).public_key().public_bytes_raw()
    return StationKeys(x_sk=x_sk, x_pk=x_pk, ed_sk=ed_sk, ed_pk=ed_pk, storage=storage)
