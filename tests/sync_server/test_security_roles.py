"""Least privilege: a role × endpoint matrix over every ``/v1`` route of the station.

Scenario (issue 11 §7): the administrator manages staff, tablets and settings but must not
read citizen data. Every route must be classified here; a new route that is not fails
``test_every_route_is_in_the_matrix`` until someone decides who may call it.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import SECRETS, Tablet

from shared.workflow import ROLE_LABELS, Role

ANONYMOUS = "anonymous"
CASEWORKERS = frozenset({Role.INTAKE, Role.APPRAISER, Role.LEADER, Role.CLERK})
USERS = {
    Role.INTAKE: "tiepnhan",
    Role.APPRAISER: "thamdinh",
    Role.LEADER: "lanhdao",
    Role.CLERK: "vanthu",
    Role.ADMIN: "quantri",
}
# (method, path) → who may call it: PUBLIC routes authenticate by other means (PIN in the
# body, one-time code, signed envelopes) or carry no citizen data.
PUBLIC = "public"
MATRIX: dict[tuple[str, str], str | frozenset[Role]] = {
    ("GET", "/v1/health"): PUBLIC,
    # Public by design: says whether a document is genuine, shows only what the paper shows.
    ("GET", "/v1/verify/{code}"): PUBLIC,
    ("POST", "/v1/auth/token"): PUBLIC,
    ("POST", "/v1/auth/pin"): PUBLIC,
    ("POST", "/v1/sync/enroll"): PUBLIC,
    ("POST", "/v1/sync/unlock"): PUBLIC,
    ("POST", "/v1/sync/push"): PUBLIC,
    ("POST", "/v1/sync/pull"): PUBLIC,
    # After a restore: like pull, unsigned; it can only add what a restore lost (recovery.py).
    ("POST", "/v1/sync/recover"): PUBLIC,
    # Photos of documents: authenticated by the device's signed envelopes, like a push.
    ("PUT", "/v1/sync/attachments/{sha256}"): PUBLIC,
    ("PUT", "/v1/sync/attachments/{sha256}/chunks/{n}"): PUBLIC,
    ("GET", "/v1/dossiers"): CASEWORKERS,
    # Reports are aggregates for the office's leadership and its administrator.
    ("GET", "/v1/reports/summary"): frozenset({Role.LEADER, Role.ADMIN}),
    ("GET", "/v1/reports/summary.csv"): frozenset({Role.LEADER, Role.ADMIN}),
    ("GET", "/v1/reports/summary.pdf"): frozenset({Role.LEADER, Role.ADMIN}),
    ("GET", "/v1/dossiers/{dossier_id}"): CASEWORKERS,
    ("POST", "/v1/dossiers/{dossier_id}/actions"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/result.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/receipt.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/supplement-request.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/refusal.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/apology.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/control-sheet.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/declaration.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/attachments/{sha256}"): CASEWORKERS,
    # Only the counter and the leader promise a new date (sync_server/services/paperwork.py).
    ("POST", "/v1/dossiers/{dossier_id}/apology"): frozenset({Role.INTAKE, Role.LEADER}),
    # The child's personal id comes from the appraiser (sync_server/services/actions.py).
    ("PUT", "/v1/dossiers/{dossier_id}/child-personal-id"): frozenset({Role.APPRAISER}),
}
# Harmless bodies: an unknown action changes nothing, empty sync bodies are refused.
BODIES: dict[str, Any] = {
    "/v1/dossiers/{dossier_id}/actions": {"action": "nothing"},
    "/v1/dossiers/{dossier_id}/apology": {"new_due_at": "not a date", "reason": ""},
    "/v1/dossiers/{dossier_id}/child-personal-id": {"child_personal_id": "1"},
}


def _v1_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every /v1 operation the app serves, as its OpenAPI document lists them."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return [
        (method.upper(), path)
        for path, ops in paths.items()
        if path.startswith("/v1")
        for method in ops
    ]


def test_every_route_is_in_the_matrix(client: TestClient) -> None:
    assert sorted(_v1_routes(client)) == sorted(MATRIX)


@pytest.mark.parametrize("who", [ANONYMOUS, *Role])
def test_role_endpoint_matrix(client: TestClient, tablet: Tablet, as_user: Any, who: str) -> None:
    d = tablet.dossier()
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied"
    headers = {} if who == ANONYMOUS else as_user(USERS[Role(who)])
    for (method, path), allowed in MATRIX.items():
        url = path.replace("{dossier_id}", d["id"])
        body = BODIES.get(path, {}) if method in ("POST", "PUT") else None
        r = client.request(method, url, json=body, headers=headers)
        where = f"{who} {method} {path} → {r.status_code} {r.text[:120]}"
        if allowed == PUBLIC:
            assert r.status_code not in (401, 403) or r.json()["code"] in {
                "AUTH_FAILED",
                "DEVICE_UNKNOWN",
            }, where
            continue
        assert isinstance(allowed, frozenset)
        if who == ANONYMOUS:
            assert r.status_code == 401 and r.json()["code"] == "AUTH_REQUIRED", where
        elif Role(who) in allowed:
            assert r.status_code not in (401, 403), where
        else:
            assert r.status_code == 403, where
            assert r.json()["code"] in ("ROLE_FORBIDDEN", "ROLE_NOT_ALLOWED"), where
            label = ROLE_LABELS[Role(who)].vi
            assert label in r.json()["message"] and who not in r.json()["message"], where
        if who == ANONYMOUS or Role(who) not in allowed:
            assert not any(secret in r.text for secret in SECRETS), where
