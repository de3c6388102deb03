"""The citizen book: remember a citizen once, fill any later form's party in one tap.

Records are sealed under the data key like dossiers (AAD ``citizen:<id>:<version>``);
search goes through blind-index tokens under a key derived from the data key, so the
book is searchable only while the tablet is unlocked and a copied file reveals no names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

import sqlite_utils

from mobile.services import citizen_store as q
from shared.blind_index import fold, index_tokens, query_tokens
from shared.citizen import Citizen
from storekit import transaction

BLIND_INDEX_PURPOSE = "taicho/v1/citizen-blind-index"
MAX_RESULTS = 20


class Sealer(Protocol):
    """What the book needs from the keystore (``mobile.services.keystore.Keystore``)."""

    def seal_record(self, record_id: str, version: int, data: dict[str, Any]) -> bytes: ...

    def open_record(self, record_id: str, version: int, blob: bytes) -> dict[str, Any]: ...

    def subkey(self, purpose: str) -> bytes: ...


class CitizenBook:
    def __init__(self, db: sqlite_utils.Database, keys: Sealer) -> None:
        self.db = db
        self.keys = keys

    def _key(self) -> bytes:
        return self.keys.subkey(BLIND_INDEX_PURPOSE)

    def remember(self, citizen: Citizen) -> None:
        """Store or update one citizen (encrypted) with fresh tokens, atomically."""
        version = (q.get_version(self.db, citizen.id) or 0) + 1
        blob = self.keys.seal_record(f"citizen:{citizen.id}", version, citizen.to_dict())
        numbers = tuple(n for n in (citizen.number, citizen.old_id) if n)
        tokens = index_tokens(self._key(), citizen.name, numbers)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with transaction(self.db):
            q.put_citizen(self.db, citizen.id, version, blob, tokens, now)

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[Citizen]:
        """Accent-, case- and order-insensitive prefix search by name, or exact by number."""
        tokens = query_tokens(self._key(), query)
        ids = q.find_ids(self.db, tokens, limit)
        found = [
            Citizen.from_dict(self.keys.open_record(f"citizen:{cid}", version, blob))
            for cid, version, blob in q.get_blobs(self.db, ids)
        ]
        words = fold(query)
        # Whole-word hits first, then by name: "anh" ranks "Ánh" above "Anh Thư"'s "Anhxtanh".
        return sorted(
            found,
            key=lambda c: (-sum(w in fold(c.name) for w in words), fold(c.name)),
        )

    def count(self) -> int:
        return q.count(self.db)
