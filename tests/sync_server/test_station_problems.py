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


def test_every_answer_documents_its_media_type(client: TestClient) -> None:
    """Issue 22 §6: file answers (PDF, CSV, JPEG) and the verify page's 404 answered media
    types the OpenAPI did not list (schemathesis: 14 content-type mismatches). Each 2xx
    answer now names its media type, and the verify page documents its HTML 404."""
    spec = client.get("/openapi.json").json()
    blank = [
        f"{method.upper()} {path} {status}"
        for path, item in spec["paths"].items()
        for method, op in item.items()
        for status, answer in op.get("responses", {}).items()
        if status.startswith("2") and not answer.get("content")
    ]
    assert blank == []
    page = spec["paths"]["/verify/{code}"]["get"]["responses"]["404"]["content"]
    assert list(page) == ["text/html"]
    r = client.get("/verify/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
