"""The hash-chained audit log: every transition, receipt, enrollment and unlock.

The chain alone cannot see a deleted tail or a chain rebuilt after an edit, so its head is
*anchored*: a checkpoint ``{rows, head, at}`` signed with the station's Ed25519 key is
written on the first entry of each day and whenever an admin asks (``admin audit-anchor``,
to print on a control sheet or keep elsewhere). ``verify_all`` checks the chain, every
anchor (stored or given), and replays the log against each dossier's current status.

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
from shared.audit_anchor import audit_anchor_message
from shared.errors import TaiChoError, problem
from sync_server.services.core.keys import StationKeys
from sync_server.store import audit as q
from sync_server.store import sync_log


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
    _daily_anchor(db, keys, seq, row["hash"], at)
    return seq


_anchor_message = audit_anchor_message  # declared once in shared (tablets check it too)


def _signed(keys: StationKeys, rows: int, head: str, at: str) -> dict[str, Any]:
    sig = crypto.sign(keys.ed_sk, _anchor_message(rows, head, at))
    return {"rows": rows, "head": head, "at": at, "sig": crypto.b64e(sig)}


def _daily_anchor(db: Database, keys: StationKeys, seq: int, head: str, at: str) -> None:
    stored = q.last_anchor(db)
    last_day = json.loads(stored)["at"][:10] if stored else None
    if last_day != at[:10]:
        q.insert_anchor(db, seq, json.dumps(_signed(keys, seq, head, at)))


def anchor(db: Database, keys: StationKeys, at: str) -> dict[str, Any]:
    """Sign and store a checkpoint of the current head; returns it (for printing)."""
    head = chain_head(db)
    signed = _signed(keys, int(head["rows"]), str(head["head"]), at)
    q.insert_anchor(db, signed["rows"], json.dumps(signed))
    return signed


def _anchor_problem(a: Any) -> TaiChoError:
    rows = a.get("rows") if isinstance(a, dict) else None
    at = a.get("at") if isinstance(a, dict) else None
    return problem(
        "AUDIT_ANCHOR_MISMATCH",
        None,
        rows=rows if isinstance(rows, int) else 0,
        at=at if isinstance(at, str) else "?",
    )


def check_anchor(db: Database, ed_pub: bytes, a: Any) -> None:
    """The anchor is genuine and the chain still has its head at ``rows``, or a problem."""
    try:
        rows, head, at, sig = a["rows"], a["head"], a["at"], crypto.b64d(a["sig"])
        if not (isinstance(rows, int) and isinstance(head, str) and isinstance(at, str)):
            raise TypeError
        crypto.verify(ed_pub, _anchor_message(rows, head, at), sig)
    except (KeyError, TypeError, TaiChoError):
        raise _anchor_problem(a) from None
    current = q.GENESIS if rows == 0 else q.hash_at(db, rows)
    if current != head:  # a deleted tail (None) or a rebuilt chain (other hash)
        raise _anchor_problem(a)


def replay_statuses(db: Database) -> None:
    """Each dossier's status must be the last status its audit entries reached."""
    for row in q.dossier_statuses(db):
        if row["audited"] != row["status"]:
            raise problem("AUDIT_STATUS_MISMATCH", None, dossier=row["code"])


def verify_all(db: Database, ed_pub: bytes, extra_anchors: list[Any]) -> dict[str, Any]:
    """Chain, anchors (stored and given) and status replay; the first failure raises."""
    bad = verify_audit_chain(db)
    if bad is not None:
        raise problem("AUDIT_CHAIN_BROKEN", None, seq=bad)
    stored = [json.loads(v) for v in q.anchors(db)]
    for a in [*stored, *extra_anchors]:
        check_anchor(db, ed_pub, a)
    replay_statuses(db)
    check_sync_log(db)
    return {**chain_head(db), "anchors_checked": len(stored) + len(extra_anchors)}


def check_sync_log(db: Database) -> None:
    """``AUDIT_DOSSIER_MISSING`` when a device's push log has a gap below what the station
    acknowledged, or an applied change whose dossier is gone (the push log is replayed
    against the dossiers as the audit log is; see ``sync.holdings`` for the tablets' side)."""
    for device_id, seq in sync_log.log_gaps(db):
        raise problem("AUDIT_DOSSIER_MISSING", None, device=device_id, seq=seq)


def verify_audit_chain(db: Database) -> int | None:
    """None if the chain is intact, else the seq of the first row that does not fit."""
    prev = q.GENESIS
    expected_seq = 1
    for row in q.iterate(db):
        reason = row.get("reason_enc")
        if reason is not None and not isinstance(reason, bytes):
            # An encrypted blob replaced by text (or a number): edited, not a crash.
            return int(row["seq"])
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
