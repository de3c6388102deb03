"""Every error leaves the station as one problem shape, internals never leak."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from sync_server.app import create_app


def test_unexpected_exception_is_internal_without_details(tmp_path: Path) -> None:
    app = create_app(tmp_path / "st")

    def boom() -> None:
        raise RuntimeError("secret path /etc/shadow")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/boom")
    assert r.status_code == 500
    assert r.json()["code"] == "INTERNAL"
    assert "shadow" not in r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_problem_carries_params_for_clients(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "st")) as client:
        r = client.post("/v1/sync/pull", json={"device_id": "x", "after": "soon"})
    body = r.json()
    assert set(body) >= {"code", "field", "message", "message_en"}
    assert body["field"] == "after" and "detail" in body["params"]
