"""Audit anchors on every tablet: each signed checkpoint of the audit chain is queued in
the feed of a tablet that asks for them, so an office's chain cannot be truncated or
rebuilt without contradicting anchors held on its tablets (``audit-verify --anchor``).

A tablet's pull says the highest anchor it holds (``anchor_rows``); the station queues
the stored anchors after it that it has not queued for that tablet yet (a locked tablet
pulls but opens later), at most ``MAX_PER_PULL`` at a time, newest last. A pull also
anchors the head when the newest anchor is more than an hour old and the log moved since
(issue 22 §5: anchors often enough that a cut cannot hide below the newest one for long).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlite_utils import Database

from shared import messages as m
from shared.workdays import VN_TZ
from sync_server.services.core import audit, feed
from sync_server.services.core.clock import utc_now, vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.store import audit as audit_store
from sync_server.store.db import get_meta, set_meta, transaction

FEED_RECORD_ID = "audit"  # the feed's record id for anchors (not a dossier)
MAX_PER_PULL = 60
ANCHOR_AT_PULL_AFTER = timedelta(hours=1)


def _fresh_anchor(db: Database, keys: StationKeys) -> None:
    """Anchor the head at a pull when it moved since the newest anchor and that anchor is
    older than ``ANCHOR_AT_PULL_AFTER``: tablets then hold anchors within the hour, so a
    cut can hide only in the last hour's rows (and those the tablets' held check covers)."""
    stored = audit_store.anchors(db)
    newest = json.loads(stored[-1]) if stored else None
    head = audit.chain_head(db)
    if int(head["rows"]) == 0 or (newest is not None and int(newest["rows"]) >= head["rows"]):
        return
    now = utc_now()
    if newest is not None:
        at = datetime.fromisoformat(str(newest["at"]))
        if at.tzinfo is None:  # written without an offset: Vietnamese time
            at = at.replace(tzinfo=VN_TZ)
        if now - at < ANCHOR_AT_PULL_AFTER:
            return
    with transaction(db):
        audit.anchor(db, keys, vn_now_iso())


def ensure_current(db: Database, keys: StationKeys, device_id: str, tablet_rows: int | None) -> int:
    """Queue the anchors this tablet lacks; returns how many were queued."""
    if tablet_rows is None:
        return 0
    _fresh_anchor(db, keys)
    key = f"anchor_sent:{device_id}"
    queued = int(get_meta(db, key) or "0")
    after = max(tablet_rows, queued)
    newer = [a for a in map(json.loads, audit_store.anchors(db)) if int(a["rows"]) > after]
    if not newer:
        return 0
    newer = newer[-MAX_PER_PULL:]
    with transaction(db):
        for a in newer:
            feed.append(
                db,
                keys,
                device_id=device_id,
                dossier_id=FEED_RECORD_ID,
                version=int(a["rows"]),
                payload=m.AuditAnchor(
                    "audit.anchor", int(a["rows"]), str(a["head"]), str(a["at"]), str(a["sig"])
                ),
            )
        set_meta(db, key, str(int(newer[-1]["rows"])))
    return len(newer)
