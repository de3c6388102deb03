"""Backup and restore of a station holding N dossiers, and what a backup costs the tablets.

Starts a real station (uvicorn, 127.0.0.1), fills it through real tablets with N khai
sinh dossiers (half received yesterday, half today: a unit numbers at most 10 000 a
day), then measures:
  backup  — ``make_backup`` of the serving station (VACUUM INTO, seal, write), its size;
  verify  — ``verify_backup`` (decrypt, hashes, integrity, audit chain);
  restore — ``restore`` onto a new folder (all checks, the restore bookkeeping);
  p99 push latency — one-dossier pushes of a tablet, first with the station idle, then
          while ``admin backup`` runs again and again in its own process (as the schedule
          runs it), and their ratio (issue 23: within 2×).
Prints a human summary and one JSON line. ``--smoke`` runs a tiny N to prove it works.

    python bench/backup.py --dossiers 10000
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import kit

from mobile.services.tablet import TabletService
from shared import messages as m
from shared.backup import BackupKey
from shared.checklist import every_component
from shared.envelope import Envelope
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import ROOT, RunningStation
from sync_server.services.admin import backup
from sync_server.services.opening import open_station

KHAI_SINH = "1.001193"
PASSPHRASE = "đồng hồ cát chảy chậm giữa trưa"
ADMIN = (sys.executable, "-m", "sync_server", "admin")
FILL_TABLETS = 4  # two take yesterday's dossiers, two today's


def _tablet(station: RunningStation, folder: Path, days_back: int) -> TabletService:
    def clock() -> datetime:
        return vn_now() - timedelta(days=days_back)

    t = TabletService(folder, clock=clock)
    t.enrolment.enroll(station.url, station.enroll_code())
    t.unlock("tiepnhan", "123456")
    return t


def _fill(station: RunningStation, work: Path, n: int) -> float:
    """N dossiers taken and pushed through real tablets; returns the seconds it took."""
    t0 = time.perf_counter()
    per = -(-n // FILL_TABLETS)
    seed = 0
    for i in range(FILL_TABLETS):
        back = 1 if i < FILL_TABLETS // 2 else 0
        t = _tablet(station, work / f"fill-{i}", back)
        day = t.clock().date()
        for _ in range(min(per, n - seed)):
            values = sample_values(KHAI_SINH, day, seed)
            t.intake(KHAI_SINH, values, components_received=every_component(KHAI_SINH, values))
            seed += 1
            if seed % 500 == 0:
                t.sync()
        t.sync()
        if t.store.pending_count():
            raise SystemExit(f"fill tablet {i} kept {t.store.pending_count()} unsent")
        t.close()
    return time.perf_counter() - t0


def _push_latencies(t: TabletService, count: int, seed: int, busy: bool, data: Path) -> list[float]:
    """``count`` one-dossier pushes (taken beforehand, so only the push is timed); with
    ``busy``, ``admin backup`` runs in its own process the whole time, again and again."""
    day = t.clock().date()
    for i in range(count):
        values = sample_values(KHAI_SINH, day, seed + i)
        t.intake(KHAI_SINH, values, components_received=every_component(KHAI_SINH, values))
    rows = t.store.pending_outbox(count)
    client = t.ctx.client()
    out: list[float] = []
    proc: subprocess.Popen[bytes] | None = None
    backups = 0
    try:
        for r in rows:
            if busy and (proc is None or proc.poll() is not None):
                if proc is not None and proc.returncode != 0:
                    raise SystemExit("admin backup failed during the measurement")
                proc = _backup_process(data, data.parent / f"busy-{backups % 2}.tcbackup")
                backups += 1
                time.sleep(0.5)  # let it get going (it first starts Python, then works)
            env = Envelope.from_json(json.loads(r["envelope"]))
            t0 = time.perf_counter()
            answer = client.push(m.PushRequest(t.ctx.device_id, [env]))
            out.append(time.perf_counter() - t0)
            t.store.ack_outbox(answer.acked_seq)
    finally:
        client.close()
        if proc is not None:
            proc.wait(timeout=600)
    return out


def _backup_process(data: Path, out: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [*ADMIN, "--data", str(data), "backup", "--out", str(out), "--passphrase-file", "-"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None
    proc.stdin.write(PASSPHRASE.encode("utf-8"))
    proc.stdin.close()
    return proc


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def run(n: int, samples: int, work: Path) -> dict[str, Any]:
    with kit.station_with_tablets(work, 1) as (station, tablets):
        fill_s = _fill(station, work, n)
        st = open_station(station.data)
        t0 = time.perf_counter()
        key = BackupKey.new(PASSPHRASE)
        kdf_s = time.perf_counter() - t0
        out = work / "usb" / "station.tcbackup"
        made = backup.make_backup(st, out, key, record=False)
        t0 = time.perf_counter()
        manifest = backup.verify_backup(out, PASSPHRASE)
        verify_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        backup.restore(out, PASSPHRASE, work / "restored" / "station")
        restore_s = time.perf_counter() - t0

        pusher = tablets[0]
        idle = _push_latencies(pusher, samples, 100_000, False, station.data)
        busy = _push_latencies(pusher, samples, 200_000, True, station.data)
    db_bytes = next(f.size for f in manifest.files if f.path == "station.db")
    return {
        "benchmark": "backup",
        "dossiers": manifest.counts["dossiers"],
        "fill_seconds": round(fill_s, 1),
        "backup_seconds": round(made.seconds, 3),
        "kdf_seconds": round(kdf_s, 3),
        "backup_bytes": made.size,
        "database_bytes": db_bytes,
        "verify_seconds": round(verify_s, 3),
        "restore_seconds": round(restore_s, 3),
        "push_samples": samples,
        "push_p50_ms_idle": round(statistics.median(idle) * 1000, 1),
        "push_p99_ms_idle": round(p99(idle) * 1000, 1),
        "push_p50_ms_backup": round(statistics.median(busy) * 1000, 1),
        "push_p99_ms_backup": round(p99(busy) * 1000, 1),
        "push_p99_ratio": round(p99(busy) / p99(idle), 2),
        **kit.machine(),
    }


def summary(r: dict[str, Any]) -> str:
    """The human line: backup, verify and restore times, and what a backup costs a push."""
    return (
        f"{r['dossiers']} dossiers: backup {r['backup_seconds']} s "
        f"({r['backup_bytes'] / 1e6:.1f} MB), verify {r['verify_seconds']} s, "
        f"restore {r['restore_seconds']} s; push p99 {r['push_p99_ms_idle']} ms idle, "
        f"{r['push_p99_ms_backup']} ms during backups (×{r['push_p99_ratio']})"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--dossiers", type=int, default=2000)
    p.add_argument("--samples", type=int, default=300, help="timed pushes, each way")
    kit.add_output_options(p, "tiny run for CI: proves it works")
    args = p.parse_args()
    n = min(args.dossiers, 12) if args.smoke else args.dossiers
    samples = min(args.samples, 20) if args.smoke else args.samples
    if not 1 <= n <= 10_000 or samples < 2:
        p.error("--dossiers 1…10000, --samples >= 2")
    with kit.scratch() as tmp:
        result = run(n, samples, tmp)
    return kit.emit(result, summary(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
