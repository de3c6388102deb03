"""Cross-commune intake end to end (issue 20, Done when): PostgreSQL, a real hub and two
real stations (uvicorn, HTTPS), each relaying in the background (``serve --relay-every``).

A tablet of Xã Lai Vung (A) takes a khai sinh for Phường Sa Đéc (B). A issues the receipt
(A's code) and sends the dossier sealed to B's key through the hub; B appraises, records
the child's number, approves and stamps it; the state and the signed result come back; A
returns the result at its counter and B learns it. Both desks' dossier views show the
hand-overs on the timeline. The hub's database (``pg_dump``) and its folder hold none of
the citizen's names. The hub killed (``kill -9``) while more dossiers travel: after it
comes back each arrives at B exactly once.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mobile.services.tablet import TabletService
from province_hub import cluster
from province_hub.launcher import RunningHub, start_hub
from shared.checklist import every_component
from shared.model import HistoryEntry
from shared.samples import sample_values
from shared.tls_pin import Pin, pinned_context
from shared.workdays import vn_now
from shared.workflow import ACTION_LABELS
from sync_server.desk import views as desk_views
from sync_server.launcher import RunningStation, start_station
from tests.integration.conftest import APPRAISER, CLERK, INTAKE, LEADER
from tests.province.conftest import demo_station
from tests.province.test_hub_integration import _act, _admin, _citizen_strings, _record_child_number

pytestmark = [pytest.mark.postgres, pytest.mark.integration]
KHAI_SINH = "1.001193"
RELAY = ("--relay-every", "1", "--hub-every", "0")


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[RunningStation, RunningStation]]:
    """Xã Lai Vung (the demo) and Phường Sa Đéc (the demo's logins), both HTTPS."""
    a = start_station(tmp_path / "laivung", tls=True, extra=RELAY)
    demo_station(tmp_path / "sadec", commune="Phường Sa Đéc")
    try:
        b = start_station(tmp_path / "sadec", demo=False, tls=True, extra=RELAY)
    except BaseException:
        a.stop()
        raise
    yield a, b
    b.stop()
    a.stop()


def _get(station: RunningStation, path: str, who: tuple[str, str]) -> httpx.Response:
    assert station.tls_sha256 is not None
    verify = pinned_context(Pin.exact(station.tls_sha256))
    with httpx.Client(base_url=station.url, verify=verify, timeout=60) as http:
        token = http.post("/v1/auth/token", json={"username": who[0], "pin": who[1]}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        return http.get(path, headers=auth)


def _dossier(station: RunningStation, dossier_id: str) -> dict[str, Any] | None:
    r = _get(station, f"/v1/dossiers/{dossier_id}", LEADER)
    return r.json() if r.status_code == 200 else None


def _wait(what: Callable[[], Any], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.5)
    raise AssertionError(f"not reached in {timeout} s")


def _status(station: RunningStation, dossier_id: str, status: str) -> Callable[[], Any]:
    def check() -> Any:
        d = _dossier(station, dossier_id)
        return d if d is not None and d["status"] == status else None

    return check


def _actions(view: dict[str, Any]) -> list[str]:
    return [h["action"] for h in view["history"]]


def test_a_khai_sinh_for_another_commune_goes_there_and_its_result_comes_back(
    two: tuple[RunningStation, RunningStation],
    hub: RunningHub,
    hub_dsn: str,
    tmp_path: Path,
) -> None:
    a, b = two
    unit_a = json.loads(a.admin("unit-show"))["code"]
    unit_b = json.loads(b.admin("unit-show"))["code"]
    assert unit_a != unit_b
    for st, unit in ((a, unit_a), (b, unit_b)):
        rc, linked = _admin(st, "hub-register", "--hub", hub.url, "--code", hub.register_code(unit))
        assert rc == 0, linked

    # A tablet of A takes a khai sinh whose competent commune is B.
    tablet = TabletService(tmp_path / "tablet")
    tablet.enrolment.enroll(a.url, a.enroll_code())
    tablet.unlock(*INTAKE)
    today = vn_now().date()
    values = sample_values(KHAI_SINH, today, 1)
    taken = tablet.intake(
        KHAI_SINH,
        values,
        components_received=every_component(KHAI_SINH, values),
        competent_unit=unit_b,
    )
    assert taken.code.startswith(unit_a)  # A's receipt, in A's name
    assert tablet.sync().pushed == 1

    # It arrives at B as received at A: same code, same receipt time, due from it.
    at_b = _wait(_status(b, taken.id, "received"))
    at_a = _dossier(a, taken.id)
    assert at_a is not None
    assert at_b["code"] == taken.code
    assert at_b["received_at"] == at_a["received_at"]
    assert at_b["due_at"] == at_a["due_at"]
    assert _actions(at_b) == ["receive", "forward", "arrive"]

    # A decides nothing on it; B returns nothing: each does its own part.
    refused = _act(a, taken.id, "accept", APPRAISER)
    assert refused.status_code == 409 and refused.json()["code"] == "HUB_RELAY_ELSEWHERE"

    # B appraises, records the child's number, approves and stamps.
    assert _act(b, taken.id, "accept", APPRAISER).status_code == 200
    _record_child_number(b, taken.id)
    for action, who in (("approve", LEADER), ("stamp", CLERK)):
        r = _act(b, taken.id, action, who)
        assert r.status_code == 200, r.text
    assert _act(b, taken.id, "return", CLERK).json()["code"] == "HUB_RELAY_ELSEWHERE"
    result_b = _get(b, f"/v1/dossiers/{taken.id}/result.pdf", LEADER)
    assert result_b.status_code == 200

    # The state and the signed result come back; A returns it at its counter.
    stamped = _wait(lambda: (d := _status(a, taken.id, "stamped")()) and d["result_sha256"] and d)
    assert stamped["result_sha256"] == hashlib.sha256(result_b.content).hexdigest()
    result_a = _get(a, f"/v1/dossiers/{taken.id}/result.pdf", LEADER)
    assert result_a.status_code == 200 and result_a.content == result_b.content
    r = _act(a, taken.id, "return", CLERK)
    assert r.status_code == 200, r.text
    returned_b = _wait(_status(b, taken.id, "returned"))

    # Both desks show the whole timeline, hand-overs included.
    final_a = _dossier(a, taken.id)
    assert final_a is not None
    want = ["receive", "forward", "arrive", "accept", "record_personal_id", "approve", "stamp"]
    assert _actions(final_a)[: len(want)] == want
    assert _actions(final_a)[-2:] == ["arrive", "return"]
    assert _actions(returned_b) == _actions(final_a)
    # The desk's timeline (its backend view) shows the hand-overs under their stages.
    stages = desk_views.timeline([HistoryEntry.from_dict(h) for h in final_a["history"]])
    labels = {st.name: [step.label for step in st.steps] for st in stages}
    hub_label = ACTION_LABELS["arrive"].vi
    assert labels["Tiếp nhận"] == [
        ACTION_LABELS["receive"].vi,
        ACTION_LABELS["forward"].vi,
        hub_label,
    ]
    assert labels["Trả kết quả"] == [hub_label, ACTION_LABELS["return"].vi]
    assert all(st.done for st in stages)
    rc, verified = _admin(a, "audit-verify")
    assert rc == 0, verified
    rc, verified = _admin(b, "audit-verify")
    assert rc == 0, verified

    # The hub kept nothing it could read: no name in a pg_dump nor in its folder.
    dump = subprocess.run(
        [str(cluster.PG_BIN / "pg_dump"), "--dbname", hub_dsn],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8")
    hub_files = b"".join(p.read_bytes() for p in hub.data.rglob("*") if p.is_file())
    for secret in _citizen_strings(values):
        assert secret not in dump, secret
        assert secret.encode("utf-8") not in hub_files, secret

    # kill -9 of the hub while more dossiers travel: each arrives once, none is lost.
    more = []
    for seed in (2, 3, 4):
        v = sample_values(KHAI_SINH, today, seed)
        more.append(
            tablet.intake(
                KHAI_SINH,
                v,
                components_received=every_component(KHAI_SINH, v),
                competent_unit=unit_b,
            )
        )
    tablet.sync()
    time.sleep(0.7)  # the stations' relays (every second) are under way
    port = int(hub.url.rsplit(":", 1)[1])
    hub.kill()
    time.sleep(2)
    again = start_hub(hub_dsn, hub.data, port=port)
    try:
        for d in more:
            _wait(_status(b, d.id, "received"))
        _wait(
            lambda: all(
                (_dossier(a, d.id) or {}).get("history", [{}])[-1].get("action") == "arrive"
                for d in more
            )
        )
        rc, status_b = _admin(b, "hub-relay-status")
        assert rc == 0
        links = [x for x in status_b["links"] if x["direction"] == "in"]
        assert sorted(x["dossier_id"] for x in links) == sorted([taken.id, *(d.id for d in more)])
        for d in more:
            view = _dossier(b, d.id)
            assert view is not None and _actions(view) == ["receive", "forward", "arrive"]
    finally:
        again.stop()
        tablet.close()
