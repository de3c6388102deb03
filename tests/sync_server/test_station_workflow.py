"""The full "5 tại chỗ" loop over HTTP: tablet push → appraise → approve → stamp → pull."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import CHILD, SECRETS, Tablet

from shared import crypto
from sync_server.services.core.audit import verify_audit_chain
from sync_server.services.core.station import Station


def _push_one(tablet: Tablet) -> dict[str, Any]:
    d = tablet.dossier()
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["outcome"] == "applied"
    return d


def _act(client: TestClient, headers: dict[str, str], did: str, action: str, reason: Any = None):
    return client.post(
        f"/v1/dossiers/{did}/actions", json={"action": action, "reason": reason}, headers=headers
    )


def test_full_loop_from_push_to_pulled_result(
    client: TestClient, tablet: Tablet, as_user: Any, data_dir: Path, tmp_path: Path
) -> None:
    d = _push_one(tablet)

    r = client.get("/v1/dossiers?status=received", headers=as_user("thamdinh"))
    assert r.status_code == 200
    [item] = r.json()["items"]
    assert item["code"] == d["code"] and item["title"] == CHILD
    assert item["procedure_name"] == "Đăng ký khai sinh"
    assert item["status_label"] == "Đã tiếp nhận"
    assert set(item["allowed_actions"]) >= {"accept", "request_supplement", "refuse"}
    assert item["due_at"] and item["due_at"].endswith("+07:00")

    for who, action, status in [
        ("thamdinh", "accept", "appraised"),
        ("lanhdao", "approve", "approved"),
        ("vanthu", "stamp", "stamped"),
    ]:
        r = _act(client, as_user(who), d["id"], action)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status

    detail = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("vanthu")).json()
    assert detail["has_result"] is True and detail["version"] == 4
    assert [h["action"] for h in detail["history"]] == ["receive", "accept", "approve", "stamp"]
    assert detail["history"][-1]["at"].endswith("+07:00")
    assert detail["allowed_actions"] == ["return"]

    pdf = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert crypto.sha256_hex(pdf.content) == detail["result_sha256"]

    feed = tablet.pull()
    payloads = [tablet.open_feed(i) for i in feed["items"]]
    assert [p["status"] for p in payloads] == ["appraised", "approved", "stamped"]
    last = payloads[-1]
    assert last["type"] == "dossier.state" and last["version"] == 4
    assert last["result"]["sha256"] == detail["result_sha256"]
    pulled_pdf = crypto.b64d(last["result"]["pdf_b64"])
    assert pulled_pdf == pdf.content
    path = tmp_path / "result.pdf"
    path.write_bytes(pulled_pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert CHILD.upper() in text
    assert "Lê Minh Tâm" in text  # the approving leader signs
    assert d["code"] in text

    r = _act(client, as_user("tiepnhan"), d["id"], "return")
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert verify_audit_chain(client.app.state.station.connect()) is None  # type: ignore[attr-defined]

    # At rest: no citizen data in clear anywhere in the database files.
    raw_all = b""
    for name in ("station.db", "station.db-wal"):
        f = data_dir / name
        if f.exists():
            raw = f.read_bytes()
            raw_all += raw
            for secret in SECRETS:
                assert secret.encode("utf-8") not in raw, (name, secret)
                assert secret.upper().encode("utf-8") not in raw, (name, secret)
    assert d["code"].encode() in raw_all  # the check reads the files the rows are in


@pytest.mark.parametrize(
    ("who", "action"),
    [("tiepnhan", "approve"), ("tiepnhan", "accept"), ("lanhdao", "accept"), ("vanthu", "approve")],
)
def test_role_may_not_take_action(
    client: TestClient, tablet: Tablet, as_user: Any, who: str, action: str
) -> None:
    d = _push_one(tablet)
    r = _act(client, as_user(who), d["id"], action)
    assert r.status_code == 403
    assert r.json()["code"] == "ROLE_NOT_ALLOWED"
    assert r.headers["content-type"].startswith("application/problem+json")


def test_transition_not_allowed_from_status(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = _push_one(tablet)
    r = _act(client, as_user("lanhdao"), d["id"], "approve")
    assert r.status_code == 409 and r.json()["code"] == "TRANSITION_NOT_ALLOWED"
    r = _act(client, as_user("vanthu"), d["id"], "stamp")
    assert r.status_code == 409


def test_refuse_needs_a_reason_and_keeps_it(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    d = _push_one(tablet)
    for reason in (None, "   "):
        r = _act(client, as_user("thamdinh"), d["id"], "refuse", reason)
        assert r.status_code == 422 and r.json()["code"] == "REASON_REQUIRED"
        assert r.json()["field"] == "reason"
    r = _act(client, as_user("thamdinh"), d["id"], "request_supplement", "Thiếu giấy chứng sinh")
    assert r.status_code == 200
    assert r.json()["history"][-1]["reason"] == "Thiếu giấy chứng sinh"
    with station.session() as db:
        raw = b"".join(bytes(r["reason_enc"] or b"") for r in db.query("SELECT * FROM audit"))
    assert "giấy chứng sinh".encode() not in raw


def test_unknown_action_and_dossier(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    d = _push_one(tablet)
    r = _act(client, as_user("thamdinh"), d["id"], "teleport")
    assert r.status_code == 400 and r.json()["code"] == "ACTION_UNKNOWN"
    r = _act(client, as_user("tiepnhan"), d["id"], "receive")  # tablet-only
    assert r.status_code == 400 and r.json()["code"] == "ACTION_UNKNOWN"
    r = _act(client, as_user("thamdinh"), "no-such-id", "accept")
    assert r.status_code == 404 and r.json()["code"] == "DOSSIER_NOT_FOUND"
    r = client.get("/v1/dossiers/no-such-id", headers=as_user("thamdinh"))
    assert r.status_code == 404


def test_result_not_ready_before_stamp(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    d = _push_one(tablet)
    r = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu"))
    assert r.status_code == 409 and r.json()["code"] == "RESULT_NOT_READY"
    r = client.get("/v1/dossiers/nope/result.pdf", headers=as_user("vanthu"))
    assert r.status_code == 404 and r.json()["code"] == "DOSSIER_NOT_FOUND"


def test_list_rejects_unknown_status_and_needs_auth(client: TestClient, as_user: Any) -> None:
    r = client.get("/v1/dossiers?status=lost", headers=as_user("thamdinh"))
    assert r.status_code == 400
    assert r.json()["code"] == "REQUEST_INVALID" and r.json()["field"] == "status"
    r = client.get("/v1/dossiers")
    assert r.status_code == 401 and r.json()["code"] == "AUTH_REQUIRED"
    r = client.get("/v1/dossiers", headers={"Authorization": "Bearer forged"})
    assert r.status_code == 401


def test_register_numbers_run_per_year(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    ids = [_push_one(tablet)["id"] for _ in range(2)]
    for did in ids:
        for who, action in [("thamdinh", "accept"), ("lanhdao", "approve"), ("vanthu", "stamp")]:
            assert _act(client, as_user(who), did, action).status_code == 200
    station: Station = client.app.state.station  # type: ignore[attr-defined]
    with station.session() as db:
        numbers = [r["register_number"] for r in db.query("SELECT * FROM results ORDER BY 1")]
    assert sorted(numbers) == [1, 2]


def test_every_catalogue_result_template_has_a_renderer() -> None:
    from shared.procedures import builtin, renderer

    assert all(renderer(p.result_template) for p in builtin().all())
