"""Issue 21 §2: the tablet prints a dossier's papers itself, offline — the receipt, the
declaration, the office's supplement request and the result — and its receipt is the one
the station prints (one builder in shared/documents/paperwork/of_dossier.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.documents.paperwork import RECEIPT_TITLE, SUPPLEMENT_TITLE
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.mobile.conftest import APPRAISER, CLERK, INTAKE, LEADER, InProcessStation

KS = "1.001193"


def _text(pdf: bytes, path: Path) -> str:
    assert pdf.startswith(b"%PDF")
    path.write_bytes(pdf)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def test_papers_follow_the_dossier_and_match_the_station(
    station: InProcessStation, tablet: TabletService, tmp_path: Path
) -> None:
    values = sample_values(KS, vn_now().date(), 7)
    d = tablet.intake(KS, values, components_received=every_component(KS, values))
    assert tablet.dossiers.papers(d.id) == ["receipt", "declaration"]

    # Offline, before any sync: the receipt the citizen takes home.
    name, pdf = tablet.dossiers.paper_pdf(d.id, "receipt")
    assert name == f"{d.code}-receipt.pdf"
    mine = _text(pdf, tmp_path / "tablet-receipt.pdf")
    assert RECEIPT_TITLE in mine and d.code in mine
    assert "Nguyễn Thị Lan" in mine  # the receiving officer, by name
    assert values["requester_full_name"] in mine
    name, pdf = tablet.dossiers.paper_pdf(d.id, "declaration")
    assert name == f"{d.code}-declaration.pdf" and pdf.startswith(b"%PDF")
    with pytest.raises(TaiChoError) as err:
        tablet.dossiers.paper_pdf(d.id, "supplement-request")
    assert err.value.code == "PAPER_NOT_APPLICABLE" and err.value.field == "paper"

    # The station's copy of the receipt says the same, word for word.
    assert tablet.sync().pushed == 1
    r = station.http.get(
        f"/v1/dossiers/{d.id}/receipt.pdf",
        headers={"Authorization": f"Bearer {station.token(*INTAKE)}"},
    )
    assert r.status_code == 200
    assert _text(r.content, tmp_path / "station-receipt.pdf") == mine

    # The office asks for a supplement: its request is printed at the home visit.
    reason = "Thiếu giấy tờ:\n- Giấy chứng sinh bản chính\n- Bản sao giấy tờ tùy thân của mẹ"
    assert station.act(d.id, "request_supplement", APPRAISER, reason).status_code == 200
    tablet.sync()
    assert tablet.dossiers.papers(d.id) == ["receipt", "declaration", "supplement-request"]
    _, pdf = tablet.dossiers.paper_pdf(d.id, "supplement-request")
    asked = _text(pdf, tmp_path / "supplement.pdf")
    assert SUPPLEMENT_TITLE in asked and "Giấy chứng sinh bản chính" in asked
    assert "Bản sao giấy tờ tùy thân của mẹ" in asked and d.code in asked


def test_the_result_is_among_the_papers_once_stamped(
    station: InProcessStation, tablet: TabletService, tmp_path: Path
) -> None:
    d = station.received_khai_sinh(tablet, 8)
    for who, action in ((APPRAISER, "accept"), (LEADER, "approve"), (CLERK, "stamp")):
        assert station.act(d.id, action, who).status_code == 200
    tablet.sync()
    assert tablet.dossiers.papers(d.id)[-1] == "result"
    name, pdf = tablet.dossiers.paper_pdf(d.id, "result")
    assert name == f"{d.code}.pdf" and pdf == tablet.dossiers.result_pdf(d.id)


def test_papers_need_an_unlocked_tablet(tablet: TabletService) -> None:
    d = tablet.intake(
        KS,
        (v := sample_values(KS, vn_now().date(), 9)),
        components_received=every_component(KS, v),
    )
    tablet.sessions.lock()
    with pytest.raises(TaiChoError) as err:
        tablet.dossiers.paper_pdf(d.id, "receipt")
    assert err.value.code == "LOCKED"
