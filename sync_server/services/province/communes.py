"""The communes of the province this station can relay dossiers to, kept at the station.

Cross-commune intake (issue 20, Nghị định 118/2025/NĐ-CP) needs the tablet to offer the
competent commune from a list, also offline at a home visit. The list is the hub's
directory (``GET /v1/hub/communes``: unit code and name of every active station),
fetched with every relay run (``relay.run_once``) or on demand (``admin hub-communes
--refresh``), and kept in the station's ``meta`` (key ``hub_communes``; the
sync layer below, ``sync/communes_feed.py``, stores it and hands it to tablets like the
staff list) with the time it was fetched. A hub outage leaves the last list in place.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared import messages as m
from shared.wire import encode
from sync_server.services.core.station import Station
from sync_server.services.province import link as hub_link
from sync_server.services.sync import communes_feed

held = communes_feed.held
keep = communes_feed.keep
META_KEY = communes_feed.META_KEY


def refresh(db: Database, station: Station, hub: Any = None) -> m.CommunesUpdate:
    """Fetch the list from the hub and keep it; ``hub`` an open ``HubClient`` (a relay
    run's) or None to open one. Raises ``HUB_*`` when the hub cannot be asked (the list
    held stays)."""
    if hub is not None:
        return keep(db, hub.communes())
    with hub_link.client(db, station) as client:
        return keep(db, client.communes())


def show(db: Database) -> dict[str, Any] | None:
    """The list held, for ``admin hub-communes`` (JSON), with its digest."""
    item = held(db)
    if item is None:
        return None
    return {
        **encode(item),
        "digest": m.communes_digest(item.province, list(item.communes)),
    }
