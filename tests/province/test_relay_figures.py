"""Who counts a dossier received in one commune for another (issue 20): the competent one.

Xã Lai Vung (A) takes a khai sinh for Phường Sa Đéc (B); B appraises, approves and stamps
it, A returns it at its counter with the citizen's rating. Both stations hold the dossier,
but its figures are B's alone once B holds it: B's report counts it received (on A's day
of receipt), resolved, returned and rated; A's leaves it out. The provincial summary then
equals the sum of the two stations' own reports, and counts the dossier once.

Real station folders and apps (real SQLite, keys, signing, the HTTP API through
Starlette's TestClient), a real hub on PostgreSQL, the relay run as ``admin hub-relay``
runs it (``door.hub_relay``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from province_hub.launcher import RunningHub
from shared.checklist import every_component
from shared.model import Dossier, HistoryEntry
from shared.permissions import Role
from shared.reports import Period
from shared.samples import sample_values
from shared.workdays import vn_now
from shared.workflow import Action, Status
from sync_server.app import create_app
from sync_server.services import door
from sync_server.services.admin import demo
from sync_server.services.core.station import Station, get_unit_record
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office import relay_links
from sync_server.services.province import link as hub_link
from sync_server.services.reports import reports
from sync_server.services.setup.staff import Staff
from sync_server.services.setup.units import set_unit_from_names
from sync_server.store.db import transaction
from tests.browser_kit import record_child_number

pytestmark = pytest.mark.postgres
KHAI_SINH = "1.001193"
ADMIN = Staff("admin@cli", "Quản trị", Role.ADMIN, None)
PINS = {s.username: s.pin for s in demo.DEMO_STAFF}
# The parts of a report's summary that are counts (rates, times and lists are not sums).
COUNTED = (
    "received",
    "resolved",
    "withdrawn",
    "in_progress",
    "same_day",
    "satisfaction",
    "supplements",
    "refusals",
    "apology_letters",
)


class Office:
    """One commune's station: its app behind a TestClient and its Station."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.station: Station = client.app.state.station  # type: ignore[attr-defined]
        self._tokens: dict[str, dict[str, str]] = {}

    @property
    def unit(self) -> str:
        with self.station.session() as db:
            unit = get_unit_record(db)
        assert unit is not None
        return unit.code

    def auth(self, username: str) -> dict[str, str]:
        if username not in self._tokens:
            r = self.client.post(
                "/v1/auth/token", json={"username": username, "pin": PINS[username]}
            )
            assert r.status_code == 200, r.text
            self._tokens[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        return self._tokens[username]

    def act(self, dossier_id: str, action: str, who: str, **extra: Any) -> dict[str, Any]:
        r = self.client.post(
            f"/v1/dossiers/{dossier_id}/actions",
            json={"action": action, **extra},
            headers=self.auth(who),
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

    def relay(self) -> dict[str, Any]:
        with self.station.session() as db:
            return door.hub_relay(ADMIN, self.station, db)

    def report(self, period: Period, *, pure: bool) -> dict[str, Any]:
        with self.station.session() as db:
            built = reports.build_report(
                db, self.station.keys, self.station.catalogue, period, pure=pure
            )
        return dict(built.view.to_dict()["summary"])

    def send_figures(self, period: Period) -> None:
        with self.station.session() as db:
            hub_link.send_figures(db, self.station, period.start, period.end)


@pytest.fixture
def offices(hub: RunningHub, tmp_path: Path) -> Iterator[tuple[Office, Office]]:
    made: list[TestClient] = []
    try:
        for name, commune in (("a", None), ("b", "Phường Sa Đéc")):
            client = TestClient(create_app(tmp_path / name), raise_server_exceptions=False)
            client.__enter__()
            made.append(client)
            station: Station = client.app.state.station  # type: ignore[attr-defined]
            with station.session() as db:
                demo.seed(db, station.keys)
                if commune is not None:
                    set_unit_from_names(db, "Đồng Tháp", commune)
                unit = get_unit_record(db)
                assert unit is not None
                hub_link.register(db, station, hub.url, hub.register_code(unit.code))
        yield Office(made[0]), Office(made[1])
    finally:
        for client in made:
            client.__exit__(None, None, None)


def _received_at(a: Office, competent: str | None, seed: int) -> Dossier:
    """A khai sinh as A's ingest stores it from one of A's tablets, queued for the
    competent commune in the same transaction when there is one (as
    ``tests/province/test_station_relay.py`` makes it; the tablet stores its own commune
    as None)."""
    st = a.station
    now = vn_now().replace(microsecond=0)
    values = sample_values(KHAI_SINH, now.date(), seed)
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
        at = now.isoformat()
        d = Dossier(
            id=str(uuid.uuid4()),
            code=f"{a.unit}-{now:%y%m%d}-{seed:04d}",
            procedure=KHAI_SINH,
            procedure_version=st.catalogue.get(KHAI_SINH).version,
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
        assert relay_links.enqueue_forward(db, d, a.unit) is (competent is not None)
    return d


def _counts(summary: dict[str, Any]) -> dict[str, int]:
    """Every count of a summary, by its path ("resolved.on_time", "withdrawn", …)."""
    out: dict[str, int] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}", inner)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[prefix] = value

    for key in COUNTED:
        walk(key, summary[key])
    return out


def _sum(*counts: dict[str, int]) -> dict[str, int]:
    return {k: sum(c[k] for c in counts) for k in counts[0]}


def _both_ways(office: Office, period: Period) -> dict[str, int]:
    """The station's report, counted by SQLite and by the reference pass: the same."""
    by_sql, pure = office.report(period, pure=False), office.report(period, pure=True)
    assert _counts(by_sql) == _counts(pure)
    return _counts(by_sql)


def test_the_competent_commune_counts_a_relayed_dossier_once(
    offices: tuple[Office, Office], hub: RunningHub
) -> None:
    a, b = offices
    today = vn_now().date()
    period = Period(today, today)
    relayed = _received_at(a, b.unit, seed=1)
    _received_at(a, None, seed=2)  # A's own khai sinh: A counts it, always

    # Before B holds it, A counts it: a dossier held for an unknown commune is not lost
    # from the figures.
    assert _both_ways(a, period)["received.new"] == 2
    a.relay()
    b.relay()
    assert _both_ways(b, period)["received.new"] == 1
    b.relay()  # B sends its "arrived" state (queued while it applied the dossier) …
    a.relay()  # … and from then on the dossier is B's to count
    assert _both_ways(a, period)["received.new"] == 1

    # B decides and stamps; A returns it at its counter, with the citizen's rating.
    b.act(relayed.id, "accept", "thamdinh")
    record_child_number(b.client, relayed.id, b.auth("thamdinh"))
    b.act(relayed.id, "approve", "lanhdao")
    b.act(relayed.id, "stamp", "vanthu")
    b.relay()
    a.relay()
    a.act(relayed.id, "return", "vanthu", rating="very_satisfied", comment="Nhanh, chu đáo")
    a.relay()
    b.relay()

    at_b = _both_ways(b, period)
    at_a = _both_ways(a, period)
    assert at_b["received.new"] == 1 and at_b["resolved.total"] == 1
    assert at_b["same_day.returned"] == 1 and at_b["satisfaction.very_satisfied"] == 1
    # A: only its own dossier, still open.
    assert {k: v for k, v in at_a.items() if v} == {
        "received.total": 1,
        "received.new": 1,
        "received.new_by_channel.counter": 1,
        "in_progress.total": 1,
        "in_progress.not_yet_due": 1,
    }
    # The rating given at A's counter is B's to report, comment included (B's report
    # lists it; the hub never sees it).
    with b.station.session() as db:
        from sync_server.services.office.actions import rating_of

        rating = rating_of(db, b.station.keys, relayed.id)
    assert rating is not None and rating.rating == "very_satisfied"
    assert rating.comment == "Nhanh, chu đáo"

    # The province: the sum of the two stations' own reports, the dossier once.
    for office in (a, b):
        office.send_figures(period)
    with a.station.session() as db:
        summary = door.province_report(ADMIN, a.station, db, today.isoformat(), today.isoformat())[
            "summary"
        ]
    assert _counts(summary) == _sum(at_a, at_b)
    assert _counts(summary)["received.new"] == 2
