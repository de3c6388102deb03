"""The per-device change feed, written side: an item is written in the same transaction as
the change it reports, by whichever service makes the change (an action, a calendar day,
a number block, a catalogue version). It is sealed to the device only when pulled
(``sync.pull``), so a key rotation never strands stored items.

Items are the records declared in ``shared.messages`` (``FeedItem``); they are stored as
their JSON form, encrypted at rest.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.errors import TaiChoError
from shared.model import Dossier
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.keys import StationKeys
from sync_server.store import sync_log as q

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
        paper_result=d.paper_result,
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
