"""The per-device change feed: written in the same transaction as the change it reports,
sealed to the device only when pulled (so a key rotation never strands stored items).

Items are the records declared in ``shared.messages`` (``FeedItem``); they are stored as
their JSON form, encrypted at rest.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.envelope import EnvelopeContext, seal_envelope
from shared.errors import TaiChoError
from shared.model import Dossier
from shared.sync import KIND_FEED, STATION
from shared.workdays import to_vn
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.keys import StationKeys
from sync_server.services.sync.enrollment import Device
from sync_server.store import sync_log as q
from sync_server.store.db import set_meta, transaction

TABLE = "feed"


def append(
    db: Database,
    keys: StationKeys,
    *,
    device_id: str,
    dossier_id: str,
    version: int,
    payload: m.FeedItem,
) -> int:
    seq = q.next_feed_seq(db)
    q.insert_feed(
        db,
        {
            "seq": seq,
            "device_id": device_id,
            "dossier_id": dossier_id,
            "version": version,
            "payload_enc": keys.encrypt(TABLE, seq, version, m.to_json_bytes(payload)),
            "created_at": iso(utc_now()),
        },
    )
    return seq


def state_payload(d: Dossier, result: dict[str, Any] | None) -> m.DossierState:
    return m.DossierState(
        type="dossier.state",
        dossier_id=d.id,
        code=d.code,
        status=d.status,
        version=d.version,
        history=list(d.history),
        due_at=d.due_at,
        result=None if result is None else m.decode(m.ResultFile, result, "result"),
    )


def append_state(
    db: Database, keys: StationKeys, d: Dossier, result: dict[str, Any] | None = None
) -> int:
    """Queue the dossier's new state for the tablet that made it: every desk change
    (action, personal-ID correction, apology) tells the tablet the same way, in the same
    transaction as the change."""
    return append(
        db,
        keys,
        device_id=d.device_id,
        dossier_id=d.id,
        version=d.version,
        payload=state_payload(d, result),
    )


def rejected_payload(dossier_id: str, code: str | None, err: TaiChoError) -> m.DossierRejected:
    return m.DossierRejected("dossier.rejected", dossier_id, code, m.Problem.of(err))


def conflict_payload(
    dossier_id: str, code: str | None, base: int, server: int, err: TaiChoError
) -> m.DossierConflict:
    return m.DossierConflict("dossier.conflict", dossier_id, code, base, server, m.Problem.of(err))


def pull(
    db: Database,
    keys: StationKeys,
    device: Device,
    after: int,
    limit: int,
    numbers: list[m.NumbersLeft] | None = None,
    staff_digest: str | None = None,
    anchor_rows: int | None = None,
    pending: int | None = None,
    held: m.HeldClaim | None = None,
) -> m.PullAnswer:
    """The device's items after its cursor; first, what the tablet asked to be brought up
    to date — dossier-number blocks for days that run low, the staff list, the audit
    anchors — is queued (it arrives in this very pull)."""
    # Imported late: these append to this feed.
    from sync_server.services.sync import anchor_feed, holdings, staff_feed

    if numbers:
        _top_up(db, keys, device, after, numbers)
    staff_feed.ensure_current(db, keys, device.id, staff_digest)
    anchor_feed.ensure_current(db, keys, device.id, anchor_rows)
    if pending is not None:
        record_pending(db, device.id, pending)
    rows = q.feed_after(db, device.id, after, limit + 1)
    more = len(rows) > limit
    items = []
    for row in rows[:limit]:
        payload = keys.decrypt(TABLE, row["seq"], row["version"], row["payload_enc"])
        ctx = EnvelopeContext(
            KIND_FEED, STATION, device.id, int(row["seq"]), row["dossier_id"], int(row["version"])
        )
        items.append(seal_envelope(ctx, payload, device.x_pub, keys.ed_sk))
    next_seq = int(rows[limit - 1]["seq"]) if more else (int(rows[-1]["seq"]) if rows else after)
    held_answer = None if held is None else holdings.answer(db, device.id, held)
    return m.PullAnswer(items, next_seq, more, held_answer)


def record_pending(db: Database, device_id: str, pending: int) -> None:
    """What the tablet said was still unsent at its last pull (for the revoke dialog)."""
    with transaction(db):
        set_meta(
            db,
            f"pending_report:{device_id}",
            json.dumps({"pending": pending, "at": iso(utc_now())}),
        )


def pending_reports(db: Database) -> dict[str, dict[str, Any]]:
    """device id → ``{"pending", "at"}`` as last reported by each tablet."""
    out: dict[str, dict[str, Any]] = {}
    for row in db.query("SELECT key, value FROM meta WHERE key LIKE 'pending_report:%'"):
        out[str(row["key"]).split(":", 1)[1]] = json.loads(str(row["value"]))
    return out


def _top_up(
    db: Database, keys: StationKeys, device: Device, after: int, numbers: list[m.NumbersLeft]
) -> None:
    # Imported late: the numbers service appends to this feed.
    from sync_server.services.station import get_unit_record
    from sync_server.services.sync import numbers as number_blocks

    unit = get_unit_record(db)
    if unit is None:
        return  # no commune yet: no codes to number
    with transaction(db):
        number_blocks.top_up(
            db,
            keys,
            device.id,
            unit.code,
            numbers,
            today=to_vn(utc_now()).date(),
            pulled_up_to=after,
        )
