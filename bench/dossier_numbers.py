"""10 000 dossiers in one day: dossier numbers from station-reserved blocks.

Starts a real station (uvicorn, 127.0.0.1) in a temporary folder, enrolls T real tablet
stores and has them take chứng thực bản sao dossiers (the busiest counter work) in turns,
each numbering from the blocks the station reserved to it and asking for a new block
when it runs dry, until the unit's 10 000 numbers of the day are used. Then:
  - every code is distinct and has the national shape {unit}-{yyMMdd}-{XXXX};
  - one more intake is refused with DOSSIER_CODE_EXHAUSTED (the day is full);
  - the station holds all of them (each refill pushed what was taken so far, as the
    station tops a tablet up by the numbers it has seen used; a last sync pushes the rest).
Prints a human summary and one JSON line. `--smoke` runs 300 dossiers to prove it works
(the day is not filled then).

    python bench/dossier_numbers.py            # 10 000 dossiers, 2 tablets
    python bench/dossier_numbers.py --smoke
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Any

import kit

from shared.checklist import every_component
from shared.codes import DAY_CAPACITY, parse_code
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.store import dossiers as dossiers_q
from sync_server.store import numbers as numbers_q
from sync_server.store.db import connect

PROCEDURE = "2.000815"  # chứng thực bản sao từ bản chính
NATIONAL = re.compile(r"^[0-9A-Z.]+-\d{6}-\d{4}$")


def run(n: int, tablets_n: int, work: Path) -> dict[str, object]:
    with kit.station_with_tablets(work, tablets_n) as (station, tablets):
        today = vn_now().date()
        values = [sample_values(PROCEDURE, today, seed) for seed in range(20)]
        codes: list[str] = []
        dry: set[int] = set()
        t0 = time.perf_counter()
        k = 0
        while len(codes) < n and len(dry) < len(tablets):
            i = k % len(tablets)
            k += 1
            if i in dry:
                continue
            try:
                codes.append(
                    tablets[i]
                    .intake(
                        PROCEDURE,
                        values[k % len(values)],
                        components_received=every_component(PROCEDURE),
                    )
                    .code
                )
            except TaiChoError as err:
                if err.code != "DOSSIER_CODE_EXHAUSTED":
                    raise
                dry.add(i)
        intake_s = time.perf_counter() - t0
        full_day = len(codes) == DAY_CAPACITY
        one_more_refused = None
        if full_day:
            try:
                tablets[0].intake(
                    PROCEDURE, values[0], components_received=every_component(PROCEDURE, values[0])
                )
                one_more_refused = False
            except TaiChoError as err:
                one_more_refused = err.code == "DOSSIER_CODE_EXHAUSTED"
        if len(codes) != n:
            raise SystemExit(f"took {len(codes)} of {n}")
        if len(set(codes)) != len(codes) or not all(NATIONAL.match(c) for c in codes):
            raise SystemExit("duplicate or malformed dossier codes")
        if {parse_code(c).day for c in codes} != {today}:
            raise SystemExit("codes of another day")

        # Each refill pushed what was taken so far (the station tops up by what it saw
        # used); the last sync pushes the rest.
        t0 = time.perf_counter()
        reports = [t.sync() for t in tablets]
        push_s = time.perf_counter() - t0
        pending = sum(r.pending for r in reports)
        db = connect(station.data / "station.db")
        try:
            blocks = numbers_q.day_totals(db, today.isoformat())
            stored = len(dossiers_q.list_by_status(db, "received"))
        finally:
            db.conn.close()
        if stored != n or pending:
            raise SystemExit(f"station holds {stored} of {n}, {pending} still pending")
    return {
        "benchmark": "dossier_numbers",
        "dossiers": n,
        "tablets": tablets_n,
        "distinct_codes": len(set(codes)),
        "full_day": full_day,
        "one_more_refused": one_more_refused,
        "blocks_today": blocks["blocks"],
        "biggest_block": blocks["biggest"],
        "highest_number": blocks["top"],
        "intake_per_s": round(n / intake_s, 1),
        "intake_seconds": round(intake_s, 1),
        "last_push_seconds": round(push_s, 1),
        **kit.machine(),
    }


def summary(r: dict[str, Any]) -> str:
    """The human line: the blocks a full day took and the intake rate."""
    return (
        f"{r['dossiers']} dossiers on {r['tablets']} tablets in one day: "
        f"{r['blocks_today']} blocks, intake (with the refills' pushes) {r['intake_per_s']}/s"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--dossiers", type=int, default=DAY_CAPACITY)
    p.add_argument("--tablets", type=int, default=2)
    kit.add_output_options(p, "300 dossiers: proves it works")
    args = p.parse_args()
    n = 300 if args.smoke else args.dossiers
    if not 1 <= n <= DAY_CAPACITY or args.tablets < 1:
        p.error(f"--dossiers 1..{DAY_CAPACITY}, --tablets >= 1")
    with kit.scratch() as tmp:
        result = run(n, args.tablets, tmp)
    return kit.emit(result, summary(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
