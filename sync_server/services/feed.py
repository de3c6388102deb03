"""The per-device change feed: written in the same transaction as the change it reports,
sealed to the device only when pulled (so a key rotation never strands stored items).

Items are the records declared in ``shared.messages`` (``FeedItem``); they are stored as
their JSON form, encrypted at rest.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.envelope import EnvelopeContext, seal_envelope
from shared.errors import TaiChoError
from shared.model import Dossier
from shared.sync import KIND_FEED, STATION
from shared.workdays import to_vn
from sync_server.services.clock import iso, utc_now
from sync_server.services.enrollment import Device
from sync_server.services.keys import StationKeys
from sync_server.store import sync_log as q
from sync_server.store.db import transaction

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
) -> m.PullAnswer:
    """The device's items after its cursor; first, if it reported its dossier numbers,
    the blocks for days that run low are reserved (they arrive in this very pull)."""
    # Imported late: staff_feed appends to this feed.
    from sync_server.services import staff_feed

    staff_feed.ensure_current(db, keys, device.id)
    if numbers:
        _top_up(db, keys, device, after, numbers)
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
    return m.PullAnswer(items, next_seq, more)


def _top_up(
    db: Database, keys: StationKeys, device: Device, after: int, numbers: list[m.NumbersLeft]
) -> None:
    # Imported late: the numbers service appends to this feed.
    from sync_server.services import numbers as number_blocks
    from sync_server.services.station import get_unit_record

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
