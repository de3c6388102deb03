"""Issue 18, items 2–5 through a real station and the real command lines: the office
imports `data/catalogue/commune-procedures.json` with `admin catalogue-import` while the
station runs, a tablet enrolled afterwards lists the 36 procedures (`headless
procedures`), and imported procedures go tablet → station → result on the generic path:
one with a signed PDF made "in another system" (a self-signed certificate, pyHanko),
one with a paper result; a broken or unsigned PDF is refused with its own problem. A
malformed catalogue file is refused by row and field and the old catalogue stays."""

from __future__ import annotations

import base64
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fpdf import FPDF

from shared.workdays import vn_now
from tests.cert_kit import signed_result_pdf
from tests.integration.conftest import APPRAISER, CLERK, LEADER, Station
from tests.integration.test_headless_cli import headless

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "catalogue" / "commune-procedures.json"
PDF_CODE, PAPER_CODE, THIRD_CODE = "1.001022", "2.000635", "1.004837"


def admin(data: Path, *args: str) -> tuple[int, Any]:
    """`python -m sync_server admin --data D …`: (exit code, JSON of stdout or stderr)."""
    p = subprocess.run(
        [sys.executable, "-m", "sync_server", "admin", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    text = p.stdout if p.returncode == 0 else p.stderr
    return p.returncode, json.loads(text.strip().splitlines()[-1] if p.returncode else text)


def act(
    station: Station, dossier_id: str, action: str, who: tuple[str, str], **body: Any
) -> httpx.Response:
    return httpx.post(
        f"{station.url}/v1/dossiers/{dossier_id}/actions",
        json={"action": action, **body},
        headers={"Authorization": f"Bearer {station.token(*who)}"},
        timeout=60,
    )


def test_a_malformed_catalogue_is_refused_by_row_and_field(
    station: Station, tmp_path: Path
) -> None:
    good = json.loads(CATALOGUE.read_text(encoding="utf-8"))["procedures"]
    bad = [dict(r) for r in good[:5]]
    bad[0].pop("ma_tthc")  # missing code
    bad[1]["thoi_han_ngay_lam_viec"] = -3  # negative time limit
    bad[2]["ma_tthc"] = bad[3]["ma_tthc"]  # duplicate (row 4 repeats row 3)
    bad[4]["phi_le_phi"] = {"vnd": "mười nghìn", "theo_trang": 2}  # bad fee rule
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"procedures": bad}, ensure_ascii=False), encoding="utf-8")
    rc, refused = admin(station.data, "catalogue-import", str(path))
    assert rc == 1 and refused["code"] == "CATALOGUE_IMPORT_INVALID", refused
    where = {(d["row"], d["field"]) for d in refused["details"]}
    assert (1, "ma_tthc") in where
    assert (2, "thoi_han_ngay_lam_viec") in where
    assert (4, "ma_tthc") in where
    assert {(5, "phi_le_phi.vnd"), (5, "phi_le_phi.theo_trang")} <= where
    assert "danh mục cũ giữ nguyên" in refused["message"]
    rc, listed = admin(station.data, "catalogue-list")
    assert rc == 0 and len(listed) == 6  # only the built-in six: nothing half-imported
    # The same mistakes in CSV are named by spreadsheet row (the header is row 1).
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(
        "ma_tthc,ten,linh_vuc,cap_thuc_hien,thoi_han_ngay_lam_viec,phi_vnd,thanh_phan_ho_so,"
        "can_cu_phap_ly,co_quan_thuc_hien,nguon_ten,nguon_url,ngay_kiem_tra\n"
        '1.001022,Nhận cha mẹ con,Hộ tịch,Cấp Xã,-1,15.000,"Tờ khai|1|0",Luật Hộ tịch,UBND xã,x,http://x,2026-12-07\n',
        encoding="utf-8",
    )
    rc, refused = admin(station.data, "catalogue-import", str(csv_path))
    assert rc == 1 and {(d["row"], d["field"]) for d in refused["details"]} == {
        (2, "thoi_han_ngay_lam_viec")
    }


def test_imported_procedures_go_through_to_a_result(station: Station, tmp_path: Path) -> None:
    # Imported by the command line while the station runs: the station follows.
    rc, summary = admin(station.data, "catalogue-import", str(CATALOGUE))
    assert rc == 0, summary
    assert len(summary["imported"]) == 30 and summary["procedures"] == 36
    unchecked = [w for w in summary["warnings"] if w["field"] == "da_kiem_tra"]
    assert len(unchecked) == 29  # every record not checked against a publication says so

    tablet = tmp_path / "tablet"
    rc, _ = headless(tablet, "enroll", station.url, station.enroll_code(), unlock=False)
    assert rc == 0
    rc, report = headless(tablet, "sync")  # the catalogue comes by the feed (opened unlocked)
    assert rc == 0, report
    rc, held = headless(tablet, "procedures", unlock=False)
    assert rc == 0 and len(held) == 36, report
    by_code = {p["code"]: p for p in held}
    assert by_code["1.001193"]["has_result_template"] is True
    assert by_code[PDF_CODE]["has_result_template"] is False
    assert by_code[PDF_CODE]["checked"] is True and by_code[PAPER_CODE]["checked"] is False

    made = {}
    for code in (PDF_CODE, PAPER_CODE, THIRD_CODE):
        rc, sample = headless(tablet, "sample", "--procedure", code, unlock=False)
        assert rc == 0 and sample["request_text"], sample
        path = tmp_path / f"{code}.json"
        path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
        rc, made[code] = headless(tablet, "intake", "--procedure", code, "--json", str(path))
        assert rc == 0, made[code]
    rc, report = headless(tablet, "sync")
    assert rc == 0 and report["pushed"] == 3 and report["rejected"] == [], report

    for m in made.values():
        for action, who in (("accept", APPRAISER), ("approve", LEADER)):
            r = act(station, m["id"], action, who)
            assert r.status_code == 200, r.text
    # Stamp without a result: the clerk is told what to attach.
    r = act(station, made[PDF_CODE]["id"], "stamp", CLERK)
    assert r.status_code == 422 and r.json()["code"] == "RESULT_REQUIRED", r.text
    # A broken PDF, an unsigned one, a signed one changed afterwards: each its problem.
    unsigned = FPDF()
    unsigned.add_page()
    pdf = signed_result_pdf(tmp_path)
    tampered = pdf.replace(pdf[:8], b"%PDF-1.9", 1)  # a byte the signature covers
    assert tampered != pdf
    for body, code in (
        (b"%PDF-1.7 this is not a pdf", "RESULT_PDF_INVALID"),
        (bytes(unsigned.output()), "RESULT_PDF_UNSIGNED"),
        (tampered, "RESULT_PDF_SIGNATURE_INVALID"),
    ):
        r = act(
            station,
            made[PDF_CODE]["id"],
            "stamp",
            CLERK,
            result_pdf_b64=base64.b64encode(body).decode(),
        )
        assert r.status_code == 422 and r.json()["code"] == code, (code, r.text)
    r = act(
        station, made[PDF_CODE]["id"], "stamp", CLERK, result_pdf_b64=base64.b64encode(pdf).decode()
    )
    assert r.status_code == 200 and r.json()["status"] == "stamped", r.text
    # Paper: a number and a date (a future date is refused).
    future = (vn_now().date() + datetime.timedelta(days=3)).isoformat()
    r = act(
        station,
        made[PAPER_CODE]["id"],
        "stamp",
        CLERK,
        paper_number="12/TLHT",
        paper_issued_on=future,
    )
    assert r.status_code == 422 and r.json()["field"] == "paper_issued_on", r.text
    today = vn_now().date().isoformat()
    for code in (PAPER_CODE, THIRD_CODE):
        r = act(
            station, made[code]["id"], "stamp", CLERK, paper_number="12/TLHT", paper_issued_on=today
        )
        assert r.status_code == 200, r.text
    auth = {"Authorization": f"Bearer {station.token(*CLERK)}"}
    kept = httpx.get(
        f"{station.url}/v1/dossiers/{made[PDF_CODE]['id']}/external-result", headers=auth
    ).json()
    assert kept["external_result"]["kind"] == "pdf"
    assert kept["external_result"]["signatures"][0]["signer"] == "Phần mềm một cửa tỉnh"
    paper = httpx.get(
        f"{station.url}/v1/dossiers/{made[PAPER_CODE]['id']}/external-result", headers=auth
    ).json()
    expected = {"kind": "paper", "number": "12/TLHT", "issued_on": today}
    assert expected.items() <= paper["external_result"].items()
    # Return and rating, unchanged.
    for m in made.values():
        r = act(station, m["id"], "return", CLERK, rating="satisfied")
        assert r.status_code == 200 and r.json()["status"] == "returned", r.text

    # The tablet receives the attached PDF byte for byte.
    rc, report = headless(tablet, "sync")
    assert rc == 0, report
    out = tmp_path / "result.pdf"
    rc, written = headless(tablet, "result", made[PDF_CODE]["id"], "--out", str(out))
    assert rc == 0, written
    assert out.read_bytes() == pdf
    rc, shown = headless(tablet, "show", made[PAPER_CODE]["id"])
    assert shown["status"] == "returned"
    # the paper result's number and date reached the tablet with the stamp
    assert shown["paper_result"] == {"number": "12/TLHT", "issued_on": today}
    rc, shown = headless(tablet, "show", made[PDF_CODE]["id"])
    assert shown["paper_result"] is None and shown["has_result"]

    # Reports count the imported procedures.
    start = (vn_now().date() - datetime.timedelta(days=1)).isoformat()
    end = (vn_now().date() + datetime.timedelta(days=1)).isoformat()
    rc, rep = admin(station.data, "report", "--from", start, "--to", end, "--format", "json")
    assert rc == 0, rep
    text = json.dumps(rep, ensure_ascii=False)
    for code in made:
        assert code in text
