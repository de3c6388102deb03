"""Issue 21 §2 at the desk, in headless Chromium against a real station: every paper of a
dossier is a link that opens its PDF (the declaration was once an API path in plain text),
and the receipt printed at the desk is the one the tablet printed at the counter."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.documents.paperwork import RECEIPT_TITLE, SUPPLEMENT_TITLE
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import RunningStation
from tests.browser_kit import APPRAISER, INTAKE
from tests.desk.test_desk_browser import click_to, open_dossier, shot, sign_in, type_into
from tests.ui import flet_driver as fd

pytestmark = pytest.mark.browser
PROCEDURE = "1.001193"
RECEIPT_LINK = "In giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)"


def _text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def _open_paper(page: Any, label: str) -> bytes:
    """Click a paper's link: the browser opens it in a new tab; the PDF behind it."""
    with page.context.expect_page(timeout=30_000) as popup:
        fd.click(page, label)
    tab = popup.value
    tab.wait_for_load_state()
    assert "/desk-files/paper/" in tab.url, tab.url
    body = httpx.get(tab.url, timeout=60)
    tab.close()
    assert body.status_code == 200 and body.headers["content-type"] == "application/pdf"
    return body.content


@pytest.mark.timeout(600)
def test_every_paper_of_a_dossier_opens_from_the_desk(
    page: Any, station: RunningStation, tmp_path: Path, shots: Path
) -> None:
    tablet = TabletService(tmp_path / "tablet")
    tablet.enrolment.enroll(station.url, station.enroll_code())
    tablet.unlock(*INTAKE)
    values = sample_values(PROCEDURE, vn_now().date(), 12)
    made = tablet.intake(PROCEDURE, values, components_received=every_component(PROCEDURE, values))
    _, at_the_counter = tablet.dossiers.paper_pdf(made.id, "receipt")
    assert tablet.sync().pushed == 1

    sign_in(page, APPRAISER)
    open_dossier(page, made.code)
    text = fd.wait_text(page, "Giấy tờ của hồ sơ")
    assert "declaration.pdf (cần đăng nhập)" not in text
    assert "In tờ khai (PDF)" in text and "In phiếu kiểm soát" in text
    assert "In phiếu yêu cầu bổ sung" not in text  # nobody asked for one yet
    shot(page, shots, "01-papers")

    receipt = _text(_open_paper(page, RECEIPT_LINK), tmp_path / "desk-receipt.pdf")
    assert RECEIPT_TITLE in receipt and made.code in receipt
    assert receipt == _text(at_the_counter, tmp_path / "tablet-receipt.pdf")
    assert "TỜ KHAI" in _text(_open_paper(page, "In tờ khai (PDF)"), tmp_path / "d.pdf")

    # Once the appraiser asks for a supplement, its request is among the papers.
    click_to(page, "Yêu cầu bổ sung", "Lý do yêu cầu bổ sung")
    type_into(page, "Lý do yêu cầu bổ sung", "Giấy chứng sinh bị mờ")
    click_to(page, "Xác nhận: Yêu cầu bổ sung", "Đã cập nhật hồ sơ")
    label = "In phiếu yêu cầu bổ sung hồ sơ (PDF)"
    fd.wait_text(page, label)
    asked = _text(_open_paper(page, label), tmp_path / "supplement.pdf")
    assert SUPPLEMENT_TITLE in asked and "Giấy chứng sinh bị mờ" in asked
    shot(page, shots, "02-papers-after-request")
    tablet.close()
