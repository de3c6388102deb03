"""Edits kept as conflicts: written by a push (``ingest``), read back for the caseworkers.

A tablet edits a dossier only in ``draft`` or ``supplement_requested``; an edit made on an
older version than the station's (the office moved the dossier on meanwhile) is kept,
sealed like every payload, and the tablet is told (``dossier.conflict`` in its feed). The
handbook asks that such an edit be "shown to staff, never silently dropped": this module
opens the kept edits of one dossier and says which values each would change, for the
dossier's page at the desk (``door.held_edits``).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.errors import TaiChoError
from shared.model import Dossier
from shared.views import HeldEdit, changed_values
from sync_server.services.core.keys import StationKeys
from sync_server.store import dossiers as dossiers_q

# The table name the kept payloads are sealed under (the associated data of their blob).
CONFLICTS_TABLE = "conflicts"


def seal_edit(keys: StationKeys, device_id: str, seq: int, d: Dossier) -> bytes:
    """The held edit's payload, bound to its device, push sequence and version."""
    return keys.encrypt_json(CONFLICTS_TABLE, f"{device_id}/{seq}", d.version, d.to_dict())


def _opened(keys: StationKeys, row: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = keys.decrypt_json(
        CONFLICTS_TABLE, f"{row['device_id']}/{row['push_seq']}", row["version"], row["payload_enc"]
    )
    return payload


def held_edits(db: Database, keys: StationKeys, catalogue: Catalogue, d: Dossier) -> list[HeldEdit]:
    """The edits of ``d`` kept as conflicts, oldest first, each with the values it would
    change against the dossier as the office holds it now."""
    try:
        proc = catalogue.get(d.procedure, d.procedure_version)
    except TaiChoError:
        proc = None  # a procedure no longer known: the edit is still shown, without values
    out: list[HeldEdit] = []
    for row in dossiers_q.conflicts_of(db, d.id):
        values = _opened(keys, row).get("values") or {}
        out.append(
            HeldEdit(
                device_id=str(row["device_id"]),
                device_name=str(row["device_name"]),
                push_seq=int(row["push_seq"]),
                base_version=int(row["base_version"]),
                server_version=int(row["server_version"]),
                created_at=str(row["created_at"]),
                resolved_at=row["resolved_at"],
                changes=changed_values(proc, d.values, values) if proc else [],
            )
        )
    return out
