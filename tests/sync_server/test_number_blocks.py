"""The station's dossier-number blocks over the wire: a reserve at enrolment, a top-up
only for what the device has really used, never outside the reserve window, and never a
number held by another device (the real app; a protocol-level tablet)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from station_kit import UNIT, Tablet

from shared.codes import BLOCK_SIZE, LOW_WATER, RESERVE_DAYS
from shared.workdays import vn_now
from sync_server.services.sync.enrollment import new_enroll_code


def _pull(tablet: Tablet, numbers: list[dict[str, Any]], after: int | None = None) -> Any:
    return tablet.client.post(
        "/v1/sync/pull",
        json={
            "device_id": tablet.device_id,
            "after": tablet.base if after is None else after,
            "numbers": numbers,
        },
    )


def _blocks(tablet: Tablet, answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    opened = [tablet.open_feed(i) for i in answer.json()["items"]]
    return [i for i in opened if i["type"] == "numbers"]


def test_enrolment_brings_a_reserve_for_the_coming_days(tablet: Tablet) -> None:
    today = vn_now().date()
    blocks = [i for i in tablet.enrol_items if i["type"] == "numbers"]
    assert [b["day"] for b in blocks] == [
        (today + timedelta(days=i)).isoformat() for i in range(RESERVE_DAYS)
    ]
    assert all(b["unit"] == UNIT and b["hi"] - b["lo"] + 1 == BLOCK_SIZE for b in blocks)


def test_a_report_alone_cannot_drain_the_day(tablet: Tablet) -> None:
    today = vn_now().date().isoformat()
    # Someone who knows the device id claims it has nothing left, many times over.
    for _ in range(5):
        assert _blocks(tablet, _pull(tablet, [{"day": today, "left": 0}], 10**6)) == []


def test_numbers_really_used_are_topped_up_in_the_same_pull(tablet: Tablet) -> None:
    tablet.unlock()
    today = vn_now().date().isoformat()
    used = BLOCK_SIZE - LOW_WATER + 1
    changes = [tablet.change(tablet.dossier()) for _ in range(used)]
    r = tablet.push(changes)
    assert all(x["outcome"] == "applied" for x in r.json()["results"]), r.text
    left = BLOCK_SIZE - used
    [block] = _blocks(tablet, _pull(tablet, [{"day": today, "left": left}]))
    assert (block["day"], block["lo"]) == (today, BLOCK_SIZE + 1)  # right after the first
    # ... and only once: the same report again, before that block was pulled, brings the
    # same block back (pulling is repeatable), not another one.
    assert _blocks(tablet, _pull(tablet, [{"day": today, "left": left}])) == [block]


def test_days_outside_the_window_get_nothing_and_bad_days_are_refused(tablet: Tablet) -> None:
    far = (vn_now().date() + timedelta(days=RESERVE_DAYS + 30)).isoformat()
    assert _blocks(tablet, _pull(tablet, [{"day": far, "left": 0}])) == []
    r = _pull(tablet, [{"day": "2026-02-30", "left": 0}])
    assert r.status_code == 400 and r.json()["code"] == "REQUEST_INVALID"


def test_two_devices_hold_disjoint_numbers(client: TestClient, tablet: Tablet) -> None:
    with client.app.state.station.session() as db:  # type: ignore[attr-defined]
        code = new_enroll_code(db)
    other = Tablet(client)
    other.enroll(code)
    for day, mine in tablet.pool.items():
        assert not set(mine) & set(other.pool[day])
