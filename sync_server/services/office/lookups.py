"""The lookup step at the desk (shared.lookups): record what was looked up instead of a
paper, open a verification when nothing was found, close it with its outcome.

Each change is one transaction: the lookup row (content encrypted), a history entry of
the dossier (so the desk's and the tablet's timelines show it), the audit row and the
feed item for the originating tablet. A verification lengthens the due time only where
the law allows it (``shared.time_limits``); the appraiser cannot accept while one is
open.

Who answers a lookup is a :class:`shared.lookups.LookupSource`: today the officer types
the result (``ManualSource``); a connection to the provincial system would answer here
first and leave the officer only what it cannot.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.errors import problem
from shared.lookups import (
    LookupRecord,
    LookupSource,
    ManualSource,
    close_note,
    lookups_needed,
    open_verifications,
    parse_answer,
)
from shared.model import Dossier
from shared.time_limits import legal_limit_days
from shared.views import LookupNeedView, LookupsView
from shared.workdays import due_at, to_vn
from shared.workflow import Action, Status, transition_not_allowed
from sync_server.services.core import audit, feed
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office.changes import append_note
from sync_server.services.setup.calendar import calendar_overrides
from sync_server.services.setup.staff import Staff
from sync_server.store import lookups as q
from sync_server.store.db import transaction

TABLE = "lookups"
RECORD_ACTION = Action.RECORD_LOOKUP
CLOSE_ACTION = Action.CLOSE_VERIFICATION
# While the dossier is being received or appraised; after acceptance it is too late.
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.APPRAISING})
_SOURCE: LookupSource = ManualSource()


def _records(db: Database, keys: StationKeys, dossier_id: str) -> list[LookupRecord]:
    return [
        LookupRecord.from_dict(keys.decrypt_json(TABLE, row["id"], 1, row["data_enc"]))
        for row in q.of_dossier(db, dossier_id)
    ]


def view(db: Database, keys: StationKeys, catalogue: Catalogue, d: Dossier) -> LookupsView:
    """What the desk shows: each lookup the dossier needs with its latest record, every
    record in order, and the verifications still open."""
    proc = catalogue.get(d.procedure)
    records = _records(db, keys, d.id)
    latest = {r.key: r for r in records}
    needs = [LookupNeedView(n, latest.get(n.key)) for n in lookups_needed(proc, d.values)]
    return LookupsView(needs=needs, records=records, may_record=d.status in OPEN_STATUSES)


def _log(
    db: Database, keys: StationKeys, d: Dossier, staff: Staff, action: Action, at: str, note: str
) -> None:
    """History entry (status unchanged), audit row and feed item, in the caller's
    transaction — as every desk change to a dossier is logged and told."""
    append_note(d, staff, action, at, note)
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
        from_status=d.status.value,
        to_status=d.status.value,
        reason=note,
    )
    feed.append_state(db, keys, d, None)


def record_lookup(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    *,
    key: Any,
    database: Any,
    result: Any,
    note: Any = None,
) -> LookupsView:
    """Record one lookup; a result other than "found" opens a verification, which
    extends the due time where the law allows. Returns :func:`view`."""
    with transaction(db):
        d = dossier_store.load(db, keys, dossier_id)
        if d.status not in OPEN_STATUSES:
            raise transition_not_allowed(RECORD_ACTION, d.status, "key")
        proc = catalogue.get(d.procedure)
        needs = lookups_needed(proc, d.values)
        answer = parse_answer(needs, key, database, result, note)
        need = next(n for n in needs if n.key == answer.key)
        at = vn_now_iso()
        verifying = answer.result != "found"
        rec = LookupRecord(
            id=str(uuid.uuid4()),
            dossier_id=d.id,
            key=answer.key,
            what=need.what,
            database=answer.database,
            result=answer.result,
            note=answer.note,
            by=staff.username,
            role=staff.role.value,
            at=at,
            verification="open" if verifying else None,
        )
        text = rec.summary()
        if verifying:
            text += "; mở xác minh"
            days = legal_limit_days(proc, d.values, verifying=True)
            if d.received_at and days > legal_limit_days(proc, d.values):
                moment = to_vn(_parse(d.received_at))
                new_due = due_at(moment, days, overrides=calendar_overrides(db))
                if d.due_at is None or new_due > to_vn(_parse(d.due_at)):
                    d.due_at = new_due.isoformat(timespec="seconds")
                    text += (
                        f"; hạn trả kéo dài đến {new_due:%H} giờ {new_due:%M} phút, "
                        f"ngày {new_due:%d/%m/%Y} ({days:02d} ngày làm việc)"
                    )
        q.insert(
            db,
            {
                "id": rec.id,
                "dossier_id": d.id,
                "seq": q.next_seq(db, d.id),
                "verification": rec.verification,
                "at": at,
                "data_enc": keys.encrypt_json(TABLE, rec.id, 1, rec.to_dict()),
            },
        )
        _log(db, keys, d, staff, RECORD_ACTION, at, text)
        return view(db, keys, catalogue, d)


def close_verification(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    lookup_id: str,
    note: Any,
) -> LookupsView:
    """Close the verification a lookup opened, with its outcome (checked once the dossier
    and the lookup are known to exist: a missing one answers 404 first)."""
    with transaction(db):
        d = dossier_store.load(db, keys, dossier_id)
        row = q.get(db, lookup_id)
        if row is None or row["dossier_id"] != d.id:
            raise problem(
                "LOOKUP_INVALID",
                "lookup_id",
                detail="no such lookup on this dossier",
                detail_vi="không có việc tra cứu này trong hồ sơ",
            )
        rec = LookupRecord.from_dict(keys.decrypt_json(TABLE, row["id"], 1, row["data_enc"]))
        if not rec.verification_open:
            raise problem(
                "LOOKUP_INVALID",
                "lookup_id",
                detail="this lookup has no open verification",
                detail_vi="việc tra cứu này không có xác minh đang mở",
            )
        if d.status not in OPEN_STATUSES:
            raise transition_not_allowed(CLOSE_ACTION, d.status, "lookup_id")
        outcome = close_note(note)
        at = vn_now_iso()
        done = LookupRecord(
            **{
                **rec.__dict__,
                "verification": "closed",
                "closed_by": staff.username,
                "closed_at": at,
                "closed_note": outcome,
            }
        )
        q.update(db, rec.id, "closed", keys.encrypt_json(TABLE, rec.id, 1, done.to_dict()))
        _log(db, keys, d, staff, CLOSE_ACTION, at, f"{rec.what}: {outcome}")
        return view(db, keys, catalogue, d)


def require_settled(db: Database, keys: StationKeys, catalogue: Catalogue, dossier_id: str) -> None:
    """``LOOKUPS_PENDING`` while a verification of the dossier is still open."""
    pending = open_verifications(_records(db, keys, dossier_id))
    if pending:
        items = "; ".join(r.what for r in pending)
        raise problem("LOOKUPS_PENDING", "lookups", items=items, items_en=items)


def _parse(iso_text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(iso_text)
