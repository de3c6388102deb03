"""Does the station still hold what it acknowledged from a tablet? (issue 22 §5)

Audit anchors catch a log cut or rebuilt *before* the newest anchor. A cut after it — the
last rows and the dossiers they received — leaves no anchor to contradict, but each
tablet knows what the station acknowledged from it. At each pull the tablet sends a
digest of its acknowledged changes (``HeldClaim``: ``shared.sync.held_digest`` over each
change's sequence number and envelope digest); :func:`answer` computes the same over the
push log, lists the applied changes whose dossier is gone, and the tablet compares
(``shared.sync.held_problem``). A mismatch is an alarm on both sides: the tablet shows
``STATION_LOST_CHANGES``; the station logs an error and marks the tablet on the desk's
tablet page until a later pull matches again. ``audit-verify`` replays the push log
against the dossiers too (``core.audit.check_sync_log``).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.sync import held_digest, held_problem
from sync_server.services.core.clock import iso, utc_now
from sync_server.store import sync_log as q
from sync_server.store.db import delete_meta, get_meta, meta_with_prefix, set_meta, transaction

_MAX_MISSING = 100
_log = logging.getLogger("sync_server.audit")


_PREFIX = "held_alarm"


def _key(device_id: str) -> str:
    return f"{_PREFIX}:{device_id}"


def answer(db: Database, device_id: str, claim: m.HeldClaim) -> m.HeldAnswer:
    """The station's side of the check, and the station's alarm when it fails."""
    rows = q.held_rows(db, device_id, claim.through)
    digest = held_digest((seq, env_hash) for seq, env_hash, _ in rows)
    missing = [seq for seq, _, lost in rows if lost][:_MAX_MISSING]
    out = m.HeldAnswer(claim.through, digest, len(rows), missing)
    err = held_problem(claim.through, claim.digest, out.through, digest, len(rows), missing)
    key = _key(device_id)
    with transaction(db):
        if err is not None:
            _log.error(
                "tablet %s: the station no longer holds what it acknowledged (changes "
                "1..%d: %d in the push log, %d applied without their dossier)",
                device_id,
                claim.through,
                len(rows),
                len(missing),
            )
            alarm = {**err.ctx, "at": iso(utc_now()), "missing": missing[:10]}
            set_meta(db, key, json.dumps(alarm))
        elif get_meta(db, key) is not None:
            delete_meta(db, key)
    return out


def alarms(db: Database) -> dict[str, dict[str, Any]]:
    """device id → its standing alarm (``count``, ``first``, ``through``, ``at``)."""
    return {k: json.loads(v) for k, v in meta_with_prefix(db, _PREFIX).items()}
