"""Signed results: the leader's PAdES signature at approve, the commune's seal at stamp.

Checked with real tools: poppler's ``pdfsig`` (with and without the trust anchor in an NSS
database), pyHanko's validator (through the tablet's offline check), and a tampered copy.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from mobile.services.verify import verify_pdf
from shared import crypto
from sync_server.__main__ import main as cli
from sync_server.services.core.station import Station
from sync_server.services.pki import certs

ACTIONS = [("thamdinh", "accept"), ("lanhdao", "approve"), ("vanthu", "stamp")]


def _act(client: TestClient, headers: dict[str, str], did: str, action: str) -> Any:
    return client.post(f"/v1/dossiers/{did}/actions", json={"action": action}, headers=headers)


def issue(client: TestClient, tablet: Tablet, as_user: Any) -> tuple[dict[str, Any], bytes]:
    """Push one dossier and take it through approve and stamp; returns it and its PDF."""
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).status_code == 200
    for who, action in ACTIONS:
        r = _act(client, as_user(who), d["id"], action)
        assert r.status_code == 200, r.text
    pdf = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu"))
    assert pdf.status_code == 200
    return d, pdf.content


def pdfsig(path: Path, nss: Path | None = None) -> str:
    cmd = ["pdfsig"] + (["-nssdir", f"sql:{nss}"] if nss else []) + [str(path)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout


def anchors(station: Station) -> list[str]:
    with station.session() as db:
        return certs.trust_anchors_pem(db)


def test_result_carries_two_valid_signatures(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    d, pdf = issue(client, tablet, as_user)
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf)

    out = pdfsig(path)
    assert out.count("Signature is Valid.") == 2, out
    assert "Signer Certificate Common Name: Lê Minh Tâm" in out
    assert "Signer Certificate Common Name: Ủy ban nhân dân xã Lai Vung" in out
    assert "Total document signed" in out  # the seal covers the whole file

    # The leader's signature is the first revision, unchanged by the seal.
    ranges = re.findall(r"Signed Ranges: \[0 - \d+\], \[\d+ - (\d+)\]", out)
    assert len(ranges) == 2 and int(ranges[0]) < int(ranges[1]) == len(pdf)

    # With the exported trust anchor in an NSS database, the certificates are valid too.
    if shutil.which("certutil"):
        ca = tmp_path / "ca.pem"
        assert (
            cli(["admin", "--data", str(station.paths.data_dir), "cert-export", "--out", str(ca)])
            == 0
        )
        assert "BEGIN CERTIFICATE" in ca.read_text()
        nss = tmp_path / "nss"
        nss.mkdir()
        subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
        subprocess.run(
            [
                "certutil",
                "-A",
                "-d",
                f"sql:{nss}",
                "-n",
                "taicho-ca",
                "-t",
                "CT,C,C",
                "-i",
                str(ca),
            ],
            check=True,
        )
        trusted = pdfsig(path, nss)
        assert trusted.count("Certificate is Trusted.") == 2, trusted

    # pyHanko agrees: both intact, trusted, the seal covers the file; the code is found.
    answer = verify_pdf(pdf, anchors(station))
    assert answer["valid"] is True, answer
    assert [s["name"] for s in answer["signers"]] == ["Lê Minh Tâm", "Ủy ban nhân dân xã Lai Vung"]
    assert answer["code"] == d["code"]

    # The Vietnamese text of the document survives (pdftotext round trip).
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "GIẤY KHAI SINH" in text and d["code"] in text


def test_a_changed_byte_breaks_the_signatures(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    _, pdf = issue(client, tablet, as_user)
    # Change one byte inside the leader-signed content (a digit of the page's stream).
    at = pdf.index(b"stream") + 40
    bad = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
    path = tmp_path / "bad.pdf"
    path.write_bytes(bad)
    out = pdfsig(path)
    assert "Signature is Valid." not in out
    assert out.count("Signature is Invalid.") == 2 or "Digest Mismatch" in out, out
    assert verify_pdf(bad, anchors(station))["valid"] is False
    # Someone else's CA does not make it valid either.
    assert verify_pdf(pdf, [])["valid"] is False


def test_register_numbers_have_no_gaps_and_are_assigned_at_approval(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    ids = []
    for _ in range(3):
        d = tablet.dossier()
        assert tablet.push([tablet.change(d)]).status_code == 200
        for who, action in ACTIONS[:2]:  # accept, approve
            assert _act(client, as_user(who), d["id"], action).status_code == 200
        ids.append(d["id"])
    with station.session() as db:
        rows = {r["dossier_id"]: r for r in db.query("SELECT * FROM results")}
        counter = list(db.query("SELECT * FROM register_counters"))
    assert [rows[i]["register_number"] for i in ids] == [1, 2, 3]
    assert all(r["issued_at"] is None and r["version"] == 1 for r in rows.values())
    assert counter[0]["last_number"] == 3
    # Not issued yet: the verify page does not know them.
    code = client.get(f"/v1/dossiers/{ids[0]}", headers=as_user("vanthu")).json()["code"]
    assert client.get(f"/v1/verify/{code}").json()["status"] == "unknown"
    assert _act(client, as_user("vanthu"), ids[0], "stamp").status_code == 200
    with station.session() as db:
        row = next(iter(db.query("SELECT * FROM results WHERE dossier_id = ?", (ids[0],))))
    assert row["register_number"] == 1 and row["version"] == 2 and row["issued_at"]


def test_private_keys_are_never_stored_in_clear(station: Station, demo_station: Station) -> None:
    with station.session() as db:
        certs.ensure_demo(db, station.keys)
        rows = list(db.query("SELECT * FROM certificates"))
    assert {r["holder"] for r in rows} >= {"ca", "commune", "lanhdao"}
    raw = station.paths.db.read_bytes() + (
        station.paths.db.with_name("station.db-wal").read_bytes()
        if station.paths.db.with_name("station.db-wal").exists()
        else b""
    )
    assert b"PRIVATE KEY" not in raw
    for r in rows:
        der = station.keys.decrypt("certificates", r["holder"], 1, r["key_enc"])
        assert der not in raw
        assert crypto.sha256_hex(der)  # decrypts with the storage key


def test_leader_signs_with_an_imported_pkcs12_certificate(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    ca, ca_key = certs._new_ca()
    subject = certs._name("Lê Minh Tâm (CA thật)", org="UBND xã Lai Vung", title="Chủ tịch")
    cert, key = certs._new_end_entity(ca, ca_key, subject)
    p12 = tmp_path / "lanhdao.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"lanhdao", key, cert, [ca], BestAvailableEncryption(b"mat-khau")
        )
    )
    base = ["admin", "--data", str(station.paths.data_dir), "cert-import", "--for"]
    assert cli([*base, "lanhdao", "--p12", str(p12), "--password", "sai"]) == 1
    assert cli([*base, "thamdinh", "--p12", str(p12), "--password", "mat-khau"]) == 1
    assert cli([*base, "lanhdao", "--p12", str(p12), "--password", "mat-khau"]) == 0

    d, pdf = issue(client, tablet, as_user)
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf)
    out = pdfsig(path)
    assert out.count("Signature is Valid.") == 2
    assert "Signer Certificate Common Name: Lê Minh Tâm (CA thật)" in out

    # Offline check from a PC with the exported anchors (the demo CA and the imported one).
    ca_pem = tmp_path / "ca.pem"
    assert (
        cli(["admin", "--data", str(station.paths.data_dir), "cert-export", "--out", str(ca_pem)])
        == 0
    )
    run = subprocess.run(
        [sys.executable, "-m", "mobile.headless", "verify", str(path), "--ca", str(ca_pem)],
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(run.stdout)
    assert answer["valid"] is True and answer["code"] == d["code"]
    assert answer["signers"][0]["name"] == "Lê Minh Tâm (CA thật)"


def _pixels(pdf: bytes, box: Any, tmp_path: Path, dpi: int = 60) -> list[tuple[int, int, int]]:
    """The RGB pixels of page 1 inside ``box`` (mm), rendered by poppler."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    px = dpi / 25.4
    crop = [
        *("-x", str(int(box.x * px)), "-y", str(int(box.y * px))),
        *("-W", str(int(box.w * px)), "-H", str(int(box.h * px))),
    ]
    ppm = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", *crop, str(path)],
        capture_output=True,
        check=True,
    ).stdout
    magic, _size, _depth, rest = ppm.split(b"\n", 3)
    assert magic == b"P6"
    return [(rest[i], rest[i + 1], rest[i + 2]) for i in range(0, len(rest) - 2, 3)]


def test_appearances_show_the_leader_and_the_red_seal(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    from sync_server.services.pki.signing import DEFAULT_LAYOUT, Box

    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).status_code == 200
    for who, action in ACTIONS[:2]:
        assert _act(client, as_user(who), d["id"], action).status_code == 200
    approved = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu"))
    lead = DEFAULT_LAYOUT.leader
    text_area = Box(lead.x + lead.w / 3, lead.y, lead.w * 2 / 3, lead.h)
    blue = [p for p in _pixels(approved.content, text_area, tmp_path) if p[2] > 100 > p[0]]
    assert len(blue) > 50  # the leader's name, title and signing time in blue ink

    assert _act(client, as_user("vanthu"), d["id"], "stamp").status_code == 200
    sealed = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu"))

    def red(pdf: bytes) -> int:
        pixels = _pixels(pdf, DEFAULT_LAYOUT.seal, tmp_path)
        return sum(1 for p in pixels if p[0] > 150 > p[1])

    assert red(sealed.content) > red(approved.content) + 100  # the seal signature's red seal
