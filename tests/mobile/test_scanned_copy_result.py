"""A chứng thực bản sao made by scanning (issue 17, §2 Chứng thực bản sao): the copy's
pages are the dossier's photos, from the tablet to the station as any photo (the real app
in process, real SQLite, real crypto), and the result is those pages with the statement
on the last one and the page-joining note, signed and sealed on that page — checked
with pdftotext, pdfimages and pdfsig.

"Lời chứng được ghi tại trang cuối của bản sao; bản sao có từ 02 tờ trở lên được đóng
dấu giáp lai." (Nghị định 23/2015/NĐ-CP, Điều 20, as docs/legal.md records it.)
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.procedures.chung_thuc_ban_sao import JOINING_NOTE, STATEMENT
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.mobile.conftest import APPRAISER, CLERK, INTAKE, LEADER, InProcessStation
from tests.mobile.test_attachments import document_photo

BS = "2.000815"


@pytest.fixture
def tablet(station: InProcessStation, tmp_path: Path) -> Iterator[TabletService]:
    t = station.tablet(tmp_path / "tablet")
    t.unlock(*INTAKE)
    yield t
    t.close()


def _issue(station: InProcessStation, tablet: TabletService, pages: int) -> tuple[Any, bytes]:
    values = sample_values(BS, vn_now().date(), 2)
    values["page_count"] = pages
    refs = [
        tablet.add_attachment(document_photo(1240, 1754, seed=40 + i), "image/jpeg", "original")
        for i in range(pages)
    ]
    d = tablet.intake(BS, values, attachments=refs, components_received=every_component(BS, values))
    report = tablet.sync()
    assert report.photos_pending == 0 and report.photos_refused == (), report
    for action, who in (("accept", APPRAISER), ("approve", LEADER), ("stamp", CLERK)):
        r = station.act(d.id, action, who)
        assert r.status_code == 200, r.text
    auth = {"Authorization": f"Bearer {station.token(*CLERK)}"}
    pdf = station.http.get(f"/v1/dossiers/{d.id}/result.pdf", headers=auth)
    assert pdf.status_code == 200
    return d, pdf.content


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_a_scanned_copy_carries_the_statement_on_its_last_page(
    station: InProcessStation, tablet: TabletService, tmp_path: Path
) -> None:
    _, pdf = _issue(station, tablet, 3)
    path = tmp_path / "ban-sao.pdf"
    path.write_bytes(pdf)
    info = _run("pdfinfo", str(path))
    assert re.search(r"^Pages:\s+3$", info, re.M), info
    # each page is one scanned picture
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert sorted(int(line.split()[0]) for line in images) == [1, 2, 3], images
    first = _run("pdftotext", "-f", "1", "-l", "2", str(path), "-")
    assert STATEMENT not in first  # the statement is on the last page only
    assert "Bản sao – trang 1/3" in first and "Bản sao – trang 2/3" in first
    last = " ".join(_run("pdftotext", "-f", "3", "-l", "3", str(path), "-").split())
    assert STATEMENT in last
    assert f"Bản sao gồm 03 trang. {JOINING_NOTE}" in last
    assert "NGƯỜI THỰC HIỆN CHỨNG THỰC" in last and "Bản sao – trang 3/3" in last
    assert "Số chứng thực:" in last and "- SCT/BS" in last
    # the leader's signature and the seal are on the last page, the seal covering all
    sig = _run("pdfsig", str(path))
    assert sig.count("Signature is Valid.") == 2, sig
    assert "Total document signed" in sig
    fields = subprocess.run(
        ["qpdf", "--json", "--json-key=acroform", str(path)], capture_output=True, text=True
    ).stdout
    assert fields.count('"pageposfrom1": 3') == 2, fields


def test_a_one_page_scan_has_no_joining_note(
    station: InProcessStation, tablet: TabletService, tmp_path: Path
) -> None:
    _, pdf = _issue(station, tablet, 1)
    path = tmp_path / "ban-sao.pdf"
    path.write_bytes(pdf)
    text = " ".join(_run("pdftotext", str(path), "-").split())
    assert STATEMENT in text and JOINING_NOTE not in text
    assert "Bản sao – trang 1/1" in text


def test_a_copy_with_a_photo_not_yet_received_is_not_approved(
    station: InProcessStation, tablet: TabletService
) -> None:
    values = sample_values(BS, vn_now().date(), 3)
    ref = tablet.add_attachment(document_photo(1240, 1754, seed=7), "image/jpeg", "original")
    d = tablet.intake(
        BS, values, attachments=[ref], components_received=every_component(BS, values)
    )
    tablet.outbox.push(tablet.ctx.client())  # the dossier, not its photo
    assert station.act(d.id, "accept", APPRAISER).status_code == 200
    r = station.act(d.id, "approve", LEADER)
    assert r.status_code == 409 and r.json()["code"] == "ATTACHMENT_NOT_RECEIVED", r.text
