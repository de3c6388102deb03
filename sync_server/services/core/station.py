"""The station's runtime context (data dir, keys, catalogue) and the unit it serves.

``services.opening.open_station`` makes one per process.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue, parse_procedure
from shared.errors import TaiChoError
from shared.unit import Unit
from sync_server.config import Paths
from sync_server.services.core.keys import StationKeys
from sync_server.store import catalogue as catalogue_q
from sync_server.store import db as store

UNIT_META_KEY = "unit"
CATALOGUE_VERSION_KEY = "catalogue_version"  # grows with every change of the current set
_UNIT_FIELDS = frozenset(Unit.__dataclass_fields__)
_log = logging.getLogger("sync_server")


@dataclass(frozen=True)
class Station:
    paths: Paths
    keys: StationKeys
    catalogue: Catalogue
    # The catalogue version this process last read (an import by the command line while
    # ``serve`` runs is picked up at the next request: :meth:`refresh_catalogue`).
    seen: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def connect(self) -> Database:
        return store.connect(self.paths.db)

    @contextmanager
    def session(self) -> Iterator[Database]:
        """A connection closed on exit (CLI commands, tests, request dependencies)."""
        db = self.connect()
        try:
            self.refresh_catalogue(db)
            yield db
        finally:
            db.conn.close()

    def refresh_catalogue(self, db: Database) -> None:
        """Re-read the stored catalogue when another process changed it (one meta read;
        nothing before the schema exists)."""
        try:
            now = store.get_meta(db, CATALOGUE_VERSION_KEY) or "0"
        except sqlite3.OperationalError:
            return
        if "catalogue" not in self.seen:
            self.seen["catalogue"] = now
        elif self.seen["catalogue"] != now:
            self.catalogue.adopt(stored_catalogue(db))
            self.seen["catalogue"] = now


def stored_catalogue(db: Database) -> Catalogue:
    """Every stored procedure version. One this code can no longer read (an older
    definition after an upgrade) is left out with a warning rather than stopping the
    station: dossiers of that version are then refused with PROCEDURE_VERSION_UNKNOWN."""
    procedures = []
    for r in catalogue_q.all_versions(db):
        try:
            procedures.append(
                parse_procedure(json.loads(r["document"]), f"stored {r['code']} v{r['version']}")
            )
        except (TaiChoError, ValueError) as exc:
            _log.warning("stored procedure %s v%s is unreadable: %s", r["code"], r["version"], exc)
    return Catalogue(procedures)


def get_unit(db: Database) -> dict[str, Any] | None:
    """The commune this station serves (public data: stored in clear in ``meta``)."""
    raw = store.get_meta(db, UNIT_META_KEY)
    return None if raw is None else dict(json.loads(raw))


def set_unit(db: Database, unit: dict[str, Any]) -> None:
    with store.transaction(db):
        store.set_meta(db, UNIT_META_KEY, json.dumps(unit, ensure_ascii=False))


def unit_from_settings(raw: dict[str, Any]) -> Unit:
    """The stored settings as a :class:`Unit` (strictly checked).

    Settings written before ``shared.unit`` existed lack ``commune`` and carry a
    ``current_name``; they are mapped rather than refused, so an existing station keeps
    serving its tablets.
    """
    data = {k: v for k, v in raw.items() if k in _UNIT_FIELDS}
    place = str(raw.get("place_name") or "")
    data.setdefault("commune", f"Xã {place}" if place else raw.get("name"))
    data.setdefault("registration_office", raw.get("name"))
    return Unit.from_dict(data)


def get_unit_record(db: Database) -> Unit | None:
    """The unit served, or None while none (or an unusable one) is set up."""
    raw = get_unit(db)
    if raw is None:
        return None
    try:
        return unit_from_settings(raw)
    except TaiChoError as err:
        _log.warning("stored unit settings are not usable: %s", err)
        return None
