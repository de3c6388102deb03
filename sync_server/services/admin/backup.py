"""Backups of the whole station, their check, and a restore onto a new folder.

* :func:`make_backup` — while the station serves: the database through ``VACUUM INTO``
  (one consistent snapshot, never a copy of the live WAL files), then the keys and
  certificates and the office's files (procedures) of the data dir, sealed into one file
  (``shared/backup.py``) under the office's passphrase. Written as ``FILE.part`` and
  renamed when whole, so a half-written backup never carries the final name.
* :func:`verify_backup` — decrypts and checks every byte, every file's SHA-256, the
  database's integrity and its audit chain against the manifest, without restoring.
* :func:`restore` — the same checks while unpacking into a hidden folder beside the
  target; only a backup that passes them all becomes the target folder, so a wrong
  passphrase or one changed byte writes nothing. Then the restored station is set up to
  take back what the tablets hold (``services/sync/recovery.py``) and the restore is recorded
  in the audit chain.

Large attachment sets never sit in memory: everything streams in 1 MiB chunks.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from shared import backup as fmt
from shared import crypto
from shared.errors import TaiChoError, problem
from sync_server.config import VERSION
from sync_server.services.core import audit
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.station import Station, get_unit_record
from sync_server.services.opening import open_station
from sync_server.services.pki import tls
from sync_server.services.sync import recovery
from sync_server.store import backup as q

DB_NAME = "station.db"
TMP_DIR = ".backup-tmp"  # in the data dir: the snapshot waits here while it is sealed
_SKIP_DIRS = frozenset({"logs", TMP_DIR})
_DB_FILES = frozenset({DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"})
REQUIRED = (DB_NAME, "keys/station_x25519.key", "keys/station_ed25519.key", "keys/storage.key")
_log = logging.getLogger("sync_server.backup")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    seconds: float
    manifest: fmt.Manifest

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.path),
            "size": self.size,
            "seconds": round(self.seconds, 3),
            "created_at": self.manifest.created_at,
            "unit": self.manifest.unit_code,
            "audit": {"rows": self.manifest.audit.rows, "head": self.manifest.audit.head},
            "counts": self.manifest.counts,
            "files": len(self.manifest.files),
        }


def _failed(out: Path, exc: OSError) -> TaiChoError:
    if exc.errno == errno.ENOSPC:
        return problem("BACKUP_FAILED", "out", path=str(out), detail="disk full", detail_vi="đầy")
    why = exc.strerror or type(exc).__name__
    return problem("BACKUP_FAILED", "out", path=str(out), detail=why, detail_vi=why)


def _office_files(data_dir: Path, exclude: tuple[Path, ...]) -> list[tuple[str, Path]]:
    """Every file of the data dir but the database, logs and scratch: keys, certificates,
    the office's procedure files — whatever a future feature keeps there too."""
    skip = {p.resolve() for p in exclude}
    out = []
    for root, dirs, files in os.walk(data_dir):
        here = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if not (here == data_dir and d in _SKIP_DIRS) and (here / d).resolve() not in skip
        )
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(data_dir).as_posix()
            if (here == data_dir and name in _DB_FILES) or not path.is_file():
                continue
            if not fmt.safe_path(rel):
                _log.warning("not in the backup (name not portable): %s", rel)
                continue
            out.append((rel, path))
    return out


def _hash_file(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(fmt.CHUNK_SIZE):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def make_backup(
    station: Station,
    out: Path,
    key: fmt.BackupKey,
    *,
    exclude: tuple[Path, ...] = (),
    record: bool = True,
) -> BackupResult:
    """Back the serving station up into ``out``. ``exclude``: folders inside the data dir
    to leave out (a backup folder kept there). ``record``: note it for the desk."""
    start = time.monotonic()
    out = Path(out)
    data_dir = station.paths.data_dir
    scratch = data_dir / TMP_DIR / secrets.token_hex(8)
    part = out.with_name(out.name + ".part")
    try:
        scratch.mkdir(parents=True, mode=0o700)
        snap = scratch / DB_NAME
        with station.session() as db:
            q.snapshot(db, snap)
        manifest = _manifest(station, snap, data_dir, (*exclude, out.parent))
        out.parent.mkdir(parents=True, exist_ok=True)
        sealer = fmt.Sealer(key, secrets.token_bytes(8))
        with open(part, "wb") as f:
            f.write(sealer.header)
            f.write(sealer.feed(fmt.manifest_bytes(manifest)))
            for entry in manifest.files:
                src = snap if entry.path == DB_NAME else data_dir / entry.path
                _seal_file(f, sealer, src, entry)
            f.write(sealer.finish())
            f.flush()
            os.fsync(f.fileno())
        os.replace(part, out)
        size = out.stat().st_size
    except OSError as exc:
        part.unlink(missing_ok=True)
        err = _failed(out, exc)
        if record:
            _record(station, {"ok": False, "at": vn_now_iso(), "out": str(out), "error": err.code})
        raise err from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = BackupResult(out, size, time.monotonic() - start, manifest)
    if record:
        _record(
            station,
            {"ok": True, "at": manifest.created_at, "out": str(out), "size": size},
        )
    return result


def _seal_file(f: BinaryIO, sealer: fmt.Sealer, src: Path, entry: fmt.FileEntry) -> None:
    """Stream one file in; it must still be what the manifest says (a key file or a
    procedure changed meanwhile fails the backup rather than mislabel it)."""
    h = hashlib.sha256()
    left = entry.size
    with open(src, "rb") as s:
        while left > 0 and (block := s.read(min(fmt.CHUNK_SIZE, left))):
            h.update(block)
            left -= len(block)
            f.write(sealer.feed(block))
    if left != 0 or h.hexdigest() != entry.sha256:
        raise OSError(errno.EAGAIN, f"{entry.path} changed during the backup")


def _manifest(
    station: Station, snap: Path, data_dir: Path, exclude: tuple[Path, ...]
) -> fmt.Manifest:
    ro = q.open_readonly(snap)
    try:
        head = audit.chain_head(ro)
        counts = q.counts(ro)
        feed_seq = q.feed_max(ro)
        unit = get_unit_record(ro)
    finally:
        ro.conn.close()
    files = [(DB_NAME, snap), *_office_files(data_dir, exclude)]
    entries = [fmt.FileEntry(rel, *_hash_file(path)) for rel, path in files]
    cert = tls.info(station.paths)
    manifest = fmt.Manifest(
        format=fmt.FORMAT,
        app_version=VERSION,
        created_at=vn_now_iso(),
        station=fmt.StationIdentity(
            crypto.b64e(station.keys.x_pk),
            crypto.b64e(station.keys.ed_pk),
            cert.fingerprint.hex() if cert is not None else None,
        ),
        unit_code=None if unit is None else unit.code,
        unit_name=None if unit is None else unit.name,
        audit=fmt.AuditHead(int(head["rows"]), str(head["head"])),
        feed_seq=feed_seq,
        counts=counts,
        files=entries,
    )
    fmt.check_manifest(manifest)  # what a restore will read back, refused now if not
    return manifest


def _record(station: Station, status: dict[str, Any]) -> None:
    """The desk's "last backup" (best effort: a busy database must not fail a backup)."""
    try:
        with station.session() as db:
            previous = q.get_json(db, q.STATUS_KEY) or {}
            if status.get("ok"):
                status["last_ok"] = {k: status[k] for k in ("at", "out", "size")}
            elif "last_ok" in previous:
                status["last_ok"] = previous["last_ok"]
            q.put_json(db, q.STATUS_KEY, status)
    except Exception:  # logged; the backup itself stands
        _log.exception("could not record the backup status")


# --- reading a backup ---------------------------------------------------------------------


def _events(path: Path, passphrase: str) -> Iterator[fmt.Manifest | fmt.FileData | fmt.FileDone]:
    """Everything in the file, checked as it streams; raises on the first fault."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below (a generator)
    except OSError:
        raise fmt.damaged(f"cannot read {path}", f"không đọc được {path}") from None
    with f:
        prefix = f.read(len(fmt.MAGIC) + 4)
        n = fmt.header_length(prefix)
        header = prefix + f.read(n - len(prefix))
        opener = fmt.Opener(header, passphrase)
        unpacker = fmt.Unpacker()
        while block := f.read(fmt.CHUNK_SIZE + 64):
            plain = opener.feed(block)
            if plain:
                yield from unpacker.feed(plain)
        opener.finish()
        yield unpacker.finish()


def _check_database(db_path: Path, manifest: fmt.Manifest) -> None:
    """The snapshot opens, is intact, and its audit chain is the one the manifest names."""
    db = q.open_readonly(db_path)
    try:
        if not q.integrity_ok(db):
            raise fmt.damaged("database integrity", "cơ sở dữ liệu không toàn vẹn")
        bad = audit.verify_audit_chain(db)
        head = audit.chain_head(db)
        if bad is not None or (int(head["rows"]), str(head["head"])) != (
            manifest.audit.rows,
            manifest.audit.head,
        ):
            raise fmt.damaged("audit chain", "nhật ký kiểm tra")
        if q.counts(db) != manifest.counts:
            raise fmt.damaged("counts", "số lượng")
    except TaiChoError:
        raise
    except Exception:  # any sqlite failure here means a bad snapshot
        raise fmt.damaged("database", "cơ sở dữ liệu") from None
    finally:
        db.conn.close()


def _unpack(path: Path, passphrase: str, write: Callable[[str], BinaryIO | None]) -> fmt.Manifest:
    """Stream the backup; ``write(rel)`` gives where a file's bytes go (None: drop them)."""
    manifest: fmt.Manifest | None = None
    open_files: dict[str, BinaryIO | None] = {}
    try:
        for ev in _events(path, passphrase):
            if isinstance(ev, fmt.Manifest):
                manifest = ev
                missing = [r for r in REQUIRED if r not in {e.path for e in ev.files}]
                if missing:
                    raise fmt.damaged(f"missing {missing[0]}", f"thiếu {missing[0]}")
                if not all(fmt.safe_path(e.path) for e in ev.files):
                    raise fmt.damaged("a file path", "đường dẫn tệp")
            elif isinstance(ev, fmt.FileData):
                if ev.path not in open_files:
                    open_files[ev.path] = write(ev.path)
                sink = open_files[ev.path]
                if sink is not None:
                    sink.write(ev.data)
            else:
                if ev.path not in open_files:  # an empty file
                    open_files[ev.path] = write(ev.path)
                sink = open_files.pop(ev.path)
                if sink is not None:
                    sink.close()
    finally:
        for sink in open_files.values():
            if sink is not None:
                sink.close()
    assert manifest is not None  # _events ends with the manifest checked whole
    return manifest


def verify_backup(path: Path, passphrase: str) -> fmt.Manifest:
    """Check a backup without restoring it (the database goes to a private temporary
    folder to be checked, then is deleted)."""
    scratch = Path(tempfile.mkdtemp(prefix="taicho-verify-"))
    try:
        db_path = scratch / DB_NAME

        def write(rel: str) -> BinaryIO | None:
            return open(db_path, "wb") if rel == DB_NAME else None

        manifest = _unpack(Path(path), passphrase, write)
        _check_database(db_path, manifest)
        return manifest
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def restore(path: Path, passphrase: str, target: Path, *, actor: str = "admin") -> dict[str, Any]:
    """Restore a backup into ``target`` (new, or an empty folder). Nothing is written
    there unless the whole backup checks out."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise problem("RESTORE_TARGET_NOT_EMPTY", "data", path=str(target))
    staging = target.parent / f".{target.name}.restoring-{secrets.token_hex(4)}"
    made = [p for p in reversed(target.parents) if not p.exists()]  # removed on failure
    try:
        staging.mkdir(parents=True, mode=0o700)

        def write(rel: str) -> BinaryIO:
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            return os.fdopen(fd, "wb")

        manifest = _unpack(Path(path), passphrase, write)
        _check_database(staging / DB_NAME, manifest)
        station = open_station(staging)
        if (crypto.b64e(station.keys.x_pk), crypto.b64e(station.keys.ed_pk)) != (
            manifest.station.x25519_pub,
            manifest.station.ed25519_pub,
        ):
            raise fmt.damaged("station keys", "khoá của máy chủ")
        with station.session() as db:
            done = recovery.after_restore(
                db, station.keys, manifest, source=Path(path).name, actor=actor
            )
            checked = audit.verify_all(db, station.keys.ed_pk, [])
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return {
        "restored": str(target),
        "backup_created_at": manifest.created_at,
        "unit": manifest.unit_code,
        "counts": manifest.counts,
        "audit": {"rows": checked["rows"], "head": checked["head"]},
        "feed_floor": done["feed_floor"],
        "registers_skipped": done["registers_skipped"],
    }


def status(db: Any) -> dict[str, Any]:
    """What the desk shows: the last backup (or try), the schedule, and whether one was
    missed (a schedule set and no good backup within a day and two hours)."""
    last = q.get_json(db, q.STATUS_KEY)
    schedule = q.get_json(db, q.SCHEDULE_KEY)
    ok = (last or {}).get("last_ok")
    missed = False
    if schedule is not None:
        since = str(ok["at"]) if ok else str(schedule.get("since", ""))
        try:
            missed = datetime.fromisoformat(since) < datetime.fromisoformat(vn_now_iso()) - (
                timedelta(hours=26)
            )
        except ValueError:
            missed = True
        missed = missed or (last is not None and not last.get("ok"))
    return {"last": last, "last_ok": ok, "schedule": schedule, "missed": missed}
