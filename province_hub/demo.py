"""``python -m province_hub.demo``: a province of two communes on this machine.

What ``scripts/demo.sh --province`` runs where PostgreSQL is installed: a throw-away
PostgreSQL cluster (``province_hub.cluster``), the hub for tỉnh Đồng Tháp on it (HTTPS),
and two stations — Xã Lai Vung (the demo commune, its staff and calendar) and Phường Sa
Đéc (the same demo logins) — each registered with the hub by a one-time code and sending
its day figures every minute (``serve --hub-every 1``). The leader of either commune sees
"Toàn tỉnh" on the desk's report page. Ctrl+C stops everything and removes the cluster;
the stations' folders stay under ``DIR`` (default ``demo-data/province``).

The two stations relay dossiers between them through the hub every 5 seconds
(``serve --relay-every 5``): a khai sinh taken by a tablet of Xã Lai Vung for Phường Sa
Đéc (``competent_unit``) is decided at Sa Đéc and returned at Lai Vung (docs/province.md,
"Cross-commune intake").
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

from province_hub import cluster
from province_hub.launcher import start_hub
from sync_server.launcher import RunningStation, start_station

SA_DEC = ("Đồng Tháp", "Phường Sa Đéc")
# Figures every minute, dossiers between the communes every 5 seconds.
STATION_OPTIONS = ("--hub-every", "1", "--relay-every", "5")


def _second_station(folder: Path, port: int | None) -> RunningStation:
    """Phường Sa Đéc with the demo's logins and calendar (set up before it serves; it
    then serves without ``--demo``, which would make it Lai Vung again)."""
    if not (folder / "station.db").exists():
        from sync_server.services.admin import demo
        from sync_server.services.opening import open_station
        from sync_server.services.setup.units import set_unit_from_names

        station = open_station(folder)
        with station.session() as db:
            demo.seed(db, station.keys)
            set_unit_from_names(db, *SA_DEC)
    return start_station(folder, demo=False, tls=True, port=port, extra=STATION_OPTIONS)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m province_hub.demo", description=__doc__)
    p.add_argument("--data", type=Path, default=Path("demo-data/province"), metavar="DIR")
    p.add_argument("--port", type=int, default=8800, help="the hub's port")
    p.add_argument("--station-ports", default="8766,8767", help="Lai Vung,Sa Đéc")
    args = p.parse_args(argv)
    if not cluster.available():
        print("PostgreSQL is not installed: apt-get install postgresql", file=sys.stderr)
        return 1
    ports = [int(x) for x in args.station_ports.split(",")]
    args.data.mkdir(parents=True, exist_ok=True)
    running: list[object] = []
    pg = cluster.start()
    try:
        hub = start_hub(pg.create_database("dong_thap"), args.data / "hub", port=args.port)
        running.append(hub)
        lai_vung = start_station(
            args.data / "lai-vung", tls=True, port=ports[0], extra=STATION_OPTIONS
        )
        running.append(lai_vung)
        sa_dec = _second_station(args.data / "sa-dec", ports[1])
        running.append(sa_dec)
        for st in (lai_vung, sa_dec):
            unit = json.loads(st.admin("unit-show"))["code"]
            code = hub.register_code(unit)
            st.admin("hub-register", "--hub", hub.url, "--code", code, "--url", st.url)
        # Each station's sender picks the registration up at its next run (every minute).
        token = hub.reader_token("Sở Nội vụ tỉnh Đồng Tháp (demo)")
        print(
            f"""
  Tại Chỗ — province demo: tỉnh Đồng Tháp, two communes, a hub on PostgreSQL.
  Hub:                {hub.url}/v1/hub/health   (SHA-256 {(hub.tls_sha256 or b"").hex()})
  Provincial summary: {hub.url}/v1/province/summary?from=YYYY-MM-DD&to=YYYY-MM-DD
                      Authorization: Bearer {token}
  Xã Lai Vung desk:   {lai_vung.url}/desk
  Phường Sa Đéc desk: {sa_dec.url}/desk
  Logins on both (username / PIN): tiepnhan 123456, thamdinh 234567, lanhdao 345678,
  vanthu 456789, quantri 567890. The leader (lanhdao) sees "Toàn tỉnh" under "Báo cáo";
  each station sends its day figures to the hub every minute, and relays dossiers
  received for the other commune (and their results) every 5 seconds.
  Press Ctrl+C to stop (the PostgreSQL cluster is removed; {args.data} stays).
""",
            flush=True,
        )
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        for r in reversed(running):
            r.stop()  # type: ignore[attr-defined]
        pg.stop()
    return 0


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _exit)
    sys.exit(main())
