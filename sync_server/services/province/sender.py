"""A serving station sends its day figures to its hub on its own, and catches up.

``serve`` starts this when the station is registered with a hub (``admin hub-register``):
every ``--hub-every`` minutes (default 60) it counts and sends the days from the day after
the last one the hub acknowledged, minus :data:`RECOUNT_DAYS`, up to today. Days are
recounted because a day's figures can still change after it ends: a tablet that was
offline for a week pushes dossiers received then, and a rating or a return is counted on
the day it happened. Re-sending a day replaces the hub's copy, so the overlap is harmless.
A hub outage only postpones: nothing is lost, the next run sends what was missed (at most
a year back).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, timedelta

from shared.errors import TaiChoError
from shared.workdays import vn_now
from sync_server.services.core.station import Station
from sync_server.services.province import link as hub_link

RECOUNT_DAYS = 14
MAX_BACK_DAYS = 366
_log = logging.getLogger("sync_server.hub")


def days_to_send(sent_through: str | None, today: date) -> tuple[date, date]:
    """The range the next run sends: from :data:`RECOUNT_DAYS` before the last day sent
    (the first run: the past year, the province's history) to today."""
    oldest = today - timedelta(days=MAX_BACK_DAYS)
    if not sent_through:
        return oldest, today
    first = min(date.fromisoformat(sent_through), today) - timedelta(days=RECOUNT_DAYS)
    return max(first, oldest), today


class HubSender:
    """The background sender of one serving station (a daemon thread)."""

    def __init__(self, station: Station, every_minutes: int = 60) -> None:
        if not 1 <= every_minutes <= 24 * 60:
            raise ValueError("--hub-every 1…1440 minutes")
        self.station = station
        self.every = every_minutes * 60
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> dict[str, object] | None:
        """Send what is due now; None when the station is not registered. A failure is
        logged and left for the next run."""
        with self.station.session() as db:
            link = hub_link.settings(db)
            if link is None:
                return None
            today = vn_now().date()
            start, end = days_to_send(link.get("sent_through"), today)
            try:
                return hub_link.send_figures(db, self.station, start, end)
            except TaiChoError as err:
                _log.warning("figures not sent to the hub (retried later): %s", err)
                return {"error": err.code}

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the sender must never take the station down
                _log.exception("hub sender")
            self._stop.wait(self.every)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="hub-sender", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


class HubRelayer:
    """The background relay of one serving station (cross-commune intake): every
    ``every`` seconds, ``run`` seals and sends what is queued and applies what waits at
    the hub (``services/province/relay.py``, reached through the door). A hub outage is
    logged and retried; everything stays queued."""

    def __init__(self, run: Callable[[], object], every_seconds: int = 30) -> None:
        if not 1 <= every_seconds <= 3600:
            raise ValueError("--relay-every 1…3600 seconds")
        self.run = run
        self.every = every_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run()
            except TaiChoError as err:
                if err.code != "HUB_NOT_REGISTERED":
                    _log.warning("relay run (retried later): %s", err)
            except Exception:  # the relay must never take the station down
                _log.exception("hub relay")
            self._stop.wait(self.every)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="hub-relay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
