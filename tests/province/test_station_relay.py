"""The station's side of the sealed relay, in process, on a real hub and PostgreSQL.

Two real station folders (Xã Lai Vung, Phường Sa Đéc: real SQLite, real keys) registered
with a real hub; ``relay.run_once`` is what ``serve --relay-every`` and ``admin hub-relay``
run. The bad paths: a competent commune not in the directory (held, nothing lost, sent
once it can be), a dossier the competent station cannot take (it says why; the dossier
is the receiving commune's again), runs repeated (nothing applied twice), and the
permission table (``hub.relay``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from province_hub.launcher import RunningHub
from shared import hub_messages as hm
from shared.checklist import every_component
from shared.envelope import Envelope
from shared.errors import TaiChoError
from shared.model import Dossier, HistoryEntry
from shared.permissions import PERMISSIONS, Role, Verb
from shared.samples import sample_values
from shared.workdays import vn_now
from shared.workflow import Action, Status, timeline
from sync_server.services import door
from sync_server.services.core.station import Station, get_unit_record
from sync_server.services.office import actions, relay_links
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.province import link as hub_link
from sync_server.services.province import relay
from sync_server.services.setup.staff import Staff, get_staff
from sync_server.store import relay as relay_store
from sync_server.store.db import transaction
from tests.province.conftest import demo_station

pytestmark = pytest.mark.postgres
KHAI_SINH = "1.001193"
NOWHERE = "000.00.99.H99"


@pytest.fixture
def pair(hub: RunningHub, tmp_path: Path) -> Iterator[tuple[Station, Station]]:
    a = demo_station(tmp_path / "a")
    b = demo_station(tmp_path / "b", commune="Phường Sa Đéc")
    for st in (a, b):
        with st.session() as db:
            unit = get_unit_record(db)
            assert unit is not None
            hub_link.register(db, st, hub.url, hub.register_code(unit.code))
    yield a, b


def _unit(st: Station) -> str:
    with st.session() as db:
        unit = get_unit_record(db)
    assert unit is not None
    return unit.code


def _received(st: Station, competent: str, seed: int = 1, version: int | None = None) -> Dossier:
    """A khai sinh as ingest stores it at the receiving station (a tablet of its own),
    queued for ``competent`` in the same transaction."""
    now = vn_now().replace(microsecond=0)
    values = sample_values(KHAI_SINH, now.date(), seed)
    unit = _unit(st)
    with st.session() as db, transaction(db):
        if db.execute("SELECT 1 FROM devices WHERE id = 'tab-1'").fetchone() is None:
            db.table("devices").insert(
                {
                    "id": "tab-1",
                    "name": "Máy 1",
                    "slot": 1,
                    "x_pub": "x",
                    "ed_pub": "e",
                    "escrow": "",
                    "enrolled_at": now.isoformat(),
                }
            )
        proc = st.catalogue.get(KHAI_SINH)
        at = now.isoformat()
        d = Dossier(
            id=str(uuid.uuid4()),
            code=f"{unit}-{now:%y%m%d}-{seed:04d}",
            procedure=KHAI_SINH,
            procedure_version=proc.version if version is None else version,
            values=values,
            status=Status.RECEIVED,
            version=1,
            base_version=0,
            device_id="tab-1",
            received_by="tiepnhan",
            received_at=at,
            due_at=(now + timedelta(days=1)).isoformat(),
            history=[HistoryEntry(Action.RECEIVE, "draft", "received", "tiepnhan", "intake", at)],
            components_received=every_component(KHAI_SINH, values),
            competent_unit=competent,
        )
        dossier_store.save(db, st.keys, d)
        assert relay_links.enqueue_forward(db, d, unit)
    return d


ADMIN = Staff("admin@cli", "Quản trị", Role.ADMIN, None)


def _run(st: Station) -> dict[str, Any]:
    with st.session() as db:
        return door.hub_relay(ADMIN, st, db)


def _status(st: Station) -> dict[str, Any]:
    with st.session() as db:
        return relay.queue(db)


def _load(st: Station, dossier_id: str) -> Dossier | None:
    with st.session() as db:
        try:
            return dossier_store.load(db, st.keys, dossier_id)
        except TaiChoError:
            return None


def test_the_dossier_arrives_once_as_received_at_the_first_office(
    pair: tuple[Station, Station],
) -> None:
    a, b = pair
    d = _received(a, _unit(b))
    first = _run(a)
    assert (first["sealed"], first["pushed"]) == (1, 1)
    assert _run(a)["pushed"] == 0  # stored: not sent again
    got = _run(b)
    assert (got["pulled"], got["applied"]) == (1, 1)
    assert _run(b)["pulled"] == 0  # acknowledged: the hub let it go
    at_b = _load(b, d.id)
    assert at_b is not None and at_b.code == d.code and at_b.received_at == d.received_at
    assert [h.action for h in at_b.history] == ["receive", "forward", "arrive"]
    assert at_b.device_id == f"hub:{_unit(a)}"
    # The hand-overs are on the desk's (and the tablet's) five-stage timeline.
    stages = {st.key: st for st in timeline([h.to_dict() for h in at_b.history])}
    assert [s.action for s in stages["receive"].steps] == ["receive", "forward", "arrive"]
    assert stages["receive"].done and not stages["appraise"].steps
    # A learns it arrived; the state applied once however often the runs repeat.
    _run(b)
    _run(a)
    _run(a)
    at_a = _load(a, d.id)
    assert at_a is not None and [h.action for h in at_a.history] == [
        "receive",
        "forward",
        "arrive",
    ]
    links = {x["direction"]: x for x in _status(a)["links"] + _status(b)["links"]}
    assert links["out"]["state"] == "at_peer" and links["in"]["state"] == "here"

    # At A the dossier is B's to decide: a catalogued problem, nothing changed.
    with a.session() as db:
        staff = get_staff(db, "thamdinh")
        assert staff is not None
        with pytest.raises(TaiChoError) as err:
            actions.apply_action(db, a.keys, a.catalogue, staff, d.id, "accept", None)
    assert err.value.code == "HUB_RELAY_ELSEWHERE"
    # At B it is decided like its own.
    with b.session() as db:
        staff = get_staff(db, "thamdinh")
        assert staff is not None
        view = actions.apply_action(db, b.keys, b.catalogue, staff, d.id, "accept", None)
    assert view.dossier.status is Status.APPRAISED
    _run(b)
    _run(a)
    at_a = _load(a, d.id)
    assert at_a is not None and at_a.status is Status.APPRAISED


def test_an_unknown_competent_commune_holds_the_dossier_and_loses_nothing(
    pair: tuple[Station, Station],
) -> None:
    a, _b = pair
    d = _received(a, NOWHERE)
    got = _run(a)
    assert got["sealed"] == 0 and got["pushed"] == 0
    assert got["held"] == [{"seq": 1, "problem": "HUB_STATION_UNKNOWN"}]
    waiting = _status(a)["waiting"]
    assert len(waiting) == 1 and waiting[0]["dossier_id"] == d.id
    assert "HUB_STATION_UNKNOWN" in str(waiting[0]["problem"])
    (link,) = _status(a)["links"]
    assert link["state"] == "held"
    again = _load(a, d.id)
    assert again is not None and again.status is Status.RECEIVED and again.version == d.version
    assert _run(a)["held"]  # tried again each run, still there


def test_a_dossier_the_competent_station_cannot_take_comes_back_to_the_first(
    pair: tuple[Station, Station],
) -> None:
    a, b = pair
    d = _received(a, _unit(b), version=999)  # a version of the procedure B does not hold
    _run(a)
    got = _run(b)
    assert got["pulled"] == 1 and got["applied"] == 0
    assert _load(b, d.id) is None  # nothing half-stored at B
    _run(b)
    _run(a)
    (link,) = _status(a)["links"]
    assert link["state"] == "refused"
    assert json.loads(str(link["problem"]))["code"] == "PROCEDURE_VERSION_UNKNOWN"
    # The dossier is A's again: A's own workflow applies (here: refuse it, with a reason).
    with a.session() as db:
        staff = get_staff(db, "thamdinh")
        assert staff is not None
        relay_links.guard(db, d.id, "refuse")


def test_relaying_is_the_administrators_verb(pair: tuple[Station, Station]) -> None:
    assert PERMISSIONS[Verb.HUB_RELAY].roles == frozenset({Role.ADMIN})
    a, _b = pair
    with a.session() as db:
        clerk = get_staff(db, "tiepnhan")
        assert clerk is not None
        with pytest.raises(TaiChoError) as err:
            door.hub_relay(clerk, a, db)
    assert err.value.code == "ROLE_NOT_ALLOWED"


def test_a_station_killed_between_the_hub_and_its_own_note_loses_and_doubles_nothing(
    pair: tuple[Station, Station], hub: RunningHub, hub_dsn: str
) -> None:
    """The two windows a ``kill -9`` of a station can hit: after the hub stored a push but
    before the station noted it, and after the recipient applied a delivery but before it
    acknowledged it. Each is replayed here by doing the first half only."""
    a, b = pair
    d = _received(a, _unit(b))
    # A seals and pushes, then "dies" before noting that the hub stored it.
    with a.session() as db, hub_link.client(db, a) as client:
        b_entry = client.lookup(_unit(b))
        (row,) = relay_store.unsealed(db)
        relay._seal(db, a, _unit(a), row, b_entry)
        (sealed,) = relay_store.unstored(db, 10)
        item = hm.RelayItem(
            int(sealed["seq"]), _unit(b), Envelope.from_json(json.loads(sealed["envelope"]))
        )
        assert [r.outcome for r in client.relay_push([item]).results] == ["stored"]
    again = _run(a)  # back up: the same bytes again, a duplicate at the hub, now noted
    assert again["pushed"] == 1 and not _status(a)["waiting"]
    # B pulls and applies, then "dies" before its acknowledgement: the hub still holds
    # the envelope and gives it again; B keeps it once (by sender and seq).
    with b.session() as db, hub_link.client(db, b) as client:
        for _ in range(2):
            page = client.relay_pull(0)
            assert len(page.items) == 1
            took = relay._take(db, b, _unit(b), page.items[0], client.lookup)
        assert took == 0  # the second time: a duplicate
    got = _run(b)  # back up: it acknowledges what it applied, applies nothing again
    assert (got["pulled"], got["applied"]) == (0, 0)
    with b.session() as db:
        rows = list(db.query("SELECT sender, seq, outcome FROM relay_in ORDER BY seq"))
        arrived = list(db.query("SELECT id FROM dossiers WHERE id = ?", (d.id,)))
    assert [r["outcome"] for r in rows if r["seq"] == 1] == ["applied"]
    assert len(arrived) == 1
    with psycopg.connect(hub_dsn) as conn:
        left = conn.execute("SELECT count(*) FROM relay WHERE recipient = %s", (_unit(b),))
        row_left = left.fetchone()
    assert row_left is not None and row_left[0] == 0  # acknowledged: the hub let it go
