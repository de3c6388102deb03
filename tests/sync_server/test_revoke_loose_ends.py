"""Revoking a lost tablet: the desk's list says what the office must re-take.

The station knows the tablet's last push, the dossiers it pushed that did not land
(refused as invalid, or an edit kept as a conflict) and the dossiers received on it that
wait for a supplement; these figures stay visible after the revocation.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from sync_server.services.core.station import Station
from sync_server.services.sync import enrollment


def _row(station: Station, device_id: str) -> dict[str, Any]:
    with station.session() as db:
        rows = enrollment.list_devices_with_contact(db)
    return next(d for d in rows if d["id"] == device_id)


def test_device_list_counts_what_did_not_land_and_what_waits_for_a_supplement(
    client: TestClient, tablet: Tablet, station: Station, as_user: Any
) -> None:
    fresh = _row(station, tablet.device_id)
    assert fresh["last_contact_at"] is None
    assert (fresh["not_landed"], fresh["supplement"]) == (0, 0)

    bad = tablet.dossier()
    bad["values"] = {**bad["values"], "child_full_name": ""}
    good = tablet.dossier()
    r = tablet.push([tablet.change(bad), tablet.change(good)])
    assert [x["outcome"] for x in r.json()["results"]] == ["rejected", "applied"]
    r = client.post(
        f"/v1/dossiers/{good['id']}/actions",
        json={"action": "request_supplement", "reason": "Thiếu giấy chứng sinh bản chính"},
        headers=as_user("thamdinh"),
    )
    assert r.status_code == 200, r.text

    row = _row(station, tablet.device_id)
    assert row["last_contact_at"] is not None
    assert (row["not_landed"], row["supplement"]) == (1, 1)

    with station.session() as db:
        enrollment.revoke_device(db, station.keys, tablet.device_id)
    revoked = _row(station, tablet.device_id)
    assert revoked["revoked_at"] and (revoked["not_landed"], revoked["supplement"]) == (1, 1)


def test_a_rejected_dossier_sent_again_correctly_no_longer_counts(
    tablet: Tablet, station: Station
) -> None:
    d = tablet.dossier()
    broken = {**d, "values": {**d["values"], "child_full_name": ""}}
    assert tablet.push([tablet.change(broken)]).json()["results"][0]["outcome"] == "rejected"
    assert _row(station, tablet.device_id)["not_landed"] == 1
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    assert _row(station, tablet.device_id)["not_landed"] == 0
