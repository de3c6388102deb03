"""Staff sign-in: tokens, wrong PINs, lockout, PIN change, per-client throttle."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.policy import PIN_MAX_FAILURES, failure_delay
from sync_server.services.core import guard
from sync_server.services.core.station import Station
from sync_server.store import staff as staff_q


@pytest.fixture(autouse=True)
def _no_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about counts, not waiting; the delay has its own test below."""
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "0")


@pytest.fixture
def many_tries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lift the per-client throttle so the per-account lockout can be seen on its own."""
    monkeypatch.setenv("TAICHO_AUTH_CLIENT_FAILURES", "1000")


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
    client: TestClient, demo_station: Station, many_tries: None
) -> None:
    answers = [_token(client, "vanthu", "111111") for _ in range(PIN_MAX_FAILURES)]
    assert [(r.status_code, r.json()["code"]) for r in answers] == [(401, "AUTH_FAILED")] * 5
    r = _token(client, "vanthu", "456789")  # the right PIN, but locked: answered alike
    assert r.status_code == 401 and r.json()["code"] == "AUTH_FAILED"
    with demo_station.session() as db:
        row = staff_q.get(db, "vanthu")
        assert row is not None and row["locked_until"]
        staff_q.set_failures(db, "vanthu", 5, "2000-01-01T00:00:00+00:00")  # 15 min later
    assert _token(client, "vanthu", "456789").status_code == 200
    with demo_station.session() as db:
        row = staff_q.get(db, "vanthu")
        assert row is not None and (row["failed_count"], row["locked_until"]) == (0, None)


def test_locked_and_unknown_accounts_answer_alike(
    client: TestClient, demo_station: Station, many_tries: None
) -> None:
    for _ in range(PIN_MAX_FAILURES):
        _token(client, "vanthu", "111111")
    locked = _token(client, "vanthu", "456789")
    unknown = _token(client, "khongco", "456789")
    assert locked.status_code == unknown.status_code == 401
    assert locked.json() == unknown.json()
    assert locked.headers["content-type"] == unknown.headers["content-type"]


def test_success_resets_the_failure_count(
    client: TestClient, demo_station: Station, many_tries: None
) -> None:
    for _ in range(4):
        _token(client, "thamdinh", "000000")
    assert _token(client, "thamdinh", "234567").status_code == 200
    for _ in range(4):
        assert _token(client, "thamdinh", "000000").json()["code"] == "AUTH_FAILED"
    assert _token(client, "thamdinh", "234567").status_code == 200


def test_one_client_is_throttled_before_it_can_lock_an_account(
    client: TestClient, demo_station: Station
) -> None:
    """Locking takes 5 failures, but one client gets only 3 per minute: the rest are
    refused before any PIN check, and the account stays unlocked."""
    codes = [_token(client, "vanthu", "111111").json()["code"] for _ in range(8)]
    assert codes == ["AUTH_FAILED"] * 3 + ["RATE_LIMITED"] * 5
    r = _token(client, "vanthu", "111111")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert r.json()["params"]["wait"] >= 1
    with demo_station.session() as db:
        row = staff_q.get(db, "vanthu")
        assert row is not None and row["failed_count"] == 3 and row["locked_until"] is None
    other = TestClient(client.app, client=("192.0.2.7", 4000))
    assert _token(other, "vanthu", "456789").status_code == 200  # another desk is fine


def test_each_failure_waits_longer(
    client: TestClient, demo_station: Station, many_tries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "1")
    waits: list[float] = []
    monkeypatch.setattr(guard, "_sleep", waits.append)
    for _ in range(4):
        _token(client, "nobody", "000000")
    _token(client, "lanhdao", "345678")
    assert waits == [failure_delay(n) for n in range(1, 5)]
    assert waits == sorted(waits) and waits[0] > 0  # a right PIN is not delayed


def test_staff_change_their_pin(client: TestClient, demo_station: Station) -> None:
    old = _token(client, "tiepnhan", "123456").json()["access_token"]
    r = client.post(
        "/v1/auth/pin", json={"username": "tiepnhan", "old_pin": "123456", "new_pin": "8642"}
    )
    assert r.status_code == 422 and r.json()["code"] == "PIN_FORMAT"
    assert "6 đến 12 chữ số" in r.json()["message"]
    for guessable in ("111111", "000000", "234567", "123123", "112233"):  # issue 22 §3
        r = client.post(
            "/v1/auth/pin",
            json={"username": "tiepnhan", "old_pin": "123456", "new_pin": guessable},
        )
        assert r.status_code == 422 and r.json()["code"] == "PIN_GUESSABLE", guessable
        assert r.json()["field"] == "pin"
    r = client.post(
        "/v1/auth/pin", json={"username": "tiepnhan", "old_pin": "123456", "new_pin": "864201"}
    )
    assert r.status_code == 200 and r.json()["changed"] is True
    r = client.get("/v1/dossiers", headers={"Authorization": f"Bearer {old}"})
    assert r.status_code == 401  # sessions opened with the old PIN end
    assert _token(client, "tiepnhan", "123456").status_code == 401
    assert _token(client, "tiepnhan", "864201").status_code == 200


def test_pin_change_with_a_wrong_old_pin_counts_as_a_failure(
    client: TestClient, demo_station: Station
) -> None:
    r = client.post(
        "/v1/auth/pin", json={"username": "tiepnhan", "old_pin": "000000", "new_pin": "864201"}
    )
    assert r.status_code == 401 and r.json()["code"] == "AUTH_FAILED"
    with demo_station.session() as db:
        row = staff_q.get(db, "tiepnhan")
        assert row is not None and row["failed_count"] == 1
    assert _token(client, "tiepnhan", "123456").status_code == 200


def test_request_validation_is_a_problem(client: TestClient, demo_station: Station) -> None:
    r = client.post("/v1/auth/token", json={"username": "x"})
    assert r.status_code == 400
    assert r.json()["code"] == "REQUEST_INVALID" and r.json()["field"] == "pin"
    assert r.headers["content-type"].startswith("application/problem+json")


def test_locked_and_unknown_accounts_do_the_same_work(
    client: TestClient, demo_station: Station, many_tries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No timing oracle: each answer costs exactly one scrypt check, whatever the account."""
    from sync_server.services.setup import staff

    for _ in range(PIN_MAX_FAILURES):
        _token(client, "vanthu", "111111")
    checks: list[str] = []
    real = staff.crypto.check_pin

    def counted(pin: str, stored: str) -> bool:
        checks.append(pin)
        return real(pin, stored)

    monkeypatch.setattr(staff.crypto, "check_pin", counted)
    for user in ("vanthu", "khongco", "lanhdao"):  # locked, unknown, wrong PIN
        assert _token(client, user, "999999").status_code == 401
    assert checks == ["999999"] * 3
