"""Pull: the per-device feed, sealed to the device at pull time, in pages."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.envelope import Envelope


def test_pull_pages_through_the_feed(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    ids = []
    for _ in range(3):
        d = tablet.dossier()
        tablet.push([tablet.change(d)])
        ids.append(d["id"])
    for did in ids:
        for action in ("accept",):
            r = client.post(
                f"/v1/dossiers/{did}/actions", json={"action": action}, headers=as_user("thamdinh")
            )
            assert r.status_code == 200

    page1 = tablet.pull(after=0, limit=2)
    assert len(page1["items"]) == 2 and page1["more"] is True
    page2 = tablet.pull(after=page1["next"], limit=2)
    assert len(page2["items"]) == 1 and page2["more"] is False
    page3 = tablet.pull(after=page2["next"], limit=2)
    assert page3 == {"items": [], "next": page2["next"], "more": False}

    envs = [Envelope.from_json(i) for i in page1["items"] + page2["items"]]
    seqs = [e.ctx.seq for e in envs]
    assert seqs == sorted(seqs) and page2["next"] == seqs[-1]
    assert [e.ctx.record_id for e in envs] == ids
    assert all(e.ctx.sender == "station" and e.ctx.version == 2 for e in envs)
    assert [tablet.open_feed(i)["dossier_id"] for i in page1["items"]] == ids[:2]


def test_feed_is_per_device(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    d = tablet.dossier()
    tablet.push([tablet.change(d)])
    client.post(
        f"/v1/dossiers/{d['id']}/actions", json={"action": "accept"}, headers=as_user("thamdinh")
    )
    with client.app.state.station.session() as db:  # type: ignore[attr-defined]
        from sync_server.services.sync.enrollment import new_enroll_code

        code = new_enroll_code(db)
    other = Tablet(client)
    other.enroll(code)
    assert other.pull()["items"] == []
    assert len(tablet.pull()["items"]) == 1


def test_pull_request_is_checked(client: TestClient, tablet: Tablet) -> None:
    for body, field in [
        ({"device_id": tablet.device_id, "after": -1}, "after"),
        ({"device_id": tablet.device_id, "limit": 0}, "limit"),
        ({"device_id": tablet.device_id, "limit": 10_000}, "limit"),
        ({"after": 0}, "device_id"),
    ]:
        r = client.post("/v1/sync/pull", json=body)
        assert r.status_code == 400, body
        assert r.json()["code"] == "REQUEST_INVALID" and r.json()["field"] == field
