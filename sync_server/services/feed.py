"""The per-device change feed: written in the same transaction as the change it reports,
sealed to the device only when pulled (so a key rotation never strands stored items)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared.envelope import EnvelopeContext, seal_envelope
from shared.model import Dossier
from shared.sync import FEED_DOSSIER_REJECTED, FEED_DOSSIER_STATE, KIND_FEED, STATION
from sync_server.services.clock import iso, utc_now
from sync_server.services.enrollment import Device
from sync_server.services.keys import StationKeys
from sync_server.store import sync_log as q

TABLE = "feed"


def append(
    db: Database,
    keys: StationKeys,
    *,
    device_id: str,
    dossier_id: str,
    version: int,
    payload: dict[str, Any],
) -> int:
    seq = q.next_feed_seq(db)
    q.insert_feed(
        db,
        {
            "seq": seq,
            "device_id": device_id,
            "dossier_id": dossier_id,
            "version": version,
            "payload_enc": keys.encrypt_json(TABLE, seq, version, payload),
            "created_at": iso(utc_now()),
        },
    )
    return seq


def state_payload(d: Dossier, result: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "type": FEED_DOSSIER_STATE,
        "dossier_id": d.id,
        "code": d.code,
        "status": d.status.value,
        "version": d.version,
        "history": [h.to_dict() for h in d.history],
        "due_at": d.due_at,
        "result": result,
    }


def rejected_payload(dossier_id: str, code: str | None, problem: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": FEED_DOSSIER_REJECTED,
        "dossier_id": dossier_id,
        "code": code,
        "problem": problem,
    }


def pull(db: Database, keys: StationKeys, device: Device, after: int, limit: int) -> dict[str, Any]:
    rows = q.feed_after(db, device.id, after, limit + 1)
    more = len(rows) > limit
    items = []
    for row in rows[:limit]:
        payload = keys.decrypt(TABLE, row["seq"], row["version"], row["payload_enc"])
        ctx = EnvelopeContext(
            KIND_FEED, STATION, device.id, int(row["seq"]), row["dossier_id"], int(row["version"])
        )
        items.append(seal_envelope(ctx, payload, device.x_pub, keys.ed_sk).to_json())
    next_seq = int(rows[limit - 1]["seq"]) if more else (int(rows[-1]["seq"]) if rows else after)
    return {"items": items, "next": next_seq, "more": more}
