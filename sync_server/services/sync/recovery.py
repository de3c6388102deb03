"""After a restore: what the station lost comes back from the tablets, and no number repeats.

A backup is older than the station that died. Tablets pushed after it, the station
handed out dossier numbers and register numbers after it, and staff changed dossiers at
the desk after it. :func:`after_restore` (run once by ``admin restore``) sets the
restored station up so that none of that is repeated or lost silently:

* **feed** — every new feed item gets a sequence above the backup's highest plus
  ``FEED_GAP``: tablets' cursors went past the backup, a reused sequence would be skipped;
* **dossier numbers** — for the days a block could have been granted after the backup,
  the station grants only above ``NUMBER_GAP`` numbers past what it knows; a tablet that
  pushes a number of that gap claims it (it was reserved to that tablet before), and
  the highest number a tablet reports raises the floor further;
* **register numbers** (Số of the registers) — each register's counter moves on
  ``REGISTER_GAP`` numbers (the audit entry names the range left unused);
* **tablets** — each active tablet is asked (a :class:`~shared.messages.RestoreNotice` in
  its next pull) to report what it holds (:func:`recover`): the station answers the last
  change it holds, the tablet re-sends the rest (same envelopes: nothing duplicated);
  dossiers whose feed items the station no longer has join the "cần xử lý lại" list.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.backup import Manifest
from shared.codes import DAY_CAPACITY, MAX_BLOCK, RESERVE_DAYS, DossierCode
from shared.permissions import Verb, can
from shared.workdays import to_vn
from shared.workflow import Role
from sync_server.services.core import audit
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.devices import active_device
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit_record
from sync_server.store import dossiers as dossiers_q
from sync_server.store import numbers as numbers_q
from sync_server.store import recovery as q
from sync_server.store import staff as staff_q
from sync_server.store.db import get_meta, set_meta, transaction

FEED_GAP = 1_000_000  # feed items the station may have written after the backup
NUMBER_GAP = MAX_BLOCK  # dossier numbers of a day it may have granted after the backup
REGISTER_GAP = 50  # register numbers it may have given after the backup
_REPORT_DAYS = 45  # a reported day further than this from today is ignored


def after_restore(
    db: Database, keys: StationKeys, manifest: Manifest, *, source: str, actor: str
) -> dict[str, Any]:
    """Set the restored station up (one transaction) and record the restore in the audit
    chain; returns what was done."""
    now = vn_now_iso()
    with transaction(db):
        floor = manifest.feed_seq + FEED_GAP
        old = int(get_meta(db, q.FEED_FLOOR_KEY) or 0)
        set_meta(db, q.FEED_FLOOR_KEY, str(max(floor, old)))
        days = _number_days(manifest, date.fromisoformat(now[:10]))
        unit = manifest.unit_code
        floors = 0
        if unit is not None:
            for day in days:
                key = day.isoformat()
                known = numbers_q.last_granted(db, unit, key)
                q.set_floor(db, unit, key, known, min(DAY_CAPACITY, known + NUMBER_GAP))
                floors += 1
        skipped = [
            {
                "register": r["register"],
                "year": int(r["year"]),
                "from": int(r["last_number"]) + 1,
                "to": int(r["last_number"]) + REGISTER_GAP,
            }
            for r in q.bump_registers(db, REGISTER_GAP)
        ]
        q.reset_devices(db)
        q.clear_redo(db)
        record = {
            "at": now,
            "backup_created_at": manifest.created_at,
            "backup_audit_rows": manifest.audit.rows,
            "feed_seq": manifest.feed_seq,
            "feed_floor": max(floor, old),
            "number_days": floors,
            "registers_skipped": skipped,
            "source": source,
        }
        set_meta(db, q.RESTORE_KEY, json.dumps(record, ensure_ascii=False))
        unused = "; ".join(f"{s['register']} {s['year']}: {s['from']}–{s['to']}" for s in skipped)
        audit.append(
            db,
            keys,
            action="station.restore",
            actor=actor,
            role=Role.ADMIN.value,
            at=now,
            reason=(
                f"Khôi phục từ bản sao lưu lúc {manifest.created_at} ({source}); nhật ký đến "
                f"dòng {manifest.audit.rows}. Số sổ bỏ trống: {unused or 'không có'}."
            ),
        )
    return record


def _number_days(manifest: Manifest, today: date) -> list[date]:
    """Days a block could have been granted for after the backup: from the day before it
    to the last day of the reserve window seen from today."""
    try:
        taken = to_vn(datetime.fromisoformat(manifest.created_at)).date()
    except ValueError:
        taken = today
    first, last = taken - timedelta(days=1), today + timedelta(days=RESERVE_DAYS + 1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def restore_info(db: Database) -> dict[str, Any] | None:
    raw = get_meta(db, q.RESTORE_KEY)
    return None if raw is None else dict(json.loads(raw))


def notice(db: Database, device_id: str, push_acked: int) -> m.RestoreNotice | None:
    """The notice a pull carries while this tablet has not reported since the restore."""
    row = q.device(db, device_id)
    if row is None or row["reported_at"] is not None:
        return None
    info = restore_info(db) or {}
    return m.RestoreNotice(int(info.get("feed_seq", 0)), push_acked, str(info.get("at", ""))[:40])


def recover(db: Database, req: m.RecoverRequest) -> m.RecoverAnswer:
    """Take a tablet's report once after a restore; always answer what the station holds.

    The request is not signed (like pull: the tablet may be locked), so it can only add
    what a restore lost and staff check: usernames must be active intake staff, numbers
    only raise a floor, states only list dossiers this tablet sent whose version the
    station has not reached. A second report changes nothing.
    """
    with transaction(db):
        device = active_device(db, req.device_id)
        row = q.device(db, device.id)
        if row is not None and row["reported_at"] is None:
            _take_report(db, device.id, req)
            q.mark_reported(db, device.id, req.acked, iso(utc_now()))
        return m.RecoverAnswer(device.push_acked)


def _take_report(db: Database, device_id: str, req: m.RecoverRequest) -> None:
    for username in req.users:
        staff = staff_q.get(db, username)
        if staff is not None and staff["active"] and can(Role(staff["role"]), Verb.DOSSIER_RECEIVE):
            q.add_unlock(db, device_id, username)
    info = restore_info(db) or {}
    today = to_vn(utc_now()).date()
    unit = _unit_code(db)
    for held in req.numbers:
        try:
            day = date.fromisoformat(held.day)
        except ValueError:
            continue  # "2026-13-45" has the shape of a date, not a date
        if unit is None or abs((day - today).days) > _REPORT_DAYS:
            continue
        known = numbers_q.last_granted(db, unit, held.day)
        q.set_floor(db, unit, held.day, known, max(known, held.hi))
    at = str(info.get("at", iso(utc_now())))
    for s in req.states:
        d = dossiers_q.get(db, s.dossier_id)
        if d is None:
            # Lost whole (it will come back as received when the tablet re-sends it):
            # only the office's own changes make a version above 1.
            if s.version < 2:
                continue
        elif d["device_id"] != device_id or int(d["version"]) >= s.version:
            continue
        q.add_redo(
            db,
            {
                "dossier_id": s.dossier_id,
                "code": s.code if d is None else d["code"],
                "device_id": device_id,
                "station_version": 0 if d is None else int(d["version"]),
                "station_status": "" if d is None else d["status"],
                "tablet_version": s.version,
                "tablet_status": s.status.value,
                "reported_at": at,
            },
        )


def _unit_code(db: Database) -> str | None:
    unit = get_unit_record(db)
    return None if unit is None else unit.code


def claim_number(db: Database, device_id: str, code: DossierCode) -> str | None:
    """The holder of a pushed number the station does not know: a number in a restore's
    gap (above what the backup had granted, up to the floor) was reserved before the
    restore to the tablet that pushes it, so that tablet claims it. The holder it has, or
    None when nobody may hold it."""
    key = code.day.isoformat()
    held = numbers_q.holder(db, code.unit, key, code.number)
    if held is not None:
        return held  # claimed already (or granted): never twice
    row = q.floor(db, code.unit, key)
    if row is None or not int(row["restored_hi"]) < code.number <= int(row["floor"]):
        return None
    q.claim_block(db, code.unit, key, code.number, device_id, iso(utc_now()))
    return device_id


def unlocked_before_restore(db: Database, device_id: str) -> set[str]:
    """Intake staff a tablet reported holding PIN wraps after a restore."""
    return q.unlocked_before_restore(db, device_id)


def resend_window(db: Database, device_id: str) -> int:
    """Changes up to this sequence are re-sends of what a restore lost (0: none): their
    receipt time is old by nature, so the age window of a new push does not apply."""
    row = q.device(db, device_id)
    if row is None:
        return 0
    return int(row["reported_acked"] or 0) if row["reported_at"] is not None else 0


def redo_list(db: Database) -> list[dict[str, Any]]:
    """The "cần xử lý lại" list: dossiers changed at the desk after the backup, as the
    tablets' feed copies showed them, with their status now (``done`` once caught up)."""
    return [
        {**r, "done": int(r["version_now"] or 0) >= int(r["tablet_version"])}
        for r in q.redo_list(db)
    ]
