"""What every tablet service needs: the store, the keystore, the catalogue, the clock and
the way to reach the station. One object, handed to each concept's service, so the
services stay small and the facade (``tablet.TabletService``) stays thin."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mobile.services.keystore import Keystore, Session
from mobile.services.store import TabletStore
from mobile.services.sync_client import HttpClient, SyncClient
from mobile.services.tls_pin import Pin, verify_for
from shared import crypto
from shared import messages as m
from shared.catalogue import Catalogue, check_update, document_hash, parse_procedure
from shared.errors import TaiChoError, problem
from shared.workdays import NO_OVERRIDES, CalendarOverrides

_log = logging.getLogger("mobile")


@dataclass
class TabletContext:
    data_dir: Path
    store: TabletStore
    keys: Keystore
    catalogue: Catalogue
    clock: Callable[[], datetime]
    http: HttpClient | None

    def __post_init__(self) -> None:
        self.catalogue = self._with_synced(self.catalogue)

    def _with_synced(self, base: Catalogue) -> Catalogue:
        """The shipped catalogue plus every definition the station sent (meta
        ``catalogue_docs``, all versions kept: a dossier in progress keeps its version).
        A damaged stored list is logged and ignored: the next ``catalogue`` item resends it."""
        docs = self.store.get_meta("catalogue_docs") or []
        try:
            synced = [parse_procedure(d, f"catalogue_docs[{i}]") for i, d in enumerate(docs)]
        except (TaiChoError, TypeError, AttributeError) as exc:
            _log.warning("stored catalogue is damaged (%s); using the shipped one", exc)
            return base
        return base.with_procedures(synced)

    def apply_catalogue(self, item: m.CatalogueUpdate) -> None:
        """A ``catalogue`` feed item: checked as a whole, then stored and used for new
        dossiers. Malformed or older than what is in use → the problem is raised (the inbox
        sets the item aside with its code) and nothing changes."""
        procedures = check_update(self.catalogue, item.procedures, "catalogue")
        docs = list(self.store.get_meta("catalogue_docs") or [])
        known = {(d.get("code"), d.get("version")): i for i, d in enumerate(docs)}
        for proc, doc in zip(procedures, item.procedures, strict=True):
            if self.catalogue.versions(proc.code).count(proc.version) and (
                document_hash(self.catalogue.get(proc.code, proc.version).source)
                == document_hash(doc)
            ):
                continue  # already this very definition (shipped or synced)
            at = known.get((proc.code, proc.version))
            if at is None:
                docs.append(doc)
            else:
                docs[at] = doc
        self.store.set_meta("catalogue_docs", docs)
        self.store.set_meta("catalogue_version", item.catalogue_version)
        self.catalogue = self.catalogue.with_procedures(procedures)

    @property
    def enrolled(self) -> bool:
        return bool(self.store.get_meta("device_id"))

    @property
    def device_id(self) -> str:
        device_id = self.store.get_meta("device_id")
        if not device_id:
            raise problem("NOT_ENROLLED")
        return str(device_id)

    def client(self, url: str | None = None, pin: Pin | None = None) -> SyncClient:
        """A client for the station, pinned to its certificate.

        ``pin``: what enrolment accepts (from the code); later the full fingerprint stored
        then. An injected ``http`` client (tests: an in-process station) brings its own
        transport and is used as is.
        """
        base = url or self.store.get_meta("station_url")
        if not base:
            raise problem("NOT_ENROLLED")
        if self.http is not None:
            return SyncClient(str(base), self.http)
        return SyncClient(str(base), verify=verify_for(str(base), pin or self.stored_pin()))

    def stored_pin(self) -> Pin | None:
        """The station certificate pinned at enrolment (None: enrolled over loopback HTTP)."""
        raw = self.store.get_meta("station_tls_sha256")
        if not isinstance(raw, str) or len(raw) != 64:
            return None
        return Pin.exact(bytes.fromhex(raw))

    def station_x25519(self) -> bytes:
        return crypto.b64d(str(self.store.get_meta("station_x25519_pub")))

    def station_ed25519(self) -> bytes:
        return crypto.b64d(str(self.store.get_meta("station_ed25519_pub")))

    def need_session(self) -> Session:
        if not self.keys.unlocked or self.keys.session is None:
            raise problem("LOCKED")
        return self.keys.session

    def unit(self) -> dict[str, Any]:
        raw = self.store.get_meta("unit", {})
        return dict(raw) if isinstance(raw, dict) else {}

    def calendar(self) -> CalendarOverrides:
        """The station's calendar overrides (meta ``calendar``, from the feed) for due times.

        None stored yet → the national calendar. A damaged value is logged and ignored:
        intake must never fail over it (the next ``calendar`` feed item replaces it).
        """
        try:
            raw = self.store.get_meta("calendar")
            if raw is None:
                return NO_OVERRIDES
            return CalendarOverrides.from_dict(raw)
        except (ValueError, TypeError):
            _log.warning("stored calendar overrides are damaged; using the national calendar")
            return NO_OVERRIDES

    def unit_code(self) -> str:
        """The dossier-code prefix; UNIT_NOT_CONFIGURED if the station named no commune."""
        code = self.unit().get("code")
        if not isinstance(code, str) or not code:
            raise problem("UNIT_NOT_CONFIGURED", "unit")
        return code

    def wipe_if_revoked(self, err: TaiChoError) -> None:
        """A revoked tablet's duty: forget everything (the station said so)."""
        if err.code == "DEVICE_REVOKED":
            self.keys.lock()
            self.store.wipe()
