"""Enrollment with one-time codes, and the first unlock through the station's escrow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from shared import crypto
from shared.envelope import Envelope, EnvelopeContext, open_envelope
from sync_server.services.admin import demo
from sync_server.services.core.station import Station


def test_enroll_returns_slot_unit_and_station_keys(
    client: TestClient, enroll_code: str, station: Station
) -> None:
    t = Tablet(client)
    body = t.enroll(enroll_code)
    assert body["device_id"] == t.device_id and body["slot"] == 1
    assert body["unit"]["code"] == "000.31.22.H20"
    assert body["unit"]["agency_lines"] == ["ỦY BAN NHÂN DÂN", "XÃ LAI VUNG"]
    assert body["unit"]["former_name"] == "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp"
    assert body["station"] == station.keys.public()


def test_enroll_code_is_one_time(client: TestClient, enroll_code: str) -> None:
    Tablet(client).enroll(enroll_code)
    r = client.post("/v1/sync/enroll", json=Tablet(client).enroll_body(enroll_code))
    assert r.status_code == 403 and r.json()["code"] == "ENROLL_CODE_INVALID"


def test_enroll_code_typed_loosely_still_works(client: TestClient, enroll_code: str) -> None:
    t = Tablet(client)
    assert t.enroll(enroll_code.lower().replace("-", " "))["slot"] == 1


def test_enroll_with_wrong_code(client: TestClient, demo_station: Station) -> None:
    r = client.post("/v1/sync/enroll", json=Tablet(client).enroll_body("AAAA-BBBB-CCCC"))
    assert r.status_code == 403 and r.json()["code"] == "ENROLL_CODE_INVALID"


def test_enroll_slots_are_lowest_free(client: TestClient, demo_station: Station) -> None:
    from sync_server.services.sync.enrollment import new_enroll_code

    with demo_station.session() as db:
        codes = [new_enroll_code(db) for _ in range(3)]
    assert [Tablet(client).enroll(c)["slot"] for c in codes] == [1, 2, 3]


def test_enroll_escrow_must_be_signed_by_the_device(
    client: TestClient, enroll_code: str, station: Station
) -> None:
    t = Tablet(client)
    body = t.enroll_body(enroll_code)
    body["ed25519_pub"] = crypto.b64e(crypto.new_ed25519()[1])
    r = client.post("/v1/sync/enroll", json=body)
    assert r.status_code == 400 and r.json()["code"] == "ENVELOPE_BAD_SIGNATURE"
    # The failed attempt did not burn the code.
    assert client.post("/v1/sync/enroll", json=t.enroll_body(enroll_code)).status_code == 200


def test_enroll_body_is_checked(client: TestClient, enroll_code: str) -> None:
    t = Tablet(client)
    for key, value in [("device_id", "not-a-uuid"), ("x25519_pub", "abc"), ("device_name", "")]:
        r = client.post("/v1/sync/enroll", json={**t.enroll_body(enroll_code), key: value})
        assert r.status_code == 400 and r.json()["field"] == key


def test_unlock_returns_data_key_sealed_to_reply_key(
    client: TestClient, tablet: Tablet, station: Station
) -> None:
    body, reply_sk, nonce = tablet.unlock_body("tiepnhan", "123456")
    r = client.post("/v1/sync/unlock", json=body)
    assert r.status_code == 200, r.text
    env = Envelope.from_json(r.json()["envelope"])
    expect = EnvelopeContext("unlock", "station", tablet.device_id, 0, nonce, 1)
    payload: dict[str, Any] = json.loads(open_envelope(env, reply_sk, tablet.station_ed, expect))
    assert crypto.b64d(payload["data_key"]) == tablet.data_key
    assert payload["username"] == "tiepnhan" and payload["role"] == "intake"
    assert payload["full_name"] == "Nguyễn Thị Lan"
    with station.session() as db:
        actions = [r["action"] for r in db.query("SELECT action FROM audit")]
    assert "device.unlock" in actions


def test_unlock_wrong_pin_counts_towards_lockout(
    client: TestClient, tablet: Tablet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAICHO_AUTH_CLIENT_FAILURES", "1000")  # the account lock, alone
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "0")
    for _ in range(5):
        r = client.post("/v1/sync/unlock", json=tablet.unlock_body("tiepnhan", "000000")[0])
        assert r.status_code == 401 and r.json()["code"] == "AUTH_FAILED"
    r = client.post("/v1/sync/unlock", json=tablet.unlock_body("tiepnhan", "123456")[0])
    assert r.status_code == 401  # locked: even the right PIN is refused, like a wrong one
    r = client.post("/v1/auth/token", json={"username": "tiepnhan", "pin": "123456"})
    assert r.status_code == 401  # the same lock applies to the desk sign-in


def test_unlock_bad_ciphertext_and_unknown_device(client: TestClient, tablet: Tablet) -> None:
    body = tablet.unlock_body("tiepnhan", "123456")[0]
    r = client.post("/v1/sync/unlock", json={**body, "device_id": "someone"})
    assert r.status_code == 403 and r.json()["code"] == "DEVICE_UNKNOWN"
    ct = bytearray(crypto.b64d(body["ct"]))
    ct[0] ^= 1
    r = client.post("/v1/sync/unlock", json={**body, "ct": crypto.b64e(bytes(ct))})
    assert r.status_code == 400 and r.json()["code"] == "DECRYPT_FAILED"


def test_health_shows_unit_and_keys(client: TestClient, demo_station: Station) -> None:
    r = client.get("/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["version"] == "0.1.0"
    assert body["unit"]["code"] == demo.DEMO_UNIT["code"]
    assert body["unit"]["former_name"] == demo.DEMO_UNIT["former_name"]
    assert body["station"] == demo_station.keys.public()
    assert client.get("/openapi.json").status_code == 200
