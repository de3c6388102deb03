"""The station's runtime context (data dir, keys, catalogue) and the unit it serves.

``services.opening.open_station`` makes one per process.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.errors import TaiChoError
from shared.unit import Unit
from sync_server.config import Paths
from sync_server.services.core.keys import StationKeys
from sync_server.store import db as store

UNIT_META_KEY = "unit"
_UNIT_FIELDS = frozenset(Unit.__dataclass_fields__)
_log = logging.getLogger("sync_server")


@dataclass(frozen=True)
class Station:
    paths: Paths
    keys: StationKeys
    catalogue: Catalogue

    def connect(self) -> Database:
        return store.connect(self.paths.db)

    @contextmanager
    def session(self) -> Iterator[Database]:
        """A connection closed on exit (CLI commands, tests, request dependencies)."""
        db = self.connect()
        try:
            yield db
        finally:
            db.conn.close()


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
