"""Push and pull throughput of the real sync path, in dossiers per second.

Starts a real station (uvicorn, 127.0.0.1) in a temporary folder, enrolls real tablet
stores, takes N khai sinh dossiers in (validated, encrypted, sealed, signed), then times:
  intake — the tablets receiving the N dossiers. Each tablet takes at most the first block
           of dossier numbers the station reserves at enrolment (``BLOCK_SIZE``, 50), so
           no tablet has to refill its numbers — which pushes its outbox — in this phase;
           the station is counted after it to prove nothing was pushed yet. Past 99
           tablets × 50 (the station's device slots) tablets take more and refill; the
           pushes those refills make are then counted apart (``pushed_during_intake``).
  push   — the tablets' syncs sending what is left in their outboxes (verify, open,
           validate, store); ``push_per_s`` is the dossiers the station gained in this
           phase, counted in the station's own database, over its wall time.
  pull   — after the office accepts every dossier, the tablets' syncs fetching and opening
           their feed items (seal per device, verify, open, re-encrypt locally);
           ``pull_per_s`` counts the N dossier state changes over its wall time.
Prints a human summary and one JSON line. `--smoke` runs a tiny N to prove it works.

    python bench/sync_throughput.py --dossiers 1000
    python bench/sync_throughput.py --dossiers 4950
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import kit

from shared.checklist import every_component
from shared.codes import BLOCK_SIZE, MAX_SLOT
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.config import Paths
from sync_server.store import db as station_db
from sync_server.store import dossiers as station_dossiers


def held(data: Path) -> int:
    """Dossiers in the station's database: what was really pushed, whoever pushed it."""
    db = station_db.connect(Paths(data).db)
    try:
        return station_dossiers.count(db)
    finally:
        db.close()


def tablets_for(n: int) -> int:
    return min(MAX_SLOT, -(-n // BLOCK_SIZE))


def run(n: int, work: Path) -> dict[str, object]:
    count = tablets_for(n)
    per_tablet = -(-n // count)
    with kit.station_with_tablets(work, count) as (station, tablets):
        today = vn_now().date()
        values = [sample_values("1.001193", today, seed) for seed in range(n)]
        t0 = time.perf_counter()
        ids = [
            tablets[i // per_tablet]
            .intake("1.001193", v, components_received=every_component("1.001193", v))
            .id
            for i, v in enumerate(values)
        ]
        intake_s = time.perf_counter() - t0
        before_push = held(station.data)

        t0 = time.perf_counter()
        for t in tablets:
            t.sync()
        push_s = time.perf_counter() - t0
        after_push = held(station.data)
        if after_push != n:
            raise SystemExit(f"the station holds {after_push} of {n} dossiers after the push")
        pushed = after_push - before_push

        token = httpx.post(
            f"{station.url}/v1/auth/token", json={"username": "thamdinh", "pin": "234567"}
        ).json()["access_token"]
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
            for dossier_id in ids:
                r = http.post(
                    f"{station.url}/v1/dossiers/{dossier_id}/actions", json={"action": "accept"}
                )
                r.raise_for_status()

        t0 = time.perf_counter()
        reports = [t.sync() for t in tablets]
        pull_s = time.perf_counter() - t0
        pulled, applied = sum(r.pulled for r in reports), sum(r.applied for r in reports)
        # Besides the n state changes the feed carries number blocks and the catalogue.
        if pulled < n or applied < n:
            raise SystemExit(f"pulled {pulled}, applied {applied} of {n}")
    return {
        "benchmark": "sync_throughput",
        "dossiers": n,
        "tablets": count,
        "dossiers_per_tablet": per_tablet,
        # intake phase: dossiers received on the tablets / wall time (refills included)
        "intake_per_s": round(n / intake_s, 1),
        "pushed_during_intake": before_push,
        # push phase: dossiers the station gained (counted in its database) / wall time
        "push_dossiers": pushed,
        "push_per_s": round(pushed / push_s, 1) if pushed else None,
        "push_seconds": round(push_s, 3),
        # pull phase: the n accepted dossiers' state changes fetched and opened / wall time
        "pull_per_s": round(n / pull_s, 1),
        "pull_seconds": round(pull_s, 3),
        "station_holds": after_push,
        **kit.machine(),
    }


def summary(r: dict[str, Any]) -> str:
    """The human line: intake, push and pull rates, and what the station holds."""
    return (
        f"{r['dossiers']} dossiers on {r['tablets']} tablets: intake {r['intake_per_s']}/s, "
        f"push {r['push_per_s']}/s ({r['push_dossiers']} pushed in the push phase), "
        f"pull {r['pull_per_s']}/s; the station holds {r['station_holds']}"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--dossiers", type=int, default=1000)
    kit.add_output_options(p, "tiny run for CI: proves it works")
    args = p.parse_args()
    n = min(args.dossiers, 5) if args.smoke else args.dossiers
    if n < 1:
        p.error("--dossiers must be >= 1")
    with kit.scratch() as tmp:
        result = run(n, tmp)
    return kit.emit(result, summary(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
