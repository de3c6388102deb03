"""Malformed sync bodies get a 4xx problem naming the field — never a 500 — and can never
jam a tablet's feed; the OpenAPI document shows the declared message schemas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from shared import messages as m
from sync_server.app import create_app
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.sync import enrollment

SYNC = ("/v1/sync/enroll", "/v1/sync/unlock", "/v1/sync/push", "/v1/sync/pull")


# The refused requests below change nothing, so one station (and one enrolled tablet) serves
# the whole module: setting up a station with its staff PIN hashes is the slow part.
@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(tmp_path_factory.mktemp("malformed") / "station")
    with TestClient(app, raise_server_exceptions=False) as c:
        with app.state.station.session() as db:
            demo.seed(db)
        yield c


@pytest.fixture(scope="module")
def shared_tablet(shared_client: TestClient) -> Tablet:
    with shared_client.app.state.station.session() as db:  # type: ignore[attr-defined]
        code = enrollment.new_enroll_code(db)
    t = Tablet(shared_client)
    t.enroll(code)
    return t


@pytest.mark.parametrize("path", SYNC)
@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"\xff", b"[]", b"null", b"1e999", b'{"after": NaN}', b"{}", b'"x"'],
)
def test_non_objects_and_non_json_are_400(
    shared_client: TestClient, path: str, body: bytes
) -> None:
    r = shared_client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "REQUEST_INVALID"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"after": 2**63}, "after"),
        ({"after": 2**53 - 1}, "after"),
        ({"after": -1}, "after"),
        ({"after": True}, "after"),
        ({"after": "0"}, "after"),
        ({"limit": 10**30}, "limit"),
        ({"limit": 0}, "limit"),
        ({"extra": 1}, "extra"),
    ],
)
def test_pull_bad_fields(shared_tablet: Tablet, body: dict[str, Any], field: str) -> None:
    tablet = shared_tablet
    r = tablet.client.post("/v1/sync/pull", json={"device_id": tablet.device_id, **body})
    assert r.status_code == 400, r.text
    assert (r.json()["code"], r.json()["field"]) == ("REQUEST_INVALID", field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"changes": {}}, "changes"),
        ({"changes": [1]}, None),
        ({"device_id": 5, "changes": []}, "device_id"),
        ({"changes": [], "note": "hi"}, "note"),
    ],
)
def test_push_bad_fields(shared_tablet: Tablet, body: dict[str, Any], field: str | None) -> None:
    tablet = shared_tablet
    r = tablet.client.post("/v1/sync/push", json={"device_id": tablet.device_id, **body})
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["field"] == field


def test_a_huge_pushed_version_is_refused_and_the_feed_keeps_flowing(
    tablet: Tablet, client: TestClient, demo_station: Station
) -> None:
    d = tablet.dossier(version=2**53 - 1)  # a hostile client skips the shared declarations
    r = tablet.push([tablet.change(d, payload={"type": "dossier.submit", "dossier": d})])
    assert r.status_code == 400 and r.json()["code"] == "ENVELOPE_MALFORMED"
    assert r.json()["field"] == "ctx.version"
    with demo_station.session() as db:
        assert db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0
        # Only office-wide items (number blocks, catalogue, staff): nothing about the dossier.
        assert (
            db.execute(
                "SELECT count(*) FROM feed "
                "WHERE dossier_id NOT IN ('numbers', 'catalogue', 'staff')"
            ).fetchone()[0]
            == 0
        )
    tablet.seq = 0  # nothing was acknowledged: the next change is seq 1 again
    good = tablet.dossier()
    r = tablet.push([tablet.change(good)])
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied"
    assert tablet.pull()["items"] == []  # pulling still works


def test_enroll_and_unlock_bad_fields(client: TestClient, tablet: Tablet, enroll_code: str) -> None:
    body = tablet.enroll_body(enroll_code)
    for key, value in (
        ("device_id", "NOT-A-UUID"),
        ("device_name", "x" * 101),
        ("x25519_pub", 42),
        ("escrow", "e"),
        ("extra", True),
    ):
        r = client.post("/v1/sync/enroll", json={**body, key: value})
        assert 400 <= r.status_code < 500 and r.json()["field"] in (key, None), (key, r.text)
    unlock, _, _ = tablet.unlock_body("tiepnhan", "123456")
    for key, value in (("enc", "!!"), ("ct", 1), ("device_id", None), ("pin", "123456")):
        r = client.post("/v1/sync/unlock", json={**unlock, key: value})
        assert r.status_code == 400 and r.json()["field"] == key, (key, r.text)


def test_station_without_a_unit_refuses_enrolment(client: TestClient, station: Station) -> None:
    with station.session() as db:
        code = enrollment.new_enroll_code(db)
    r = client.post("/v1/sync/enroll", json=Tablet(client).enroll_body(code))
    assert r.status_code == 409
    assert (r.json()["code"], r.json()["field"]) == ("UNIT_NOT_CONFIGURED", "unit")


def test_openapi_shows_the_declared_sync_schemas(shared_client: TestClient) -> None:
    doc = shared_client.get("/openapi.json").json()
    pairs = {
        "/v1/sync/enroll": (m.EnrollRequest, m.EnrollAnswer),
        "/v1/sync/unlock": (m.UnlockRequest, m.UnlockAnswer),
        "/v1/sync/push": (m.PushRequest, m.PushAnswer),
        "/v1/sync/pull": (m.PullRequest, m.PullAnswer),
    }
    for path, (request, answer) in pairs.items():
        op = doc["paths"][path]["post"]
        body = op["requestBody"]["content"]["application/json"]["schema"]
        assert body == m.json_schema(request)
        assert body["type"] == "object" and body["properties"]
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == m.json_schema(answer)
        assert "application/problem+json" in op["responses"]["400"]["content"]
    pull = doc["paths"]["/v1/sync/pull"]["post"]["requestBody"]["content"]["application/json"]
    assert pull["schema"]["properties"]["after"]["maximum"] == 2**31 - 1
    health = doc["paths"]["/v1/health"]["get"]["responses"]["200"]["content"]
    assert health["application/json"]["schema"]["title"] == "Health"
