"""What every browser test shares: Debian's Chromium, how it is started here, the demo logins.

One place for the launch flags /work/shared/TESTING.md found necessary on this machine
(without the background-networking flags Chromium's connections are refused by the
closed network), used by the tablet (tests/ui) and desk (tests/desk) browser tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

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


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright with this machine's flags; the test is skipped
    where it is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def app_page(browser: Any, url: str, width: int, height: int) -> Iterator[Any]:
    """A fresh browser context of that viewport with the Flet app at ``url`` open (its
    semantics on, non-local hosts aborted: ``flet_driver.open_app``); closed after."""
    from tests.ui.flet_driver import open_app

    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    try:
        open_app(pg, url)
        yield pg
    finally:
        ctx.close()


def shots_folder(default: Path, name: str) -> Path:
    """Where a test's screenshots go (``$TAICHO_UI_SHOTS`` or ``default``, then the test's
    name), emptied of an earlier run's pictures."""
    folder = Path(os.environ.get("TAICHO_UI_SHOTS", default)) / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


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
