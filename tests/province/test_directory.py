"""The hub's directory on a real PostgreSQL: a station registers with a one-time code over
HTTPS (the hub's certificate pinned from the code), and every later request is signed.

The hub runs as ``python -m province_hub serve`` (uvicorn, its own certificate); the
stations are real data folders talking through ``sync_server.services.province.link`` — the
same calls ``admin hub-register`` makes — or, for the forged requests, raw httpx.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from province_hub import cluster
from province_hub import db as hub_db
from province_hub.launcher import RunningHub
from shared import crypto, enrol_code, hub_auth
from shared.errors import TaiChoError
from shared.workflow import Role
from sync_server.launcher import ROOT
from sync_server.services import door
from sync_server.services.admin.demo import DEMO_UNIT
from sync_server.services.core.station import Station
from sync_server.services.province import link as hub_link
from sync_server.services.setup.staff import Staff
from sync_server.services.setup.units import unit_from_names
from tests.province.conftest import demo_station

pytestmark = pytest.mark.postgres
ADMIN = Staff("quantri", "Quản trị", Role.ADMIN, None)
LAI_VUNG = str(DEMO_UNIT["code"])
_STATION_ADMIN = (sys.executable, "-m", "sync_server", "admin", "--data")
_PLAIN_HUB = ("--hub", "http://hub.example.vn:8800", "--code", "X")


def _register(station: Station, hub: RunningHub, code: str) -> dict[str, object]:
    with station.session() as db:
        return door.hub_register(ADMIN, station, db, hub.url, code, "https://laivung.example.vn")


def test_migrations_apply_once_and_are_recorded(hub_dsn: str) -> None:
    with hub_db.connect(hub_dsn) as conn:
        first = hub_db.migrate(conn)
        again = hub_db.migrate(conn)
        assert first == [name for name, _ in hub_db.MIGRATIONS]
        assert again == []
        assert hub_db.applied_migrations(conn) == first


def test_a_station_registers_with_a_code_and_is_in_the_directory(
    hub: RunningHub, tmp_path: Path
) -> None:
    station = demo_station(tmp_path / "laivung")
    code = hub.register_code(LAI_VUNG)
    assert len(enrol_code.normalise(code)) == 32  # secret + the hub's certificate pin
    saved = _register(station, hub, code)
    assert saved["unit_code"] == LAI_VUNG
    assert saved["tls_sha256"] == hub.tls_sha256.hex() if hub.tls_sha256 else False
    entries = json.loads(hub.admin("stations"))
    assert [e["unit_code"] for e in entries] == [LAI_VUNG]
    entry = entries[0]
    assert entry["name"] == "Ủy ban nhân dân xã Lai Vung"
    assert entry["province"] == "Tỉnh Đồng Tháp"
    assert entry["url"] == "https://laivung.example.vn"
    assert entry["ed25519_pub"] == crypto.b64e(station.keys.ed_pk)
    assert entry["x25519_pub"] == crypto.b64e(station.keys.x_pk)

    # The code works once.
    other = demo_station(tmp_path / "again")
    with pytest.raises(TaiChoError) as err:
        _register(other, hub, code)
    assert err.value.code == "HUB_CODE_INVALID"

    # A second station looks the first up by its unit code (a signed request).
    sa_dec = demo_station(tmp_path / "sadec", commune="Phường Sa Đéc")
    with sa_dec.session() as db:
        unit = unit_from_names("Đồng Tháp", "Phường Sa Đéc").code
    _register(sa_dec, hub, hub.register_code(unit))
    with sa_dec.session() as db:
        found = door.hub_lookup(ADMIN, sa_dec, db, LAI_VUNG)
    assert found["x25519_pub"] == crypto.b64e(station.keys.x_pk)
    assert found["tls_sha256"] is None  # this station never served HTTPS (no certificate)


def test_a_code_for_another_unit_or_province_is_refused(hub: RunningHub, tmp_path: Path) -> None:
    station = demo_station(tmp_path / "laivung")
    with pytest.raises(TaiChoError) as err:
        _register(station, hub, hub.register_code("000.00.00.X99"))
    assert err.value.code == "HUB_CODE_INVALID"
    assert err.value.field == "code"
    # A commune of another province, with a code issued for its unit code.
    hanoi = demo_station(tmp_path / "hanoi", province="Hà Nội", commune="Phường Ba Đình")
    with hanoi.session() as db:
        from sync_server.services.core.station import get_unit_record

        unit = get_unit_record(db)
    assert unit is not None
    with pytest.raises(TaiChoError) as err:
        _register(hanoi, hub, hub.register_code(unit.code))
    assert err.value.code == "HUB_CODE_INVALID"
    assert err.value.field == "unit"
    assert json.loads(hub.admin("stations")) == []


def test_a_hub_with_another_certificate_gets_nothing(hub: RunningHub, tmp_path: Path) -> None:
    """The code's pin is checked during the handshake: a hub with another certificate
    (a machine in the middle) never receives the request, and the code stays usable."""
    station = demo_station(tmp_path / "laivung")
    code = hub.register_code(LAI_VUNG)
    parsed = enrol_code.parse(code)
    assert parsed is not None and parsed.pin is not None
    wrong_pin = enrol_code.pin_symbols(bytes(32))
    forged = enrol_code.group(enrol_code.normalise(parsed.secret) + wrong_pin)
    with pytest.raises(TaiChoError) as err:
        _register(station, hub, forged)
    assert err.value.code == "HUB_CERT_MISMATCH"
    _register(station, hub, code)  # the real hub: the code was not spent


def test_signed_requests_forged_replayed_stale_or_unknown_are_refused(
    hub: RunningHub, tmp_path: Path
) -> None:
    station = demo_station(tmp_path / "laivung")
    _register(station, hub, hub.register_code(LAI_VUNG))
    path = f"/v1/hub/stations/{LAI_VUNG}"

    def get(headers: dict[str, str]) -> httpx.Response:
        return httpx.get(f"{hub.url}{path}", headers=headers, verify=False)

    now = int(time.time())
    good = hub_auth.sign(station.keys.ed_sk, LAI_VUNG, "GET", path, "", b"", now)
    assert get(good).status_code == 200
    replay = get(good)
    assert (replay.status_code, replay.json()["code"]) == (401, "HUB_REQUEST_STALE")

    stale = hub_auth.sign(station.keys.ed_sk, LAI_VUNG, "GET", path, "", b"", now - 3600)
    assert get(stale).json()["code"] == "HUB_REQUEST_STALE"

    other_sk, _ = crypto.new_ed25519()
    forged = hub_auth.sign(other_sk, LAI_VUNG, "GET", path, "", b"", now)
    r = get(forged)
    assert (r.status_code, r.json()["code"]) == (401, "HUB_SIGNATURE_INVALID")

    unknown = hub_auth.sign(station.keys.ed_sk, "000.00.00.X99", "GET", path, "", b"", now)
    assert get(unknown).json()["code"] == "HUB_STATION_UNKNOWN"

    missing = {k: v for k, v in good.items() if k != hub_auth.HEADER_SIGNATURE}
    r = get(missing)
    assert (r.json()["code"], r.json()["field"]) == (
        "HUB_SIGNATURE_INVALID",
        hub_auth.HEADER_SIGNATURE,
    )

    # Revoked by the hub's administrator: refused from then on.
    hub.admin("station-revoke", "--unit", LAI_VUNG)
    with station.session() as db, pytest.raises(TaiChoError) as err:
        hub_link.lookup(db, station, LAI_VUNG)
    assert err.value.code == "HUB_STATION_REVOKED"


def test_the_station_commands_need_a_registration_and_the_admin_role(tmp_path: Path) -> None:
    station = demo_station(tmp_path / "laivung")
    with station.session() as db:
        with pytest.raises(TaiChoError) as err:
            door.hub_send(ADMIN, station, db, "2026-11-01", "2026-11-02")
        assert err.value.code == "HUB_NOT_REGISTERED"
        clerk = Staff("vanthu", "Văn thư", Role.CLERK, None)
        with pytest.raises(TaiChoError) as err:
            door.hub_status(clerk, station, db)
        assert err.value.code == "ROLE_NOT_ALLOWED"
    done = subprocess.run(
        [*_STATION_ADMIN, str(tmp_path / "laivung"), "hub-register", *_PLAIN_HUB],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert json.loads(done.stderr)["code"] == "PLAIN_HTTP_REFUSED"


def test_the_hub_answers_a_lost_database_with_a_problem(
    hub: RunningHub, pg: cluster.Cluster, hub_dsn: str
) -> None:
    """The database's connections ended by the server: a catalogued 503 or a reconnect,
    never a traceback; the next request is served."""
    name = psycopg.conninfo.conninfo_to_dict(hub_dsn)["dbname"]
    with psycopg.connect(pg.dsn(), autocommit=True) as c:
        c.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
    r = httpx.get(f"{hub.url}/v1/hub/health", verify=False)
    assert r.status_code in (200, 503)
    if r.status_code == 503:
        assert r.json()["code"] == "HUB_DATABASE_UNAVAILABLE"
    assert httpx.get(f"{hub.url}/v1/hub/health", verify=False).status_code == 200


def test_bad_bodies_and_headers_get_problems_never_a_traceback(hub_dsn: str) -> None:
    """The hub in process: its OpenAPI lists every route; malformed requests answer a
    catalogued problem naming what is wrong."""
    from starlette.testclient import TestClient

    from province_hub.app import create_app

    with TestClient(create_app(hub_dsn), raise_server_exceptions=False) as client:
        paths = set(client.get("/openapi.json").json()["paths"])
        assert {"/v1/hub/stations", "/v1/hub/figures", "/v1/province/summary.pdf"} <= paths
        for method, path, body in (
            ("PUT", "/v1/hub/figures", b"{}"),
            ("PUT", "/v1/hub/figures", b"\xff\xfe"),
            ("POST", "/v1/hub/stations", b"not json"),
            ("POST", "/v1/hub/stations", b'{"code": 1}'),
            ("GET", "/v1/hub/stations/000.31.22.H20", b""),
            ("GET", "/v1/province/summary?from=2026-01-01&to=2026-01-31", b""),
        ):
            r = client.request(method, path, content=body)
            assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
            problem = r.json()
            assert problem["code"] in (
                "REQUEST_INVALID",
                "HUB_SIGNATURE_INVALID",
                "AUTH_REQUIRED",
            ), problem
            assert problem["message"] and problem["message_en"]
        big = client.put("/v1/hub/figures", content=b" " * (33 * 1024 * 1024))
        assert (big.status_code, big.json()["code"]) == (413, "BODY_TOO_LARGE")
