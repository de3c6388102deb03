"""Staff sign-in: tokens, wrong PINs, lockout."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from sync_server.services.station import Station
from sync_server.store import staff as staff_q


def _token(client: TestClient, username: str, pin: str) -> Any:
    return client.post("/v1/auth/token", json={"username": username, "pin": pin})


def test_good_pin_gives_a_token(client: TestClient, demo_station: Station) -> None:
    r = _token(client, "lanhdao", "345678")
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["role"] == "leader"
    assert body["full_name"] == "Lê Minh Tâm" and body["expires_at"]
    r = client.get("/v1/dossiers", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert r.status_code == 200 and r.json() == {"items": []}
    with demo_station.session() as db:
        stored = [row["token_hash"] for row in db.query("SELECT token_hash FROM tokens")]
    assert body["access_token"] not in stored  # only the hash is kept


def test_wrong_pin_and_unknown_user(client: TestClient, demo_station: Station) -> None:
    for user, pin in [("lanhdao", "000000"), ("nobody", "123456")]:
        r = _token(client, user, pin)
        assert r.status_code == 401
        assert r.json()["code"] == "AUTH_FAILED"
        assert r.json()["message"] and r.json()["message_en"]


def test_five_wrong_pins_lock_for_fifteen_minutes(
    client: TestClient, demo_station: Station
) -> None:
    codes = [_token(client, "vanthu", "111111").json()["code"] for _ in range(5)]
    assert codes == ["AUTH_FAILED"] * 4 + ["PIN_LOCKED"]
    r = _token(client, "vanthu", "456789")
    assert r.status_code == 423 and r.json()["code"] == "PIN_LOCKED"
    with demo_station.session() as db:  # fifteen minutes later …
        staff_q.set_failures(db, "vanthu", 0, "2000-01-01T00:00:00+00:00")
    assert _token(client, "vanthu", "456789").status_code == 200


def test_success_resets_the_failure_count(client: TestClient, demo_station: Station) -> None:
    for _ in range(4):
        _token(client, "thamdinh", "000000")
    assert _token(client, "thamdinh", "234567").status_code == 200
    for _ in range(4):
        assert _token(client, "thamdinh", "000000").json()["code"] == "AUTH_FAILED"


def test_request_validation_is_a_problem(client: TestClient, demo_station: Station) -> None:
    r = client.post("/v1/auth/token", json={"username": "x"})
    assert r.status_code == 400
    assert r.json()["code"] == "REQUEST_INVALID" and r.json()["field"] == "pin"
    assert r.headers["content-type"].startswith("application/problem+json")
