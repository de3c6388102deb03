"""The communes a station can relay to: fetched from a real hub, kept, and handed on.

Issue 20, the competent commune chosen: the station asks the hub's directory
(``GET /v1/hub/communes``, signed) with every relay run or on demand
(``admin hub-communes --refresh``), keeps the list, and keeps it through a hub outage;
a revoked station leaves the list at the next fetch; an unregistered station is told so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from province_hub.launcher import RunningHub
from shared import messages as m
from shared.errors import TaiChoError
from shared.permissions import Role
from sync_server.services import door
from sync_server.services.core.station import Station, get_unit_record
from sync_server.services.province import communes
from sync_server.services.province import link as hub_link
from sync_server.services.setup.staff import Staff, get_staff
from tests.province.conftest import demo_station

pytestmark = pytest.mark.postgres
ADMIN = Staff("admin@cli", "Quản trị", Role.ADMIN, None)


def _code(st: Station) -> str:
    with st.session() as db:
        unit = get_unit_record(db)
    assert unit is not None
    return unit.code


@pytest.fixture
def three(hub: RunningHub, tmp_path: Path) -> Iterator[tuple[Station, Station, Station]]:
    a = demo_station(tmp_path / "a")
    b = demo_station(tmp_path / "b", commune="Phường Sa Đéc")
    c = demo_station(tmp_path / "c", commune="Xã Tân Dương")
    for st in (a, b, c):
        with st.session() as db:
            hub_link.register(db, st, hub.url, hub.register_code(_code(st)))
    yield a, b, c


def test_the_list_is_fetched_on_demand_and_with_each_relay_run(
    hub: RunningHub, three: tuple[Station, Station, Station]
) -> None:
    a, b, c = three
    with a.session() as db:
        assert door.hub_communes(ADMIN, a, db) is None  # never fetched
        shown = door.hub_communes(ADMIN, a, db, refresh=True)
    assert shown is not None
    assert shown["province"] == "Tỉnh Đồng Tháp" or "Đồng Tháp" in shown["province"]
    names = [x["name"] for x in shown["communes"]]
    # every active station, by name (folded: "Phường" before "Xã"), its own included
    assert names == ["Phường Sa Đéc", "Xã Lai Vung", "Xã Tân Dương"]
    assert {x["unit_code"] for x in shown["communes"]} == {_code(a), _code(b), _code(c)}
    held = shown["digest"]

    hub.admin("station-revoke", "--unit", _code(c))
    with b.session() as db:
        report = door.hub_relay(ADMIN, b, db)  # a relay run fetches it too
        item = communes.held(db)
    assert report["communes"] == 2
    assert item is not None
    assert [x.name for x in item.communes] == ["Phường Sa Đéc", "Xã Lai Vung"]
    assert m.communes_digest(item.province, list(item.communes)) != held


def test_a_hub_outage_keeps_the_list_held(
    hub: RunningHub, three: tuple[Station, Station, Station]
) -> None:
    a, _b, _c = three
    with a.session() as db:
        before = door.hub_communes(ADMIN, a, db, refresh=True)
    hub.stop()
    with a.session() as db:
        with pytest.raises(TaiChoError) as err:
            door.hub_communes(ADMIN, a, db, refresh=True)
        assert err.value.code == "HUB_UNREACHABLE"
        assert door.hub_communes(ADMIN, a, db) == before


def test_only_registered_stations_and_administrators_ask(
    hub: RunningHub, tmp_path: Path, three: tuple[Station, Station, Station]
) -> None:
    a, _b, _c = three
    alone = demo_station(tmp_path / "alone", commune="Xã Mỹ An Hưng")
    with alone.session() as db, pytest.raises(TaiChoError) as err:
        door.hub_communes(ADMIN, alone, db, refresh=True)
    assert err.value.code == "HUB_NOT_REGISTERED"
    with a.session() as db:
        intake = get_staff(db, "tiepnhan")
        assert intake is not None
        with pytest.raises(TaiChoError) as err:
            door.hub_communes(intake, a, db)
    assert err.value.code == "ROLE_NOT_ALLOWED"
    # unsigned, the hub answers nobody
    r = httpx.get(f"{hub.url}/v1/hub/communes", verify=False, timeout=10)
    assert r.status_code == 401, r.text
