"""The province's communes on tablets: a sealed feed item whenever the list changed.

A tablet offers the competent commune of a dossier from the communes of the province
that its station can relay to (``province/communes.py`` keeps the hub's list). A
station keeps the list here (``META_KEY``; ``province/communes.py`` fetches it). A
tablet's pull says which list it holds (``communes_digest``); when the station's list is
different and not already queued for that tablet, one ``communes`` item is queued before
the pull is answered — the staff list's way (``staff_feed.py``). A station that never
fetched a list queues nothing.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from shared import hub_messages as hm
from shared import messages as m
from shared.wire import decode, encode
from sync_server.services.core import feed
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.store.db import get_meta, set_meta, transaction

FEED_RECORD_ID = "communes"  # the feed's record id for commune lists (not a dossier)
META_KEY = "hub_communes"  # the list as last fetched from the hub (province/communes.py)


def held(db: Database) -> m.CommunesUpdate | None:
    """The list as last fetched from the hub, or None (never fetched)."""
    raw = get_meta(db, META_KEY)
    if raw is None:
        return None
    item: m.CommunesUpdate = decode(m.CommunesUpdate, json.loads(raw))
    return item


def keep(db: Database, fetched: hm.CommuneList) -> m.CommunesUpdate:
    """Store a list fetched from the hub (replacing the one held), stamped with now."""
    item = m.CommunesUpdate("communes", fetched.province, list(fetched.communes), vn_now_iso())
    with transaction(db):
        set_meta(db, META_KEY, json.dumps(encode(item), ensure_ascii=False))
    return item


def ensure_current(
    db: Database, keys: StationKeys, device_id: str, tablet_digest: str | None
) -> int | None:
    """Queue the commune list for this tablet if it holds another one and it is not
    queued. Returns the feed sequence number queued, or None. ``tablet_digest`` None: the
    tablet did not ask."""
    if tablet_digest is None:
        return None
    key = f"communes_sent:{device_id}"
    item = held(db)
    if item is None:
        return None
    digest = m.communes_digest(item.province, list(item.communes))
    if digest == tablet_digest or (get_meta(db, key) or "").partition(":")[0] == digest:
        return None  # the usual case: read only, no write lock taken
    with transaction(db):
        last_digest, _, last_version = (get_meta(db, key) or "").partition(":")
        if last_digest == digest:
            return None
        version = int(last_version or "0") + 1
        seq = feed.append(
            db, keys, device_id=device_id, dossier_id=FEED_RECORD_ID, version=version, payload=item
        )
        set_meta(db, key, f"{digest}:{version}")
    return seq
