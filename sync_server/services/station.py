"""The station's runtime context: data dir, keys, catalogue, unit; opened once per process.

Opening initialises a fresh data dir (keys, schema), so ``serve`` and every ``admin``
command can run first on an empty folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue, builtin
from sync_server.config import Paths
from sync_server.services.keys import StationKeys, load_or_create
from sync_server.store import db as store

UNIT_META_KEY = "unit"


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


def open_station(data_dir: Path) -> Station:
    paths = Paths(Path(data_dir))
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    keys = load_or_create(paths.keys)
    station = Station(paths=paths, keys=keys, catalogue=builtin())
    with station.session() as db:
        store.migrate(db)
        from sync_server.services import certs  # certs needs this module's get_unit

        certs.ensure_demo(db, keys)
    return station


def get_unit(db: Database) -> dict[str, Any] | None:
    """The commune this station serves (public data: stored in clear in ``meta``)."""
    raw = store.get_meta(db, UNIT_META_KEY)
    return None if raw is None else dict(json.loads(raw))


def set_unit(db: Database, unit: dict[str, Any]) -> None:
    with store.transaction(db):
        store.set_meta(db, UNIT_META_KEY, json.dumps(unit, ensure_ascii=False))
