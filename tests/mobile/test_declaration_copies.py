"""The declaration of a received dossier: the station's copy and the tablet's are one
document; the signatures travel with the dossier; the endpoint's 200/401/404."""

from __future__ import annotations

import math
import subprocess
import unicodedata
from pathlib import Path

import pytest

from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.signatures import SignatureMark
from shared.workdays import vn_now
from tests.mobile.conftest import APPRAISER, INTAKE, InProcessStation

STROKE = [[10 + i * 8, int(500 + 300 * math.sin(i / 5))] for i in range(110)]


def _text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True)
    return unicodedata.normalize("NFC", out.stdout.decode())


def test_station_and_tablet_give_the_same_declaration(
    station: InProcessStation, tmp_path: Path
) -> None:
    tablet = station.tablet(tmp_path / "t")
    tablet.unlock(*INTAKE)
    now = vn_now().isoformat(timespec="seconds")
    values = sample_values("1.000894", vn_now().date(), 3)
    papers = every_component("1.000894", values)
    marks = [
        SignatureMark("wife", "signature", now, [STROKE, [[500, 500]]]),
        SignatureMark("husband", "thumbprint", now, [], "Trần Văn Chứng"),
    ]
    # Before receipt: the form's own copy, unsigned, for the citizen to read or print.
    draft = tablet.dossiers.form_declaration_pdf("1.000894", values, now)
    assert "Tờ khai điền sẵn, chưa tiếp nhận" in _text(draft, tmp_path, "draft.pdf")
    with pytest.raises(TaiChoError) as exc:  # the app always gives every party's mark
        tablet.intake("1.000894", values, now, signatures=marks[:1], components_received=papers)
    assert exc.value.code == "SIGNATURE_MISSING"
    d = tablet.intake("1.000894", values, now, signatures=marks, components_received=papers)
    mine = tablet.dossiers.declaration_pdf(d.code)
    assert tablet.sync().pushed == 1

    token = station.token(*APPRAISER)
    r = station.http.get(
        f"/v1/dossiers/{d.id}/declaration.pdf", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert 'filename="to-khai-' in r.headers["content-disposition"]
    theirs = r.content
    text = _text(theirs, tmp_path, "station.pdf")
    assert text == _text(mine, tmp_path, "tablet.pdf")
    assert theirs == mine  # the same document, byte for byte
    assert "TỜ KHAI ĐĂNG KÝ KẾT HÔN" in text and f"Mã hồ sơ: {d.code}" in text
    assert "Người làm chứng: Trần Văn Chứng" in text
    assert str(values["wife_full_name"]) in text

    # The marks reached the station with the dossier, strokes intact.
    detail = station.http.get(
        f"/v1/dossiers/{d.id}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert [m["party"] for m in detail["signatures"]] == ["wife", "husband"]
    assert detail["signatures"][0]["strokes"][0] == STROKE
    assert detail["signatures"][1]["witness_name"] == "Trần Văn Chứng"
    tablet.close()


def test_declaration_endpoint_needs_staff_and_a_known_dossier(
    station: InProcessStation,
) -> None:
    r = station.http.get("/v1/dossiers/nope/declaration.pdf")
    assert r.status_code == 401
    assert r.json()["code"] == "AUTH_REQUIRED"
    token = station.token(*APPRAISER)
    r = station.http.get(
        "/v1/dossiers/nope/declaration.pdf", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 404
    assert r.json()["code"] == "DOSSIER_NOT_FOUND"
    assert r.headers["content-type"].startswith("application/problem+json")
