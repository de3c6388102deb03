"""The completeness checklist in the browser, as the intake officer works it.

A chứng thực chữ ký dossier is typed at human speed; on the last step ("Thành phần hồ
sơ") the app says in words what is missing, prints the supplement request while papers
are missing (a real PDF, read back with pdftotext), and receives the dossier once the
officer ticked the document and photographed the signer's ID through the browser's file
dialog. Real station, real Flet web client in Debian's Chromium.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shared.samples import sample_values
from shared.workdays import vn_now
from tests.ui import flet_driver as fd
from tests.ui.form_flow import (
    CONFIRM,
    add_photo,
    fill_by_steps,
    large_contrast_shot,
    page_photo_file,
    read_back,
    tick_paper,
    unlock_typing,
)

pytestmark = [pytest.mark.browser]
CODE = "2.000884"  # chứng thực chữ ký: the signer's ID (photo) and the document
CODE_RE = re.compile(r"[0-9A-Z.]+-\d{6}-\d{4}")


@pytest.mark.timeout(400)
def test_missing_papers_are_named_printed_then_handed_in_and_received(
    page: Any, shots: Path
) -> None:
    values = sample_values(CODE, vn_now().date(), seed=4)
    unlock_typing(page)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, re.compile("^Chọn: Chứng thực chữ ký"))
    mirror = fill_by_steps(page, values, human=True, code=CODE, papers=False)
    n = mirror.step_count()

    # the checklist: nothing ticked yet, both papers named as missing, in words
    text = fd.wait_text(page, "Hồ sơ chưa đủ — còn thiếu 2 mục:")
    rows = {r.id: r for r in mirror.checklist_rows()}
    signer_id, document = rows["signer_id"].name, rows["document"].name
    assert f"• {signer_id} – chưa nộp" in text and f"• {document} – chưa nộp" in text
    assert "Cần ảnh" in text and "Bản chính hoặc bản sao" in text
    fd.settled_screenshot(page, shots / "01-checklist-empty.png")

    # the citizen lacks papers: the supplement request is printed instead of receiving
    with page.expect_download(timeout=60_000) as dl:
        fd.click(page, "In phiếu yêu cầu bổ sung")
    pdf = Path(dl.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    assert dl.value.suggested_filename.startswith("phieu-yeu-cau-bo-sung-")
    paper = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in paper
    assert values["signer_full_name"] in paper
    assert "chưa nộp" in paper and "Giấy tờ, văn bản sẽ ký" in paper
    fd.wait_text(page, "bản nháp được giữ lại")

    # the document is ticked: one thing left; "Xem trước" checks the papers before the
    # citizen reads anything back (issue 21, item 6) and stays on the checklist
    tick_paper(page, document)
    text = fd.wait_text(page, "còn thiếu 1 mục:")
    assert f"• {signer_id} – chưa nộp" in text and f"• {document} – chưa nộp" not in text
    fd.click(page, "Xem trước")
    text = fd.wait_text(page, "Hồ sơ chưa đủ thành phần")
    assert "Xin ông/bà đọc lại thông tin" not in text
    assert f"Bước {n}/{n}: Thành phần hồ sơ" in text and f"• {signer_id} – chưa nộp" in text
    fd.settled_screenshot(page, shots / "02-papers-before-read-back.png")

    # the signer's ID is photographed (the browser's file dialog): it is ticked with it
    add_photo(page, signer_id, page_photo_file())
    fd.wait_text(page, "Hồ sơ đã đủ thành phần.")
    fd.settled_screenshot(page, shots / "03-checklist-complete.png")
    # large text and high contrast reach the checklist (looked at in the screenshot)
    large_contrast_shot(page, shots / "03b-checklist-large-contrast.png", "Hồ sơ đã đủ thành phần.")
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    read_back(page)
    fd.click(page, CONFIRM)
    fd.click(page, "Tiếp: ký tờ khai")
    fd.click(page, re.compile("^Ký trên giấy"))  # the signer signs the printed phiếu
    fd.click(page, "Lưu – tiếp nhận hồ sơ")
    fd.wait_text(page, "Đã tiếp nhận hồ sơ")
    m = CODE_RE.search(fd.wait_text(page, CODE_RE))
    assert m
    assert "Hạn trả kết quả:" in fd.all_text(page)
    fd.settled_screenshot(page, shots / "04-receipt.png")
