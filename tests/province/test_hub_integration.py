"""End to end: PostgreSQL, a real hub and a real station, both uvicorn on HTTPS.

A tablet enrols with the station (Xã Lai Vung, demo seed) and takes three khai sinh
dossiers; the office resolves one, asks a supplement for another. The station's
administrator registers it with the hub using the code the hub's administrator printed
(``admin hub-register``: the hub's certificate pinned from the code) and sends the day
figures (``admin hub-send``). The hub's summary for the commune equals the station's own
report; the hub's database — a ``pg_dump`` and its data folder — holds no citizen's name
or number. The hub killed (``kill -9``) and restarted: the station's next send goes
through, idempotently.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from mobile.services.tablet import TabletService
from province_hub import cluster
from province_hub.launcher import RunningHub, start_hub
from shared.checklist import every_component
from shared.samples import sample_values
from shared.tls_pin import Pin, pinned_context
from shared.workdays import vn_now
from sync_server.launcher import RunningStation, start_station
from sync_server.services.admin.demo import DEMO_UNIT
from tests.browser_kit import record_child_number
from tests.integration.conftest import APPRAISER, CLERK, INTAKE, LEADER

pytestmark = [pytest.mark.postgres, pytest.mark.integration]
UNIT = str(DEMO_UNIT["code"])


@pytest.fixture
def station(tmp_path: Path) -> Iterator[RunningStation]:
    running = start_station(tmp_path / "laivung", tls=True)
    yield running
    running.stop()


def _act(
    station: RunningStation, dossier_id: str, action: str, who: tuple[str, str], reason: str = ""
) -> httpx.Response:
    """A desk action over the station's HTTPS, its certificate pinned."""
    assert station.tls_sha256 is not None
    verify = pinned_context(Pin.exact(station.tls_sha256))
    with httpx.Client(base_url=station.url, verify=verify, timeout=60) as http:
        r = http.post("/v1/auth/token", json={"username": who[0], "pin": who[1]})
        token = r.json()["access_token"]
        return http.post(
            f"/v1/dossiers/{dossier_id}/actions",
            json={"action": action, "reason": reason or None},
            headers={"Authorization": f"Bearer {token}"},
        )


def _record_child_number(station: RunningStation, dossier_id: str) -> None:
    """The appraiser records the child's số định danh cá nhân before a khai sinh is
    approved (issue 17: the leader cannot approve without it)."""
    assert station.tls_sha256 is not None
    verify = pinned_context(Pin.exact(station.tls_sha256))
    with httpx.Client(base_url=station.url, verify=verify, timeout=60) as http:
        r = http.post("/v1/auth/token", json={"username": APPRAISER[0], "pin": APPRAISER[1]})
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
        record_child_number(http, dossier_id, auth)


def _admin(station: RunningStation, *args: str) -> tuple[int, Any]:
    """``python -m sync_server admin``: (exit code, the JSON it printed or its problem)."""
    import sys

    from sync_server.launcher import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "sync_server", "admin", "--data", str(station.data), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    text = done.stdout if done.returncode == 0 else done.stderr
    return done.returncode, json.loads(text)


def _plain(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k not in ("overdue", "as_of")}


def _citizen_strings(values: dict[str, Any]) -> list[str]:
    keys = ("child_full_name", "mother_full_name", "father_full_name", "requester_id_number")
    return [str(values[k]) for k in keys if values.get(k)]


def test_a_station_registers_sends_and_the_province_sees_its_report(
    station: RunningStation, hub: RunningHub, pg: cluster.Cluster, hub_dsn: str, tmp_path: Path
) -> None:
    # A day of the office: three dossiers from a tablet, one resolved, one sent back.
    tablet = TabletService(tmp_path / "tablet")
    tablet.enrolment.enroll(station.url, station.enroll_code())
    tablet.unlock(*INTAKE)
    today = vn_now().date()
    values = [sample_values("1.001193", today, seed) for seed in (1, 2, 3)]
    dossiers = [
        tablet.intake("1.001193", v, components_received=every_component("1.001193", v))
        for v in values
    ]
    assert tablet.sync().pushed == 3
    tablet.close()
    first, second, _third = dossiers
    for action, who in (("accept", APPRAISER), ("approve", LEADER), ("stamp", CLERK)):
        if action == "approve":
            _record_child_number(station, first.id)
        assert _act(station, first.id, action, who).status_code == 200
    r = _act(station, second.id, "request_supplement", APPRAISER, "Thiếu giấy chứng sinh")
    assert r.status_code == 200, r.text

    # Registration with the code the hub's administrator printed.
    code = hub.register_code(UNIT)
    rc, linked = _admin(station, "hub-register", "--hub", hub.url, "--code", code)
    assert rc == 0, linked
    assert linked["unit_code"] == UNIT
    assert linked["tls_sha256"] == (hub.tls_sha256 or b"").hex()
    entries = json.loads(hub.admin("stations"))
    assert entries[0]["tls_sha256"] == (station.tls_sha256 or b"").hex()

    start, end = (today - timedelta(days=2)).isoformat(), today.isoformat()
    rc, sent = _admin(station, "hub-send", "--from", start, "--to", end)
    assert rc == 0, sent
    assert sent["days_sent"] == 3 and sent["hub_last_day"] == end
    rc, own = _admin(station, "report", "--from", start, "--to", end, "--format", "json")
    assert rc == 0

    token = hub.reader_token()
    got = httpx.get(
        f"{hub.url}/v1/province/summary",
        params={"from": start, "to": end, "commune": UNIT},
        headers={"Authorization": f"Bearer {token}"},
        verify=False,
    ).json()
    assert _plain(got["by_commune"][UNIT]) == _plain(own["summary"])
    assert got["by_commune"][UNIT]["received"]["total"] == 3
    assert got["by_commune"][UNIT]["resolved"]["total"] == 1
    assert {c: _plain(s) for c, s in got["by_procedure"].items()} == {
        c: _plain(s) for c, s in own["by_procedure"].items()
    }
    assert got["communes"][UNIT]["name"] == "Xã Lai Vung"

    # Counts only: no citizen's name or number anywhere in the hub's database or folder.
    dump = subprocess.run(
        [str(cluster.PG_BIN / "pg_dump"), "--dbname", hub_dsn],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8")
    assert UNIT in dump and "Lai Vung" in dump
    hub_files = b"".join(p.read_bytes() for p in hub.data.rglob("*") if p.is_file())
    for secret in (s for v in values for s in _citizen_strings(v)):
        assert secret not in dump, secret
        assert secret.encode("utf-8") not in hub_files, secret
    assert "Thiếu giấy chứng sinh" not in dump  # the reasons stay at the station too

    # The hub killed outright, then back: a send in between fails with a problem, the
    # next one goes through and changes nothing already counted.
    port = int(hub.url.rsplit(":", 1)[1])
    hub.kill()
    rc, problem = _admin(station, "hub-send", "--from", start, "--to", end)
    assert rc == 1 and problem["code"] == "HUB_UNREACHABLE"
    again = start_hub(hub_dsn, hub.data, port=port)
    try:
        rc, sent = _admin(station, "hub-send", "--from", start, "--to", end)
        assert rc == 0, sent
        with psycopg.connect(hub_dsn) as conn:
            days = conn.execute("SELECT count(*) FROM figure_days").fetchone()
        assert days is not None and days[0] == 3
        rc, status = _admin(station, "hub-status")
        assert rc == 0 and status["sent_through"] == end
    finally:
        again.stop()
