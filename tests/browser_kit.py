"""What every browser test shares: Debian's Chromium, how it is started here, the demo logins.

One place for the launch flags /work/shared/TESTING.md found necessary on this machine
(without the background-networking flags Chromium's connections are refused by the
closed network), used by the tablet (tests/ui) and desk (tests/desk) browser tests.
"""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The demo station's staff (sync_server/services/admin/demo.py).
INTAKE = ("tiepnhan", "123456")
APPRAISER = ("thamdinh", "234567")
LEADER = ("lanhdao", "345678")
CLERK = ("vanthu", "456789")
ADMIN = ("quantri", "567890")


def record_child_number(http: Any, dossier_id: str, auth: dict[str, str]) -> None:
    """The appraiser's step before a khai sinh is approved (issue 17): the số định danh cá
    nhân issued at registration, which the Giấy khai sinh prints (docs/legal.md); any other
    procedure has none to record. ``http`` is an ``httpx.Client`` on the station's URL."""
    d = http.get(f"/v1/dossiers/{dossier_id}", headers=auth).json()
    if d["procedure"] != "1.001193":
        return
    v = d["values"]
    digit = "3" if v["child_sex"] == "nu" else "2"
    number = f"087{digit}{v['child_birth_date'][2:4]}{int(dossier_id[:5], 16) % 10**6:06d}"
    r = http.put(
        f"/v1/dossiers/{dossier_id}/child-personal-id",
        json={"child_personal_id": number},
        headers=auth,
    )
    assert r.status_code < 300, r.text


def sign_certificate(http: Any, dossier_id: str, auth: dict[str, str]) -> None:
    """The spouses' step between approval and the seal of a kết hôn (issue 17): both sign
    the Giấy chứng nhận kết hôn — here recorded as signed on the printed copy — before the
    clerk may stamp (docs/legal.md); any other procedure has nothing to sign. ``http`` is
    an ``httpx.Client`` on the station's URL (or a TestClient); ``auth`` the appraiser's or
    the clerk's headers."""
    d = http.get(f"/v1/dossiers/{dossier_id}", headers=auth).json()
    if d["procedure"] != "1.000894":
        return
    at = d["history"][-1]["at"]
    marks = [{"party": p, "kind": "paper", "at": at, "strokes": []} for p in ("wife", "husband")]
    r = http.post(
        f"/v1/dossiers/{dossier_id}/result/signatures", json={"signatures": marks}, headers=auth
    )
    assert r.status_code < 300, r.text
