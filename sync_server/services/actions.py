"""Workflow actions taken at the station (appraise, approve, stamp, return).

One action = one transaction: the new status and version, the history entry, the audit
row, the result document (signed on approve, sealed on stamp) and the feed item for the
originating tablet either all land or none does.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.errors import problem
from shared.model import HistoryEntry
from shared.workflow import STATION_ACTIONS, TRANSITIONS, next_status
from sync_server.services import audit, feed, reports, stamping
from sync_server.services import dossiers as dossier_store
from sync_server.services.clock import vn_now_iso
from sync_server.services.keys import StationKeys
from sync_server.services.staff import Staff
from sync_server.store import reports as reports_q
from sync_server.store.db import transaction

# The citizen's satisfaction at return (the one-stop-shop survey's three answers).
RATINGS: dict[str, str] = {
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "unsatisfied": "Không hài lòng",
}
_COMMENT_MAX = 1000


def apply_action(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    action: str,
    reason: str | None,
    *,
    rating: str | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Run one transition for ``staff``; returns the updated dossier view.

    ``rating`` (and its optional ``comment``) is the citizen's satisfaction, recorded in
    the same transaction as a ``return``; any other action refuses it.
    """
    if action not in TRANSITIONS or action not in STATION_ACTIONS:
        # Tablet-side actions (receive, supplement, withdraw) arrive by sync, not here.
        raise problem("ACTION_UNKNOWN", "action", action=action)
    reason = reason.strip() if isinstance(reason, str) and reason.strip() else None
    comment = comment.strip() if isinstance(comment, str) and comment.strip() else None
    if rating is not None and (action != "return" or rating not in RATINGS):
        raise problem("REQUEST_INVALID", "rating", detail=f"rating: {', '.join(RATINGS)}")
    if comment is not None and (rating is None or len(comment) > _COMMENT_MAX):
        raise problem("REQUEST_INVALID", "comment", detail=f"comment: ≤ {_COMMENT_MAX}")
    with transaction(db):
        d = dossier_store.load(db, keys, dossier_id)
        before = d.status
        after = next_status(before, action, staff.role, reason)
        at = vn_now_iso()
        d.status = after
        d.version += 1
        d.history.append(
            HistoryEntry(
                action, before.value, after.value, staff.username, staff.role.value, at, reason
            )
        )
        proc = catalogue.get(d.procedure)
        result: dict[str, Any] | None
        if action == "approve":
            # Rendered and signed by the approving leader now; issued when sealed.
            stamping.approve_result(db, keys, d, proc.result_template, staff)
            result = None
        elif action == "stamp":
            result = stamping.stamp_result(db, keys, d, proc.result_name.vi)
        else:
            result = stamping.result_for_feed(db, keys, d, proc.result_name.vi)
        dossier_store.save(db, keys, d)
        if rating is not None:
            _record_rating(db, keys, d.id, rating, comment, staff.username, at)
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
            to_status=after.value,
            reason=reason,
        )
        feed.append(
            db,
            keys,
            device_id=d.device_id,
            dossier_id=d.id,
            version=d.version,
            payload=feed.state_payload(d, result),
        )
    return dossier_store.detail(d, catalogue, staff.role)


def _record_rating(
    db: Database,
    keys: StationKeys,
    dossier_id: str,
    rating: str,
    comment: str | None,
    by: str,
    at: str,
) -> None:
    """Inside the return's transaction; the reports' one ratings table (comment encrypted)."""
    reports.record_rating(
        db, keys, dossier_id=dossier_id, level=rating, comment=comment, actor=by, at=at
    )


def rating_of(db: Database, keys: StationKeys, dossier_id: str) -> dict[str, Any] | None:
    """The rating recorded at return, with its Vietnamese label; None if none was given."""
    row = reports_q.rating_of(db, dossier_id)
    if row is None:
        return None
    comment = (
        None
        if row["comment_enc"] is None
        else keys.decrypt(reports.RATINGS_TABLE, dossier_id, 1, row["comment_enc"]).decode()
    )
    return {
        "rating": row["level"],
        "label": RATINGS.get(row["level"], row["level"]),
        "comment": comment,
        "recorded_by": row["actor"],
        "recorded_at": row["at"],
    }
