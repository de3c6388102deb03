"""The station's procedure catalogue, and how it reaches the tablets.

The catalogue is the shipped bundles plus the office's own definitions: ``*.json`` or
``*/procedure.json`` files in the data dir's ``procedures/`` folder (a changed field,
label, fee or rule of a procedure, with a higher ``version``; docs/procedures.md). Every
definition the station has ever served stays in ``procedure_versions``, so a dossier is
always checked against the version it was filled under, even after a newer one arrived.

When the current definitions change (at start), ``catalogue_version`` grows and every
active tablet gets a ``catalogue`` feed item with them; a new tablet gets one at
enrolment. The tablet keeps dossiers in progress on their version.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlite_utils import Database

from shared import messages as m
from shared.catalogue import Catalogue, Procedure, document_hash
from shared.procedures import builtin
from sync_server.services.core import feed
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import CATALOGUE_VERSION_KEY, stored_catalogue
from sync_server.store import calendar as calendar_q
from sync_server.store import catalogue as q
from sync_server.store.db import get_meta, set_meta, transaction

FEED_RECORD_ID = "catalogue"  # the feed's record id for catalogue items (not a dossier)
FOLDER = "procedures"  # in the data dir: the office's own procedure files
_VERSION_KEY = CATALOGUE_VERSION_KEY
_SENT_KEY = "catalogue_sent"  # hash of the current definitions last sent to tablets
_log = logging.getLogger("sync_server")


def office_folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def load(db: Database, keys: StationKeys, data_dir: Path) -> Catalogue:
    """Shipped + office definitions + every version served before; records new ones and
    tells the tablets when the current set changed. A wrong office file stops the start
    with ``CATALOGUE_INVALID`` naming it (never a half-read catalogue)."""
    current = builtin()
    folder = office_folder(data_dir)
    if folder.is_dir():
        current = current.with_procedures(Catalogue.load_dir(folder).every_version())
    stored = {(r["code"], int(r["version"])): r for r in q.all_versions(db)}
    now = iso(utc_now())
    with transaction(db):
        for proc in current.every_version():
            sha = document_hash(proc.source)
            row = stored.get((proc.code, proc.version))
            if row is not None and row["sha256"] != sha:
                _log.warning(
                    "procedure %s version %s changed without a new version number",
                    proc.code,
                    proc.version,
                )
            if row is None or row["sha256"] != sha:
                doc = json.dumps(proc.source, ensure_ascii=False, separators=(",", ":"))
                q.put(db, proc.code, proc.version, doc, sha, now)
        return publish(db, keys)


def store_versions(db: Database, keys: StationKeys, procedures: list[Procedure]) -> Catalogue:
    """Record new procedure versions (an import, a setting from the desk) and tell the
    tablets, in the caller's transaction; returns the whole stored catalogue."""
    now = iso(utc_now())
    for proc in procedures:
        doc = json.dumps(proc.source, ensure_ascii=False, separators=(",", ":"))
        q.put(db, proc.code, proc.version, doc, document_hash(proc.source), now)
    return publish(db, keys)


def publish(db: Database, keys: StationKeys) -> Catalogue:
    """When the current definitions changed since they were last sent: the next
    ``catalogue_version`` and a ``catalogue`` feed item for every active tablet (caller's
    transaction). Returns every stored version."""
    everything = _stored_catalogue(db)
    sent = _current_hash(everything)
    if get_meta(db, _SENT_KEY) != sent:
        version = int(get_meta(db, _VERSION_KEY) or "0") + 1
        set_meta(db, _VERSION_KEY, str(version))
        set_meta(db, _SENT_KEY, sent)
        for device_id in calendar_q.active_device_ids(db):
            send_to(db, keys, device_id, everything)
    return everything


def _stored_catalogue(db: Database) -> Catalogue:
    return stored_catalogue(db)


def _current_hash(catalogue: Catalogue) -> str:
    return document_hash([document_hash(p.source) for p in catalogue.all()])


def update_item(db: Database, catalogue: Catalogue | None = None) -> m.CatalogueUpdate:
    """The ``catalogue`` feed item: the current version of every procedure."""
    cat = catalogue or _stored_catalogue(db)
    return m.CatalogueUpdate(
        "catalogue",
        [p.source for p in cat.all()],
        int(get_meta(db, _VERSION_KEY) or "0"),
    )


def send_to(
    db: Database, keys: StationKeys, device_id: str, catalogue: Catalogue | None = None
) -> int:
    """Queue the current catalogue for one tablet (caller's transaction)."""
    item = update_item(db, catalogue)
    return feed.append(
        db,
        keys,
        device_id=device_id,
        dossier_id=FEED_RECORD_ID,
        version=max(1, item.catalogue_version),
        payload=item,
    )
