"""SQL functions the report triggers call: working hours between two stored times.

Registered on every station connection (:func:`sync_server.store.db.connect`), so the
trigger of migration 0005 can store each dossier's working hours from receipt to return
in the same transaction as the ``return`` audit entry, computed by the same pure
function as the reference report (``shared.reports.working_hours``). A report over a
year then reads one indexed column instead of doing calendar arithmetic for 100,000 rows.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import datetime

from shared.reports import WorkClock
from shared.workdays import VN_TZ

log = logging.getLogger(__name__)
_local = threading.local()


def _clock() -> WorkClock:
    clock: WorkClock | None = getattr(_local, "clock", None)
    if clock is None:
        clock = _local.clock = WorkClock()
    return clock


def _vn(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def work_hours(received_at: str | None, returned_at: str | None) -> float | None:
    """Working hours from receipt to return (``None`` when a time is missing or not ISO:
    the report then leaves the dossier out of the percentiles rather than fail the
    return that fired the trigger)."""
    if not received_at or not returned_at:
        return None
    try:
        rec, ret = _vn(received_at), _vn(returned_at)
    except ValueError:
        log.warning("report hours: unreadable time %r / %r", received_at, returned_at)
        return None
    clock = _clock()
    at_receipt = clock.minutes(rec)  # the earlier moment first (see shared.reports)
    return max(0.0, (clock.minutes(ret) - at_receipt) / 60)


def register(conn: sqlite3.Connection) -> None:
    conn.create_function("report_work_hours", 2, work_hours, deterministic=True)
