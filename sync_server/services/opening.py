"""Opening the station: a fresh data dir is initialised (keys, schema, the demo signing
certificates), the catalogue is loaded with the office's procedure files, and uploads
abandoned while the station was off are dropped. So ``serve`` and every ``admin`` command
can run first on an empty folder. It reaches into the sync, office and PKI layers, so
it sits above them; only the door and the admin's restore (which opens the restored copy
to check it) sit above it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from shared.procedures import builtin
from sync_server.config import Paths
from sync_server.services.core.keys import load_or_create
from sync_server.services.core.station import Station
from sync_server.services.office.attachments import expire_orphans
from sync_server.services.pki import certs
from sync_server.services.sync import catalogue_sync
from sync_server.store import db as store


def open_station(data_dir: Path) -> Station:
    paths = Paths(Path(data_dir))
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    keys = load_or_create(paths.keys)
    station = Station(paths=paths, keys=keys, catalogue=builtin())
    with station.session() as db:
        store.migrate(db)
        certs.ensure_demo(db, keys)
        # Shipped + office procedure files, every version served kept (catalogue_sync).
        station = replace(station, catalogue=catalogue_sync.load(db, keys, paths.data_dir))
        station.refresh_catalogue(db)  # the version just loaded is the one seen
        expire_orphans(db)  # uploads abandoned while the station was off
    return station
