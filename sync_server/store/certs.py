"""Queries on ``certificates`` (the station's signing certificates and their keys).

``holder`` is ``"ca"`` (the demo certificate authority), ``"commune"`` (the seal) or a
staff username (a leader). Private keys are stored only as ciphertext (``key_enc``,
``pkcs11_pin_enc``): the services encrypt them with the station's storage key.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one

_COLUMNS = (
    "holder",
    "kind",
    "cert_pem",
    "chain_pem",
    "key_enc",
    "pkcs11_module",
    "pkcs11_token",
    "pkcs11_label",
    "pkcs11_pin_enc",
    "created_at",
)


def get(db: Database, holder: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM certificates WHERE holder = ?", (holder,))


def list_all(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM certificates ORDER BY holder"))


def put(db: Database, row: dict[str, Any]) -> None:
    """Insert or replace the certificate of ``row["holder"]``."""
    values = {c: row.get(c) for c in _COLUMNS}
    names = ", ".join(_COLUMNS)
    marks = ", ".join(f":{c}" for c in _COLUMNS)
    db.execute(f"INSERT OR REPLACE INTO certificates ({names}) VALUES ({marks})", values)
