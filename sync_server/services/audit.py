"""The hash-chained audit log: every transition, receipt, enrollment and unlock.

Each row's ``hash`` = SHA-256(prev_hash || canonical JSON of the entry). The entry
includes the SHA-256 of the *encrypted* reason blob rather than of the reason text, so
the chain can be verified without the storage key and a reason's hash says nothing about
its content; the AEAD binding of that blob to ``audit:seq:1`` covers the plaintext.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from shared import crypto
from sync_server.services.keys import StationKeys
from sync_server.store import audit as q


def _entry_hash(prev_hash: str, row: dict[str, Any]) -> str:
    reason = row.get("reason_enc")
    entry = {
        "seq": row["seq"],
        "dossier_id": row.get("dossier_id"),
        "device_id": row.get("device_id"),
        "action": row["action"],
        "from_status": row.get("from_status"),
        "to_status": row.get("to_status"),
        "actor": row["actor"],
        "role": row.get("role"),
        "at": row["at"],
        "reason_sha256": None if reason is None else crypto.sha256_hex(bytes(reason)),
    }
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return crypto.sha256_hex(prev_hash.encode("ascii") + canonical.encode("utf-8"))


def append(
    db: Database,
    keys: StationKeys,
    *,
    action: str,
    actor: str,
    at: str,
    role: str | None = None,
    dossier_id: str | None = None,
    device_id: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
) -> int:
    """Append one entry (call inside the caller's transaction); returns its seq."""
    last = q.last(db)
    seq = 1 if last is None else int(last["seq"]) + 1
    prev_hash = q.GENESIS if last is None else str(last["hash"])
    row: dict[str, Any] = {
        "seq": seq,
        "dossier_id": dossier_id,
        "device_id": device_id,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "actor": actor,
        "role": role,
        "at": at,
        "reason_enc": None
        if reason is None
        else keys.encrypt("audit", seq, 1, reason.encode("utf-8")),
        "prev_hash": prev_hash,
    }
    row["hash"] = _entry_hash(prev_hash, row)
    q.insert(db, row)
    return seq


def verify_audit_chain(db: Database) -> int | None:
    """None if the chain is intact, else the seq of the first row that does not fit."""
    prev = q.GENESIS
    expected_seq = 1
    for row in q.iterate(db):
        if (
            row["seq"] != expected_seq
            or row["prev_hash"] != prev
            or row["hash"] != _entry_hash(prev, row)
        ):
            return int(row["seq"])
        prev = row["hash"]
        expected_seq += 1
    return None


def chain_head(db: Database) -> dict[str, Any]:
    """Length and last hash of the chain: an admin can note or print the head to anchor it
    (a later truncation or rebuild then no longer matches the noted hash)."""
    row = q.last(db)
    return (
        {"rows": 0, "head": q.GENESIS} if row is None else {"rows": row["seq"], "head": row["hash"]}
    )


def reason_of(keys: StationKeys, row: dict[str, Any]) -> str | None:
    blob = row.get("reason_enc")
    return None if blob is None else keys.decrypt("audit", row["seq"], 1, blob).decode("utf-8")
