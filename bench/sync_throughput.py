"""Push and pull throughput of the real sync path, in dossiers per second.

Starts a real station (uvicorn, 127.0.0.1) in a temporary folder, enrolls one real tablet
store, takes N khai sinh dossiers in (validated, encrypted, sealed, signed), then times:
  push — the tablet's sync sending the whole outbox (verify, open, validate, store);
  pull — after the office accepts every dossier, the tablet's sync fetching and opening
         the N feed items (seal per device, verify, open, re-encrypt locally).
Prints a human summary and one JSON line. `--smoke` runs a tiny N to prove it works.

    python bench/sync_throughput.py --dossiers 200
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import httpx
import kit

from shared.checklist import every_component
from shared.samples import sample_values
from shared.workdays import vn_now

PER_TABLET = 99


def run(n: int, work: Path) -> dict[str, object]:
    # Spread N over as many enrolled tablets as a real office would need (about 99
    # dossiers a day each); each gets its dossier numbers from the station.
    with kit.station_with_tablets(work, -(-n // PER_TABLET)) as (station, tablets):
        today = vn_now().date()
        values = [sample_values("1.001193", today, seed) for seed in range(n)]
        t0 = time.perf_counter()
        ids = [
            tablets[i // PER_TABLET]
            .intake("1.001193", v, components_received=every_component("1.001193"))
            .id
            for i, v in enumerate(values)
        ]
        intake_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        pushed = sum(t.sync().pushed for t in tablets)
        push_s = time.perf_counter() - t0
        if pushed != n:
            raise SystemExit(f"pushed {pushed} of {n}")

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
        "tablets": -(-n // PER_TABLET),
        "intake_per_s": round(n / intake_s, 1),
        "push_per_s": round(n / push_s, 1),
        "pull_per_s": round(n / pull_s, 1),
        "push_seconds": round(push_s, 3),
        "pull_seconds": round(pull_s, 3),
        **kit.machine(),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--dossiers", type=int, default=200)
    kit.add_output_options(p, "tiny run for CI: proves it works")
    args = p.parse_args()
    n = min(args.dossiers, 5) if args.smoke else args.dossiers
    if n < 1:
        p.error("--dossiers must be >= 1")
    with kit.scratch() as tmp:
        result = run(n, tmp)
    kit.emit(
        result,
        f"{n} dossiers: intake {result['intake_per_s']}/s, push {result['push_per_s']}/s, "
        f"pull {result['pull_per_s']}/s",
        args.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
