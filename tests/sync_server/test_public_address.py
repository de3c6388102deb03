"""Issue 21 §3: the verify QR leads somewhere. The public verify address is part of setting
up a unit; a station that is not the demo issues no result while it is unset, loopback or
plain HTTP; the QR code, the link printed under it and ``/verify`` agree."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient
from station_kit import LAI_VUNG, Tablet, admin_cli
from test_signing import _act
from test_verify import _qr_link

from shared import verify_address
from shared.errors import TaiChoError
from sync_server.services.core.station import Station
from sync_server.services.setup import public_address
from sync_server.store.db import set_meta, transaction


@pytest.mark.parametrize(
    "url,why",
    [
        (None, "chưa được khai báo"),
        ("http://127.0.0.1:8765", "127.0.0.1"),
        ("https://localhost", "localhost"),
        ("https://[::1]:8443", "::1"),
        ("https://0.0.0.0", "0.0.0.0"),
        ("http://motcua.laivung.example", "https://"),
        ("https://motcua.laivung.example", None),
        ("https://203.0.113.7:8443/motcua", None),
    ],
)
def test_which_addresses_a_phone_can_open(url: str | None, why: str | None) -> None:
    got = verify_address.unusable(url)
    assert (got[0] if got else None) == why or (why and got and why in got[0])


@pytest.mark.parametrize(
    "raw,why",
    [
        ("motcua.laivung.example", "cần dạng https://"),
        ("ftp://x.example", "cần dạng https://"),
        ("https://", "cần dạng https://"),
        ("https://x.example:port", "cần dạng https://"),
        ("https://x.example/?a=1", "phần ?…"),
    ],
)
def test_a_malformed_address_is_refused_at_the_field(raw: str, why: str) -> None:
    with pytest.raises(TaiChoError) as err:
        verify_address.normalise(raw)
    assert err.value.code == "PUBLIC_URL_INVALID" and err.value.field == "url"
    assert why in err.value.message("vi")


def test_the_qr_holds_the_printed_link_plus_the_hash() -> None:
    base = verify_address.normalise(" https://motcua.laivung.example/ ")
    assert base == "https://motcua.laivung.example"
    printed = verify_address.printed_link(base, "000.31.22.H20-261207-0001")
    assert printed == "https://motcua.laivung.example/verify/000.31.22.H20-261207-0001"
    assert verify_address.verify_link(base, "000.31.22.H20-261207-0001", "ab" * 32) == (
        printed + "?sha256=" + "ab" * 32
    )


def _as_a_real_station(station: Station) -> None:
    """The fixtures seed the demo commune; a real station was set up without it."""
    with station.session() as db, transaction(db):
        set_meta(db, public_address.DEMO_META_KEY, "0")


def _set(station: Station, url: str) -> None:
    with station.session() as db:
        public_address.set_public_url(db, url)


def _printed(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def test_a_real_station_issues_only_with_an_address_phones_can_open(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    _as_a_real_station(station)
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).status_code == 200
    assert _act(client, as_user("thamdinh"), d["id"], "accept").status_code == 200

    refused = _act(client, as_user("lanhdao"), d["id"], "approve")
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["code"] == "PUBLIC_URL_NOT_READY" and body["field"] == "public_url"
    assert "chưa được khai báo" in body["message"] and "admin public-url" in body["message"]
    assert "is not set" in body["message_en"]
    for url, why in (("http://127.0.0.1:8765", "127.0.0.1"), ("http://motcua.example", "https")):
        _set(station, url)
        again = _act(client, as_user("lanhdao"), d["id"], "approve")
        assert again.status_code == 409 and why in again.json()["message"], again.text

    _set(station, "https://motcua.laivung.example/")
    assert _act(client, as_user("lanhdao"), d["id"], "approve").status_code == 200
    # The address broken between approval and stamping: the seal waits too.
    _set(station, "https://localhost")
    stamp = _act(client, as_user("vanthu"), d["id"], "stamp")
    assert stamp.status_code == 409 and stamp.json()["code"] == "PUBLIC_URL_NOT_READY"
    _set(station, "https://motcua.laivung.example")
    assert _act(client, as_user("vanthu"), d["id"], "stamp").status_code == 200

    pdf = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu")).content
    link = _qr_link(pdf, tmp_path)
    printed = verify_address.printed_link("https://motcua.laivung.example", d["code"])
    assert link.startswith(printed + "?sha256=")
    assert f"Tracứu:{printed}" in _printed(pdf, tmp_path)  # printed, broken after /verify/
    # /verify at that path and hash: the paper is genuine.
    parsed = urlparse(link)
    page = client.get(parsed.path, params={"sha256": parse_qs(parsed.query)["sha256"][0]})
    assert page.status_code == 200 and "Văn bản hợp lệ" in page.text
    assert re.search(r"Ngày ban hành</th><td>\d{2}/\d{2}/\d{4}<", page.text)  # §11


def test_the_demo_may_point_at_itself(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    _set(station, "http://127.0.0.1:8765")
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).status_code == 200
    for who, action in (("thamdinh", "accept"), ("lanhdao", "approve"), ("vanthu", "stamp")):
        assert _act(client, as_user(who), d["id"], action).status_code == 200
    pdf = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu")).content
    assert _qr_link(pdf, tmp_path).startswith(f"http://127.0.0.1:8765/verify/{d['code']}?")


def test_cli_sets_the_address_with_the_unit_or_alone(tmp_path: Path) -> None:
    data = tmp_path / "st"
    r = admin_cli(
        data,
        "unit-set",
        *LAI_VUNG,
        "--public-url",
        "motcua.laivung.example",
    )
    assert r.returncode == 1 and json.loads(r.stderr)["code"] == "PUBLIC_URL_INVALID"
    assert admin_cli(data, "unit-show").returncode == 1  # nothing was stored
    r = admin_cli(data, "unit-set", *LAI_VUNG)
    shown = json.loads(r.stdout)
    assert shown["public_url"] is None and shown["ready"] is False
    assert shown["why"] == "chưa được khai báo"
    r = admin_cli(data, "public-url", "http://127.0.0.1:8765/")
    assert r.returncode == 0 and json.loads(r.stdout) == {
        "public_url": "http://127.0.0.1:8765",
        "ready": False,
        "why": "là 127.0.0.1, địa chỉ chỉ chính máy chủ mở được",
    }
    r = admin_cli(
        data,
        "unit-set",
        *LAI_VUNG,
        "--public-url",
        "https://motcua.laivung.example/",
    )
    assert r.returncode == 0, r.stderr
    shown = json.loads(admin_cli(data, "unit-show").stdout)
    assert shown["public_url"] == "https://motcua.laivung.example" and shown["ready"] is True
