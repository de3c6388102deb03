"""The desk's and the ingest's side of cross-commune intake: which station does what to a
dossier that travels through the provincial hub, and queuing what the other must know.

Here, below the relay itself (``services/province/relay.py``, which seals, sends and
applies), because the desk's actions and the tablet's ingest call these in their own
transactions: a dossier received for another commune, and every later change of one, is
queued in the very transaction that makes it — nothing is decided that is not queued.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared.errors import problem
from shared.model import Dossier
from shared.workflow import Action
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.store import relay as q

RESULTS_TABLE = "relay_results"


def link_of(db: Database, dossier_id: str) -> dict[str, Any] | None:
    """The dossier's relay link (direction ``out`` at A, ``in`` at B), or None."""
    return q.link(db, dossier_id)


def enqueue(db: Database, recipient: str, dossier_id: str, kind: str) -> int:
    return q.enqueue(db, recipient, dossier_id, kind, iso(utc_now()))


def enqueue_forward(db: Database, d: Dossier, own_unit: str | None) -> bool:
    """At A, when a dossier is received: queue it for its competent commune if that is
    another one. True when queued."""
    target = d.competent_unit
    if not target or target == own_unit or link_of(db, d.id) is not None:
        return False
    q.set_link(
        db,
        d.id,
        {
            "direction": "out",
            "peer": target,
            "state": "queued",
            "peer_version": 0,
            "updated_at": vn_now_iso(),
        },
    )
    enqueue(db, target, d.id, "dossier.forward")
    return True


def note_change(db: Database, d: Dossier) -> bool:
    """After a desk change of ``d`` (saved): a linked dossier tells the other station.
    True when ``d`` came from another commune (then its tablet is not here)."""
    link = link_of(db, d.id)
    if link is None:
        return False
    if link["direction"] == "out" and link["state"] in ("queued", "held", "refused"):
        return False  # not at B (yet, or at all): nothing to tell
    enqueue(db, str(link["peer"]), d.id, "dossier.state")
    return bool(link["direction"] == "in")


def guard(db: Database, dossier_id: str, action: str, code: str = "") -> None:
    """The competent station B decides (everything but the return); the receiving A
    returns the result. A dossier B refused is A's own again."""
    link = link_of(db, dossier_id)
    if link is None:
        return
    out = link["direction"] == "out"
    if out and link["state"] == "refused":
        return
    if (out and action != Action.RETURN) or (not out and action == Action.RETURN):
        raise problem(
            "HUB_RELAY_ELSEWHERE",
            "action",
            dossier_code=code or dossier_id,
            unit=str(link["peer"]) if out else "xã tiếp nhận / the receiving commune",
        )


def relayed_result(db: Database, keys: StationKeys, dossier_id: str) -> bytes | None:
    """At A: the signed result B sent, as received (None when there is none)."""
    row = q.result(db, dossier_id)
    if row is None:
        return None
    return keys.decrypt(RESULTS_TABLE, dossier_id, row["sha256"], row["pdf_enc"])
