"""A province of simulated communes against a real hub on a real PostgreSQL.

    python bench/province.py --communes 100 --dossiers-per-commune 500 [--days 120]
    python bench/province.py --smoke          # CI: 3 communes, 60 dossiers each

What runs: a throw-away PostgreSQL cluster (``province_hub.cluster``: initdb/pg_ctl),
``python -m province_hub serve`` on it (uvicorn, HTTPS with its own certificate), and, in
this process, ``--communes`` simulated stations (``province_hub.simulate``: a seeded
history of ``--dossiers-per-commune`` dossiers each over ``--days`` days, their own keys).
Each station registers with a one-time code (the hub's certificate pinned from the code)
and sends every day's figures in signed batches — the real protocol, only the station's
SQLite left out. Then, best of ``--runs``:

* ``summary_seconds``: ``GET /v1/province/summary?from&to`` over the whole span, through
  HTTPS (a kept-alive connection), as a reader of the province asks it;
* ``group_by_seconds``: one plain ``SELECT unit_code, procedure, sum(…) … GROUP BY
  unit_code, procedure`` over the same rows, on a direct connection (the two alternate,
  run by run, so a shared machine's load falls on both alike);
* ``ratio`` = summary / group by (goal ≤ 3);

the sealed relay: each station seals 20 envelopes of ~6 KB to the next and pushes
them, each recipient pulls, opens and acknowledges them (``relay_*_per_second``); and
the sending of figures: ``send_seconds`` and ``days_per_second`` (days of one commune stored per
second, all communes one after the other), the database's size and rows. The result is
checked: the province's total received equals the dossiers the simulated histories hold.
One JSON line on stdout (``bench/kit.py``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import kit

from province_hub import cluster, directory
from province_hub.db import connect
from province_hub.launcher import start_hub
from province_hub.simulate import SimStation, days_of, history, sim_unit
from province_hub.store import figures as figures_q
from shared.envelope import EnvelopeContext, open_envelope, seal_envelope
from shared.hub_messages import KIND_RELAY, DayFigures, RelayItem
from shared.workdays import VN_TZ

FIRST = date(2026, 6, 1)
BATCH_DAYS = 62


def _best(fn: Any, runs: int) -> tuple[float, float]:
    """(best, median) seconds of ``runs`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def _paired(a: Any, b: Any, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """(best, median) of ``a`` and of ``b``, timed in turns after one warm-up each."""
    a()
    b()
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(runs):
        for fn, times in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return (min(ta), statistics.median(ta)), (min(tb), statistics.median(tb))


def _relay(hub: Any, stations: list[SimStation], per_station: int) -> dict[str, Any]:
    """Each station seals ``per_station`` envelopes of a dossier's size to the next one
    (its key from the directory) and pushes them in batches of 20; then each recipient
    pulls, opens and acknowledges them. Throughputs in envelopes per second."""
    payload = bytes(range(256)) * 24  # ~6 KB: a dossier's JSON without photos
    n = len(stations)
    t0 = time.perf_counter()
    sealed: list[list[Any]] = []
    for i, sim in enumerate(stations):
        to = stations[(i + 1) % n]
        items = []
        for seq in range(1, per_station + 1):
            ctx = EnvelopeContext(KIND_RELAY, sim.unit.code, to.unit.code, seq, f"d{seq}", 1)
            env = seal_envelope(ctx, payload, to.x_pk, sim.ed_sk)
            items.append(RelayItem(seq, to.unit.code, env))
        sealed.append(items)
    seal_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for sim, items in zip(stations, sealed, strict=True):
        with sim.client(hub.url) as client:
            for k in range(0, len(items), 20):
                client.relay_push(items[k : k + 20])
    push_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    opened = 0
    for i, sim in enumerate(stations):
        sender = stations[i - 1]
        with sim.client(hub.url) as client:
            cursor = 0
            while page := client.relay_pull(cursor).items:
                for d in page:
                    open_envelope(d.envelope, sim.x_sk, sender.ed_pk)
                    opened += 1
                cursor = page[-1].id
                client.relay_ack(cursor)
    pull_s = time.perf_counter() - t0
    total = n * per_station
    if opened != total:
        raise SystemExit(f"relayed {opened} of {total} envelopes")
    return {
        "relay_envelopes": total,
        "relay_envelope_kb": round(len(payload) / 1024, 1),
        "relay_seal_per_second": round(total / seal_s, 1),
        "relay_push_per_second": round(total / push_s, 1),
        "relay_pull_open_ack_per_second": round(total / pull_s, 1),
    }


def run(communes: int, per_commune: int, days: int, runs: int) -> dict[str, Any]:
    last = FIRST + timedelta(days=days - 1)
    # Counted the day after the span: every day of it judged at its own end.
    now = datetime.combine(last + timedelta(days=1), datetime.min.time(), VN_TZ)
    with cluster.start() as pg, kit.scratch() as work:
        dsn = pg.create_database("province")
        hub = start_hub(dsn, work / "hub")
        try:
            return _measure(hub, dsn, communes, per_commune, days, last, now, runs)
        finally:
            hub.stop()


def _measure(
    hub: Any,
    dsn: str,
    communes: int,
    per_commune: int,
    days: int,
    last: date,
    now: datetime,
    runs: int,
) -> dict[str, Any]:
    # The simulated stations: a history each, every day counted as a station counts it.
    t0 = time.perf_counter()
    stations: list[tuple[SimStation, list[DayFigures]]] = []
    for i in range(1, communes + 1):
        sim = SimStation.new(sim_unit(i))
        facts = history(per_commune, 1000 + i, FIRST, days, sim.unit.code)
        stations.append((sim, days_of(facts, FIRST, last, now)))
    count_s = time.perf_counter() - t0

    # Registration: codes as `admin register-code` issues them, then the real protocol.
    t0 = time.perf_counter()
    with connect(dsn) as conn:
        codes = [directory.issue_code(conn, s.unit.code, hub.tls_sha256) for s, _ in stations]
    for (sim, _), code in zip(stations, codes, strict=True):
        sim.register(hub.url, code)
    register_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    sent_days = 0
    for sim, figures in stations:
        with sim.client(hub.url) as client:
            for k in range(0, len(figures), BATCH_DAYS):
                client.put_figures(figures[k : k + BATCH_DAYS])
                sent_days += len(figures[k : k + BATCH_DAYS])
    send_s = time.perf_counter() - t0

    relay = _relay(hub, [s for s, _ in stations], per_station=20)

    token = hub.reader_token()
    params = {"from": FIRST.isoformat(), "to": last.isoformat()}
    url = f"{hub.url}/v1/province/summary"
    headers = {"Authorization": f"Bearer {token}"}
    got: dict[str, Any] = {}
    with httpx.Client(verify=False, timeout=120) as http, connect(dsn) as conn:
        conn.execute("ANALYZE")  # as autovacuum would have by now on a serving hub

        def summary() -> None:
            r = http.get(url, params=params, headers=headers)
            r.raise_for_status()
            got["data"] = r.json()

        def group_by() -> None:
            figures_q.plain_group_by(conn, FIRST, last)

        # Alternated, so that the load of a shared machine falls on both alike.
        (summary_s, summary_med), (group_s, group_med) = _paired(summary, group_by, runs)
        one = {**params, "commune": stations[0][0].unit.code}
        commune_s, _ = _best(lambda: http.get(url, params=one, headers=headers), runs)
        pdf_s, _ = _best(lambda: http.get(f"{url}.pdf", params=params, headers=headers), 1)
        rows = conn.execute("SELECT count(*) FROM figures").fetchone()
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        table = conn.execute(
            "SELECT pg_total_relation_size('figures') + pg_total_relation_size('returns')"
        ).fetchone()

    data = got["data"]
    received = data["summary"]["received"]["total"]
    if received != communes * per_commune:
        raise SystemExit(f"the summary counted {received} of {communes * per_commune} dossiers")
    if len(data["by_commune"]) != communes:
        raise SystemExit(f"the summary has {len(data['by_commune'])} of {communes} communes")
    return {
        "benchmark": "province",
        "communes": communes,
        "dossiers_per_commune": per_commune,
        "days": days,
        "figure_rows": int(rows[0]) if rows else 0,
        "db_mb": round(int(size[0]) / 1e6, 1) if size else None,
        "figures_tables_mb": round(int(table[0]) / 1e6, 1) if table else None,
        "count_seconds": round(count_s, 2),
        "register_seconds": round(register_s, 2),
        "send_seconds": round(send_s, 2),
        "days_sent": sent_days,
        "days_per_second": round(sent_days / send_s, 1),
        "summary_seconds": round(summary_s, 4),
        "summary_median_seconds": round(summary_med, 4),
        "group_by_seconds": round(group_s, 4),
        "group_by_median_seconds": round(group_med, 4),
        "ratio": round(summary_s / group_s, 2),
        "target_ratio": 3,
        "summary_one_commune_seconds": round(commune_s, 4),
        "summary_pdf_seconds": round(pdf_s, 3),
        "summary_json_kb": round(len(httpx.Response(200, json=data).content) / 1024, 1),
        **relay,
        "runs": runs,
        **kit.machine(),
    }


def summary(r: dict[str, Any]) -> str:
    """The human line: the province's summary against a GROUP BY, sending and the relay."""
    return (
        f"{r['communes']} communes × {r['dossiers_per_commune']} dossiers, {r['days']} days: "
        f"summary {r['summary_seconds']} s, GROUP BY {r['group_by_seconds']} s, ratio "
        f"{r['ratio']}; sending {r['days_per_second']} days/s; relay push "
        f"{r['relay_push_per_second']}/s, pull {r['relay_pull_open_ack_per_second']}/s"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--communes", type=int, default=100)
    p.add_argument("--dossiers-per-commune", type=int, default=500)
    p.add_argument("--days", type=int, default=120, help="the span the dossiers arrive in")
    p.add_argument("--runs", type=int, default=7, help="best of this many runs each")
    kit.add_output_options(p, "tiny run for CI: 3 communes, 60 dossiers each")
    args = p.parse_args()
    communes, per, days, runs = args.communes, args.dossiers_per_commune, args.days, args.runs
    if args.smoke:
        communes, per, days, runs = min(communes, 3), min(per, 60), min(days, 30), 1
    if communes < 1 or per < 1 or days < 1:
        p.error("--communes, --dossiers-per-commune and --days must be >= 1")
    if not cluster.available():
        raise SystemExit("PostgreSQL is not installed: bash scripts/setup.sh --with-test-tools")
    result = run(communes, per, days, runs)
    return kit.emit(result, summary(result), args.json)


if __name__ == "__main__":
    sys.exit(main())
