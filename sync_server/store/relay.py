"""Queries on the sealed relay's tables (cross-commune intake, docs/province.md):
``relay_out`` (what waits to be sealed or stored by the hub), ``relay_in`` (what arrived,
once per sender and seq), ``relay_links`` (each forwarded dossier and the other station)
and ``relay_results`` (at the receiving station: the signed result the competent one
sent, encrypted)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared.province import COUNTED_BY_PEER
from sync_server.store.db import one

_PEER_STATES = ", ".join(f"'{s}'" for s in COUNTED_BY_PEER)
# The rows another station counts (``shared.province.COUNTED_BY_PEER``): the reports'
# queries leave them out by rowid, which every index holds, so their covering indexes
# still cover; the subquery is run once per query (a handful of rows).
ELSEWHERE_DOSSIER_ROWIDS = (
    "SELECT rd.rowid FROM relay_links rl JOIN dossiers rd ON rd.id = rl.dossier_id "
    f"WHERE rl.direction = 'out' AND rl.state IN ({_PEER_STATES})"
)
ELSEWHERE_RATING_ROWIDS = (
    "SELECT rr.rowid FROM relay_links rl JOIN ratings rr ON rr.dossier_id = rl.dossier_id "
    f"WHERE rl.direction = 'out' AND rl.state IN ({_PEER_STATES})"
)

LINK_COLUMNS = frozenset({"direction", "peer", "state", "peer_version", "problem", "updated_at"})


def link(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM relay_links WHERE dossier_id = ?", (dossier_id,))


def set_link(db: Database, dossier_id: str, values: dict[str, Any]) -> None:
    """Create the link (every column given) or change the columns given."""
    if not set(values) <= LINK_COLUMNS:
        raise ValueError(f"relay_links has no {sorted(set(values) - LINK_COLUMNS)}")
    if link(db, dossier_id) is None:
        db.table("relay_links").insert({"dossier_id": dossier_id, **values})
        return
    names = sorted(values)
    sets = ", ".join(f"{n} = ?" for n in names)
    db.execute(
        f"UPDATE relay_links SET {sets} WHERE dossier_id = ?",
        [*(values[n] for n in names), dossier_id],
    )


def links(db: Database) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query("SELECT * FROM relay_links ORDER BY updated_at")]


def enqueue(db: Database, recipient: str, dossier_id: str, kind: str, at: str) -> int:
    cur = db.execute(
        "INSERT INTO relay_out (recipient, dossier_id, kind, created_at) VALUES (?, ?, ?, ?)",
        (recipient, dossier_id, kind, at),
    )
    return int(cur.lastrowid or 0)


def out_row(db: Database, seq: int) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM relay_out WHERE seq = ?", (seq,))


def unsealed(db: Database) -> list[dict[str, Any]]:
    return [
        dict(r) for r in db.query("SELECT * FROM relay_out WHERE envelope IS NULL ORDER BY seq")
    ]


def set_out_problem(db: Database, seq: int, problem: str | None) -> None:
    db.execute("UPDATE relay_out SET problem = ? WHERE seq = ?", (problem, seq))


def set_sealed(db: Database, seq: int, envelope: str, at: str) -> None:
    db.execute(
        "UPDATE relay_out SET envelope = ?, sealed_at = ?, problem = NULL WHERE seq = ?",
        (envelope, at, seq),
    )


def unstored(db: Database, limit: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.query(
            "SELECT seq, recipient, envelope FROM relay_out "
            "WHERE envelope IS NOT NULL AND stored_at IS NULL ORDER BY seq LIMIT ?",
            (limit,),
        )
    ]


def set_stored(db: Database, seq: int, at: str) -> None:
    db.execute("UPDATE relay_out SET stored_at = ? WHERE seq = ?", (at, seq))


def waiting(db: Database) -> list[dict[str, Any]]:
    return [
        dict(r) for r in db.query("SELECT * FROM relay_out WHERE stored_at IS NULL ORDER BY seq")
    ]


def arrived(db: Database, sender: str, seq: int) -> bool:
    return one(db, "SELECT 1 FROM relay_in WHERE sender = ? AND seq = ?", (sender, seq)) is not None


def add_arrived(db: Database, row: dict[str, Any]) -> None:
    db.table("relay_in").insert(row)


def savepoint(db: Database, name: str, action: str) -> None:
    """``begin`` / ``rollback`` / ``release`` a savepoint inside the caller's transaction."""
    sql = {"begin": "SAVEPOINT {}", "rollback": "ROLLBACK TO {}", "release": "RELEASE {}"}
    db.execute(sql[action].format(name))


def device_exists(db: Database, device_id: str) -> bool:
    return one(db, "SELECT 1 FROM devices WHERE id = ?", (device_id,)) is not None


def used_slots(db: Database) -> set[int]:
    return {int(r["slot"]) for r in db.query("SELECT slot FROM devices")}


def add_device(db: Database, row: dict[str, Any]) -> None:
    db.table("devices").insert(row)


def result(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM relay_results WHERE dossier_id = ?", (dossier_id,))


def put_result(db: Database, row: dict[str, Any]) -> None:
    db.table("relay_results").upsert(row, pk="dossier_id")
