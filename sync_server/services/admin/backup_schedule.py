"""Scheduled backups of a serving station: every day at a set hour, and at shutdown.

``serve --backup-dir DIR --backup-keep N [--backup-hour H] --backup-passphrase-file F``.
Each backup runs as its own ``admin backup`` process at a lower priority, so sealing a
large station never holds the serving process (its interpreter lock or its CPU share).
Files are named ``taicho-<unit>-<yyyymmdd-hhmmss>.tcbackup``; after each good one the
oldest beyond N are deleted. Every result (good or failed) is noted in the database for
the desk ("Sao lưu"), which warns when a day passes without a good backup.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

from shared.backup import check_passphrase
from shared.workdays import vn_now
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.station import Station, get_unit_record
from sync_server.store import backup as q

_log = logging.getLogger("sync_server.backup")
_NAME = re.compile(r"^taicho-[0-9A-Za-z.]*-\d{8}-\d{6}\.tcbackup$")
_ROOT = Path(__file__).resolve().parents[2]


def next_run(now: datetime, hour: int) -> datetime:
    """The next moment at ``hour``:00 (today if still ahead, else tomorrow)."""
    at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of this naming; returns those deleted."""
    mine = sorted((p for p in folder.iterdir() if _NAME.match(p.name)), key=lambda p: p.name[-24:])
    old = mine[: max(0, len(mine) - keep)]
    for p in old:
        p.unlink(missing_ok=True)
    return old


class BackupSchedule:
    def __init__(
        self, station: Station, folder: Path, keep: int, hour: int, passphrase: str
    ) -> None:
        if not 1 <= keep <= 1000 or not 0 <= hour <= 23:
            raise ValueError("--backup-keep 1…1000, --backup-hour 0…23")
        self.station = station
        self.folder = Path(folder)
        self.keep = keep
        self.hour = hour
        self._passphrase = check_passphrase(passphrase)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self.station.session() as db:
            q.put_json(
                db,
                q.SCHEDULE_KEY,
                {
                    "dir": str(self.folder),
                    "keep": self.keep,
                    "hour": self.hour,
                    "since": vn_now_iso(),
                },
            )
        self._thread = threading.Thread(target=self._loop, name="backup-schedule", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            now = vn_now()
            wait = (next_run(now, self.hour) - now).total_seconds()
            if self._stop.wait(timeout=wait):
                return
            self.run_once()

    def run_once(self) -> Path | None:
        """One backup now (its own process); the new file, or None if it failed."""
        with self._lock:
            with self.station.session() as db:
                unit_record = get_unit_record(db)
            unit = "station" if unit_record is None else unit_record.code
            stamp = vn_now().strftime("%Y%m%d-%H%M%S")
            out = self.folder / f"taicho-{unit}-{stamp}.tcbackup"
            cmd = [
                sys.executable,
                "-m",
                "sync_server",
                "admin",
                "--data",
                str(self.station.paths.data_dir),
                "backup",
                "--out",
                str(out),
                "--passphrase-file",
                "-",
            ]
            try:
                done = subprocess.run(
                    cmd,
                    cwd=_ROOT,
                    input=self._passphrase,
                    capture_output=True,
                    text=True,
                    timeout=6 * 3600,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                _log.error("scheduled backup to %s did not run: %s", out, exc)
                return None
            if done.returncode != 0:
                _log.error("scheduled backup to %s failed: %s", out, done.stderr.strip())
                return None
            _log.info("backup written: %s", out)
            try:
                for old in prune(self.folder, self.keep):
                    _log.info("old backup deleted: %s", old)
            except OSError as exc:
                _log.warning("could not prune %s: %s", self.folder, exc)
            return out

    def stop(self, *, final: bool = True) -> Path | None:
        """Stop the timer; with ``final``, take the shutdown backup (the station no longer
        serves, so it holds everything)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        return self.run_once() if final else None
