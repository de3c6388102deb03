"""How a desk change to a dossier is written down, once for every kind of change.

Every change made at the station — a workflow action, the child's personal ID, an
apology, a lookup, the spouses' signatures — bumps the dossier's version, leaves a
history entry, is saved, gets an audit row and a feed item for the tablet that owns the
dossier, all in the caller's transaction. A workflow action moves the status
(``actions.act``); the others note who did what and leave the status as it is
(:func:`append_note`).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared.model import Dossier, HistoryEntry
from shared.workflow import Action, Status
from sync_server.services.core import audit, feed
from sync_server.services.core.keys import StationKeys
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.setup.staff import Staff


def append_note(d: Dossier, staff: Staff, action: Action, at: str, note: str | None) -> None:
    """The dossier's next version with a history entry that leaves its status as it is:
    who did ``action``, when, and the note (a reason, the number replaced, …)."""
    d.version += 1
    d.history.append(
        HistoryEntry(
            action, d.status.value, d.status.value, staff.username, staff.role.value, at, note
        )
    )


def record_change(
    db: Database,
    keys: StationKeys,
    d: Dossier,
    staff: Staff,
    *,
    action: Action,
    at: str,
    before: Status,
    reason: str | None,
    result: dict[str, Any] | None = None,
) -> None:
    """``d`` saved as changed (its version bumped), with the audit entry and the tablet's
    feed item, in the caller's transaction: every desk change (action, personal-ID
    correction, apology, lookup, signatures) is stored, logged and told the same way."""
    dossier_store.save(db, keys, d)
    audit.append(
        db,
        keys,
        action=action,
        actor=staff.username,
        role=staff.role.value,
        at=at,
        dossier_id=d.id,
        device_id=d.device_id,
        from_status=before.value,
        to_status=d.status.value,
        reason=reason,
    )
    feed.append_state(db, keys, d, result)
