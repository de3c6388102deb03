"""The province's communes reach the tablet by sync, like the staff list, and stay there
offline: the station queues a ``communes`` item when the tablet holds another list, once."""

from __future__ import annotations

from mobile.services.tablet import TabletService
from shared import hub_messages as hm
from shared import messages as m
from sync_server.services.province import communes
from sync_server.store.db import get_meta
from tests.mobile.conftest import InProcessStation

LAI_VUNG = m.Commune("000.31.22.H20", "Xã Lai Vung")
SA_DEC = m.Commune("000.00.01.H20", "Phường Sa Đéc")


def _feed_items(station: InProcessStation, device_id: str) -> int:
    with station.station.session() as db:
        row = db.execute(
            "SELECT count(*) FROM feed WHERE device_id = ? AND dossier_id = 'communes'",
            [device_id],
        ).fetchone()
    return int(row[0])


def test_the_list_the_station_holds_reaches_the_tablet_once(
    station: InProcessStation, tablet: TabletService
) -> None:
    assert tablet.communes() is None
    tablet.sync()
    assert tablet.communes() is None  # the station never fetched one: nothing sent
    with station.station.session() as db:
        communes.keep(db, hm.CommuneList("Tỉnh Đồng Tháp", [SA_DEC, LAI_VUNG]))
    tablet.sync()
    got = tablet.communes()
    assert got is not None
    assert got.province == "Tỉnh Đồng Tháp"
    assert got.communes == [SA_DEC, LAI_VUNG]
    device = tablet.ctx.device_id
    tablet.sync()
    assert _feed_items(station, device) == 1  # the same list is not sent again

    with station.station.session() as db:  # fetched again, unchanged: not re-sent
        communes.keep(db, hm.CommuneList("Tỉnh Đồng Tháp", [SA_DEC, LAI_VUNG]))
    tablet.sync()
    assert _feed_items(station, device) == 1

    tan_duong = m.Commune("000.00.07.H20", "Xã Tân Dương")
    with station.station.session() as db:
        communes.keep(db, hm.CommuneList("Tỉnh Đồng Tháp", [SA_DEC, LAI_VUNG, tan_duong]))
        assert get_meta(db, communes.META_KEY) is not None
    tablet.sync()
    got = tablet.communes()
    assert got is not None and got.communes[-1] == tan_duong
    assert _feed_items(station, device) == 2


def test_a_locked_tablet_keeps_the_item_until_it_is_opened(
    station: InProcessStation, tablet: TabletService
) -> None:
    with station.station.session() as db:
        communes.keep(db, hm.CommuneList("Tỉnh Đồng Tháp", [SA_DEC]))
    tablet.sessions.lock()
    tablet.sync()  # pulled sealed, not yet opened
    assert tablet.communes() is None
    tablet.unlock("tiepnhan", "123456")
    tablet.sync()
    got = tablet.communes()
    assert got is not None and got.communes == [SA_DEC]


def test_a_bad_list_is_refused_by_the_wire() -> None:
    import pytest

    from shared.errors import TaiChoError
    from shared.wire import decode

    with pytest.raises(TaiChoError) as err:
        decode(
            m.CommunesUpdate,
            {
                "type": "communes",
                "province": "x",
                "fetched_at": "",
                "communes": [{"unit_code": "bad code", "name": "X"}],
            },
        )
    assert err.value.code == "REQUEST_INVALID"
    assert "unit_code" in (err.value.field or "")
