"""The per-device change feed, read side: a tablet's pull. What the tablet asked to be
brought up to date (number blocks, the staff list, audit anchors, the province's
communes) is queued first, then the items after its cursor are sealed to it and signed
(``core.feed`` writes them)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.envelope import EnvelopeContext, seal_envelope
from shared.sync import KIND_FEED, STATION
from shared.workdays import to_vn
from sync_server.services.core import feed
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.devices import Device
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit_record
from sync_server.services.sync import anchor_feed, communes_feed, holdings, staff_feed
from sync_server.services.sync import numbers as number_blocks
from sync_server.store import sync_log as q
from sync_server.store.db import meta_with_prefix, set_meta, transaction

# meta key prefix: what each tablet said was still unsent at its last pull
_PENDING = "pending_report"


def pull(
    db: Database,
    keys: StationKeys,
    device: Device,
    after: int,
    limit: int,
    numbers: list[m.NumbersLeft] | None = None,
    staff_digest: str | None = None,
    anchor_rows: int | None = None,
    communes_digest: str | None = None,
    pending: int | None = None,
    held: m.HeldClaim | None = None,
) -> m.PullAnswer:
    """The device's items after its cursor; first, what the tablet asked to be brought up
    to date — dossier-number blocks for days that run low, the staff list, the audit
    anchors — is queued (it arrives in this very pull)."""
    if numbers:
        _top_up(db, keys, device, after, numbers)
    staff_feed.ensure_current(db, keys, device.id, staff_digest)
    anchor_feed.ensure_current(db, keys, device.id, anchor_rows)
    communes_feed.ensure_current(db, keys, device.id, communes_digest)
    if pending is not None:
        record_pending(db, device.id, pending)
    rows = q.feed_after(db, device.id, after, limit + 1)
    more = len(rows) > limit
    items = []
    for row in rows[:limit]:
        payload = keys.decrypt(feed.TABLE, row["seq"], row["version"], row["payload_enc"])
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
            f"{_PENDING}:{device_id}",
            json.dumps({"pending": pending, "at": iso(utc_now())}),
        )


def pending_reports(db: Database) -> dict[str, dict[str, Any]]:
    """device id → ``{"pending", "at"}`` as last reported by each tablet."""
    return {k: json.loads(v) for k, v in meta_with_prefix(db, _PENDING).items()}


def _top_up(
    db: Database, keys: StationKeys, device: Device, after: int, numbers: list[m.NumbersLeft]
) -> None:
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
