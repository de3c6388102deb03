"""The public verify page and JSON: genuine, unknown and altered documents, no login,
no citizen data beyond the paper."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient
from station_kit import CHILD, SECRETS, Tablet
from test_signing import issue

from shared import crypto
from sync_server.services.core.station import Station
from sync_server.services.office import stamping


def _qr_link(pdf: bytes, tmp_path: Path) -> str:
    """The verify link in the result's QR code: page 1 rasterised (pdftoppm), the QR read
    back with zxing-cpp — what a citizen's phone camera does."""
    import zxingcpp
    from PIL import Image

    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    (page,) = sorted(tmp_path.glob("p*.png"))
    codes = zxingcpp.read_barcodes(Image.open(page))
    links = [c.text for c in codes if re.search(r"/verify/[^?]+\?sha256=[0-9a-f]{64}$", c.text)]
    assert links, [c.text for c in codes]
    return str(links[0])


def test_genuine_document_by_file_hash_and_by_qr_link(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    d, pdf = issue(client, tablet, as_user)
    sha = crypto.sha256_hex(pdf)

    r = client.get(f"/v1/verify/{d['code']}", params={"sha256": sha})  # no login
    assert r.status_code == 200
    answer = r.json()
    assert answer["status"] == "genuine" and answer["genuine"] is True
    assert answer["issuer"] == "Ủy ban nhân dân xã Lai Vung" and answer["document"].startswith(
        "Giấy khai sinh"
    )
    assert answer["register_number"] == 1 and answer["file_sha256"] == sha
    assert [s["name"] for s in answer["signers"]] == ["Lê Minh Tâm", "Ủy ban nhân dân xã Lai Vung"]
    for secret in SECRETS:
        assert secret not in r.text and secret.upper() not in r.text

    link = _qr_link(pdf, tmp_path)
    parsed = urlparse(link)
    assert parsed.path == f"/verify/{d['code']}"
    page = client.get(parsed.path, params={"sha256": parse_qs(parsed.query)["sha256"][0]})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Văn bản hợp lệ" in page.text and "Ủy ban nhân dân xã Lai Vung" in page.text
    assert CHILD not in page.text and CHILD.upper() not in page.text

    # Without a hash: issued, with the file's SHA-256 to compare by hand.
    page = client.get(f"/verify/{d['code']}")
    assert "Văn bản đã được ban hành" in page.text and sha in page.text


def test_unknown_and_altered_documents(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    d, pdf = issue(client, tablet, as_user)
    r = client.get("/verify/000.31.22.H20-000000-9999")
    assert r.status_code == 404 and "Không tìm thấy văn bản" in r.text
    assert client.get("/v1/verify/nope").json()["status"] == "unknown"

    altered = pdf.replace(b"/Producer", b"/Producer ", 1)
    sha = crypto.sha256_hex(altered)
    r = client.get(f"/verify/{d['code']}", params={"sha256": sha})
    assert r.status_code == 200 and "Văn bản KHÔNG khớp" in r.text
    answer = client.get(f"/v1/verify/{d['code']}", params={"sha256": sha}).json()
    assert answer["status"] == "altered" and answer["genuine"] is False
    bad = client.get(f"/v1/verify/{d['code']}", params={"sha256": "xyz"}).json()
    assert bad["genuine"] is False


def test_public_url_goes_into_the_qr_link(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    with station.session() as db:
        stamping.set_public_url(db, "https://motcua.dinhyen.example/")
    d, pdf = issue(client, tablet, as_user)
    assert _qr_link(pdf, tmp_path).startswith(f"https://motcua.dinhyen.example/verify/{d['code']}")


def test_lookups_are_braked_per_client_and_name_no_citizen(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    """Issue 22 §6: 405–465 lookups a second listed a day's codes in 25 s. Now one client
    gets 30 a minute (HTML and JSON together); another client is not concerned."""
    d, _ = issue(client, tablet, as_user)
    page = client.get(f"/verify/{d['code']}")
    assert page.status_code == 200 and not [s for s in SECRETS if s in page.text]
    answers = [
        client.get(f"/v1/verify/000.31.22.H20-000000-{n:04d}").status_code for n in range(40)
    ]
    assert answers[:29] == [200] * 29 and set(answers[29:]) == {429}
    refused = client.get(f"/verify/{d['code']}")
    assert refused.status_code == 429 and refused.json()["code"] == "RATE_LIMITED"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    other = TestClient(client.app, client=("192.0.2.8", 4000))
    assert other.get(f"/verify/{d['code']}").status_code == 200
