"""Report time over a year of a busy ward, against one plain SQL aggregate as the floor.

Builds N dossier histories in a real station database (a temporary data dir opened with
the station's own migrations and keys): each dossier's encrypted payload is saved by the
station's dossier store, and every step — receipt, supplement requests with reasons,
resubmissions, refusals, acceptance, approval, stamp, return — is appended to the real
hash-chained audit log in time order; ratings (with some encrypted comments) and apology
letters are recorded through the report service. Then it times, on the same database:

  floor   — one plain aggregate over the dossiers table
            (``SELECT status, COUNT(*), MIN(received_at), MAX(due_at) … GROUP BY status``);
  summary — the full JSON report of the year (facts, figures, per-procedure breakdown,
            chart series, page view, audit checkpoint), as ``GET /v1/reports/summary``;

each the best of several runs, and prints one JSON line with both and their ratio.
Target: summary within 5× of the floor at 100,000 dossiers. ``--smoke`` runs a tiny N;
``--data DIR`` keeps the built station there and, when it exists, times it again without
rebuilding (building 100,000 histories takes minutes).

    python bench/reports.py --dossiers 100000 [--data /tmp/reports-100k]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import kit

from shared.codes import make_code
from shared.model import Dossier, HistoryEntry
from shared.reports import Period
from shared.samples import sample_values
from shared.views import ReportView
from shared.workdays import VN_TZ, due_at, is_working_day
from shared.workflow import Action, Status
from sync_server.services.core import audit
from sync_server.services.core.station import Station
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.opening import open_station
from sync_server.services.reports import reports
from sync_server.store import devices
from sync_server.store import reports as reports_q
from sync_server.store.db import transaction

PROCEDURE = "1.001193"
UNIT = "000.31.22.H20"
YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))
SUPPLEMENT_REASONS = (
    "Thiếu bản sao Giấy chứng sinh",
    "Giấy tờ tùy thân hết hạn",
    "Thông tin cha mẹ chưa khớp với giấy tờ",
)
REFUSAL_REASONS = ("Không thuộc thẩm quyền", "Hồ sơ đã đăng ký ở nơi khác")
COMMENTS = ("Cán bộ hướng dẫn tận tình", "Chờ hơi lâu", "Rất nhanh, cảm ơn")


def _plan(n: int, rng: random.Random) -> list[tuple[datetime, int, str, Any]]:
    """(time, order, kind, data) events of N dossiers over the year, in time order."""
    days = [
        YEAR.start + timedelta(days=i)
        for i in range((YEAR.end - YEAR.start).days + 1)
        if is_working_day(YEAR.start + timedelta(days=i))
    ]
    per_day: dict[date, int] = {}
    events: list[tuple[datetime, int, str, Any]] = []
    for k in range(n):
        day = days[k * len(days) // n]
        seq = per_day[day] = per_day.get(day, 0) + 1
        rec = datetime(day.year, day.month, day.day, 7, 30, tzinfo=VN_TZ) + timedelta(
            minutes=rng.randrange(0, 9 * 60)
        )
        did = str(uuid.uuid4())
        code = make_code(UNIT, day, seq)
        events.append((rec, 0, "receive", (did, code, k)))
        t = rec
        roll = rng.random()
        if roll < 0.08:  # a supplement: asked within the hour, back one or two days later
            t += timedelta(minutes=rng.randrange(10, 60))
            events.append((t, 1, "request_supplement", (did, rng.choice(SUPPLEMENT_REASONS))))
            t += timedelta(days=rng.choice((1, 2)), minutes=rng.randrange(0, 120))
            events.append((t, 2, "supplement", (did, None)))
        if roll > 0.98:
            t += timedelta(minutes=rng.randrange(20, 90))
            events.append((t, 3, "refuse", (did, rng.choice(REFUSAL_REASONS))))
            continue
        if roll > 0.97:  # still in progress (some overdue)
            continue
        step = rng.choice((15, 30, 45, 90, 240, 24 * 60 + 30))
        for i, action in enumerate(("accept", "approve", "stamp")):
            t += timedelta(minutes=step // 3 + i)
            events.append((t, 4 + i, action, (did, None)))
        if rng.random() < 0.97:
            t += timedelta(minutes=rng.randrange(5, 60))
            events.append((t, 7, "return", (did, None)))
            if rng.random() < 0.7:
                level = rng.choices(("very_satisfied", "satisfied", "unsatisfied"), (6, 3, 1))[0]
                comment = rng.choice(COMMENTS) if rng.random() < 0.1 else None
                events.append((t, 8, "rating", (did, level, comment)))
        if step > 24 * 60 and rng.random() < 0.5:
            events.append((rec + timedelta(hours=7), 9, "apology", (did, None)))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def build(station: Station, n: int, seed: int = 12) -> None:
    rng = random.Random(seed)
    device_id = str(uuid.uuid4())
    values = [sample_values(PROCEDURE, YEAR.start, s) for s in range(20)]
    with station.session() as db:
        with transaction(db):
            devices.insert(
                db,
                device_id=device_id,
                name="bench",
                slot=1,
                x_pub="-",
                ed_pub="-",
                escrow="-",
                enrolled_at=YEAR.start_at.isoformat(),
            )
        events = _plan(n, rng)
        for i in range(0, len(events), 5000):
            with transaction(db):
                for moment, _, kind, data in events[i : i + 5000]:
                    _apply(station, db, device_id, values, moment, kind, data)


def _apply(
    station: Station,
    db: Any,
    device_id: str,
    values: list[dict[str, Any]],
    moment: datetime,
    kind: str,
    data: Any,
) -> None:
    at = moment.isoformat(timespec="seconds")
    keys = station.keys
    if kind == "receive":
        did, code, k = data
        d = Dossier(
            id=did,
            code=code,
            procedure=PROCEDURE,
            procedure_version=1,
            values=values[k % len(values)],
            status=Status.RECEIVED,
            version=1,
            base_version=0,
            device_id=device_id,
            received_by="tiepnhan",
            received_at=at,
            due_at=due_at(moment, 0).isoformat(),
            history=[HistoryEntry(Action.RECEIVE, "draft", "received", "tiepnhan", "intake", at)],
        )
        dossier_store.save(db, keys, d)
        if k % 5 == 0:
            reports_q.set_channel(db, did, "home_visit")
        audit.append(db, keys, action="receive", actor="tiepnhan", at=at, dossier_id=did)
    elif kind == "rating":
        did, level, comment = data
        reports.record_rating(
            db, keys, dossier_id=did, level=level, comment=comment, actor="vanthu", at=at
        )
    elif kind == "apology":
        reports.record_apology(
            db, keys, dossier_id=data[0], actor="lanhdao", new_due_at=at, reason="Xác minh", at=at
        )
    else:
        did, reason = data
        audit.append(db, keys, action=kind, actor="x", at=at, dossier_id=did, reason=reason)
        if kind in ("refuse", "return", "request_supplement"):
            status = {"refuse": "refused", "return": "returned"}.get(kind, kind)
            db.execute("UPDATE dossiers SET status = ? WHERE id = ?", (status, did))


def _best(fn: Any, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run(n: int, work: Path, runs: int) -> dict[str, Any]:
    fresh = not (work / "station").exists()
    station = open_station(work / "station")
    t0 = time.perf_counter()
    if fresh:
        build(station, n)
    build_s = time.perf_counter() - t0
    with station.session() as db:
        floor_s = _best(lambda: reports_q.floor_aggregate(db), runs)
        out: dict[str, Any] = {}

        def summary() -> None:
            out["report"] = reports.render(
                db, station.keys, station.catalogue, YEAR, None, "json", free_text=True
            )

        summary_s = _best(summary, runs)
        view = out["report"]
        if not isinstance(view, ReportView):
            raise SystemExit(f"the JSON report came back as {type(view).__name__}")
        report = view.to_dict()
        received = report["summary"]["received"]["total"]
        if received != n:
            raise SystemExit(f"report counted {received} of {n} dossiers")
    size = sum(p.stat().st_size for p in (work / "station").rglob("*") if p.is_file())
    return {
        "benchmark": "reports",
        "dossiers": n,
        "audit_rows": report["audit_checkpoint"]["seq"],
        "build_seconds": round(build_s, 1),
        "db_mb": round(size / 1e6, 1),
        "floor_seconds": round(floor_s, 4),
        "summary_seconds": round(summary_s, 4),
        "ratio": round(summary_s / floor_s, 2),
        "target_ratio": 5,
        "runs": runs,
        **kit.machine(),
    }


def summary(r: dict[str, Any]) -> str:
    """The human line: the report's time against the floor of reading the rows."""
    return f"{r['dossiers']} dossiers: summary {r['summary_seconds']} s, floor " + (
        f"{r['floor_seconds']} s, ratio {r['ratio']}"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--dossiers", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3, help="best of this many runs each")
    kit.add_output_options(p, "tiny run for CI: proves it works")
    p.add_argument(
        "--data",
        type=Path,
        help="keep the built station here and reuse it when it exists (same N and seed)",
    )
    args = p.parse_args()
    n = min(args.dossiers, 300) if args.smoke else args.dossiers
    if n < 1:
        p.error("--dossiers must be >= 1")
    runs = 1 if args.smoke else args.runs
    if args.data is not None:
        args.data.mkdir(parents=True, exist_ok=True)
        result = run(n, args.data, runs)
    else:
        with kit.scratch() as tmp:
            result = run(n, tmp, runs)
    return kit.emit(result, summary(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
