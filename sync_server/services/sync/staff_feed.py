"""The office's staff list on tablets: a sealed feed item whenever it has changed.

The unlock screen of a tablet offers the office's intake staff by name (not only those
who already used that tablet), and a tablet forgets the PIN wrap of an account the
office has disabled — so a disabled officer cannot keep opening a tablet offline. A
tablet's pull says which list it holds (``staff_digest``); when the office's list is
different, and was not already queued for that tablet (a locked tablet cannot open what
it pulled yet), one ``staff`` item is queued before the pull is answered. There is no
PIN material in it (usernames, names, roles, active).
"""

from __future__ import annotations

from sqlite_utils import Database

from shared import messages as m
from sync_server.services.core import feed
from sync_server.services.core.keys import StationKeys
from sync_server.store import staff as staff_store
from sync_server.store.db import get_meta, set_meta, transaction

FEED_RECORD_ID = "staff"  # the feed's record id for staff lists (not a dossier)


def tablet_staff(db: Database) -> list[m.StaffMember]:
    """Every account, as tablets know them: enough to offer names and to forget a wrap."""
    return [
        m.StaffMember(
            username=str(row["username"]),
            full_name=str(row["full_name"] or row["username"]),
            role=str(row["role"]),
            active=bool(row["active"]),
        )
        for row in staff_store.list_all(db)
    ]


def ensure_current(
    db: Database, keys: StationKeys, device_id: str, tablet_digest: str | None
) -> int | None:
    """Queue the staff list for this tablet if it holds another one and it is not queued.

    Returns the feed sequence number of the queued item, or None when nothing was queued.
    ``tablet_digest`` None: the tablet did not ask (nothing is queued).
    """
    if tablet_digest is None:
        return None
    key = f"staff_sent:{device_id}"
    members = tablet_staff(db)
    digest = m.staff_digest(members)
    if digest == tablet_digest or (get_meta(db, key) or "").partition(":")[0] == digest:
        return None  # the usual case: read only, no write lock taken
    with transaction(db):
        members = tablet_staff(db)  # again, under the lock
        digest = m.staff_digest(members)
        last_digest, _, last_version = (get_meta(db, key) or "").partition(":")
        if last_digest == digest:
            return None
        version = int(last_version or "0") + 1
        seq = feed.append(
            db,
            keys,
            device_id=device_id,
            dossier_id=FEED_RECORD_ID,
            version=version,
            payload=m.StaffUpdate("staff", members),
        )
        set_meta(db, key, f"{digest}:{version}")
    return seq
