"""The station's side of the legal register (docs/legal.md): the province's fee as a
setting (``admin fee-set``, through the door), receipts that list only papers that apply
and name the Trung tâm Phục vụ hành chính công, and the one-stop chứng thực chữ ký
statement naming the officer who received the dossier — all read back with pdftotext."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.checklist import every_component
from shared.procedures import sample_values
from shared.workdays import vn_now
from sync_server.services.core.station import Station

ROOT = Path(__file__).resolve().parents[2]
TT, CK = "1.004873", "2.000884"


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _received(tablet: Tablet, code: str, values: dict[str, Any]) -> dict[str, Any]:
    d = tablet.dossier(values, procedure=code)
    d["components_received"] = every_component(code, values)
    [result] = tablet.push([tablet.change(d)]).json()["results"]
    assert result["outcome"] == "applied", result
    return d


def _receipt(client: TestClient, as_user: Any, did: str) -> str:
    r = client.get(f"/v1/dossiers/{did}/receipt.pdf", headers=as_user("tiepnhan"))
    assert r.status_code == 200, r.text
    return _text(r.content)


def _admin(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server", "admin", "--data", str(data), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_provinces_fee_is_a_station_setting_and_the_receipt_never_says_free_by_default(
    client: TestClient, tablet: Tablet, as_user: Any, data_dir: Path, station: Station
) -> None:
    values = sample_values(TT, vn_now().date(), 2)
    d = _received(tablet, TT, values)
    text = _receipt(client, as_user, d["id"])
    assert "Lệ phí, phí phải nộp: theo Nghị quyết của HĐND tỉnh (trạm chưa cài đặt mức thu)" in (
        text
    )
    assert "miễn phí" not in text
    # the administrator records the resolution's amount (bad ones refused, nothing written)
    wrong = _admin(data_dir, "fee-set", "--procedure", "1.001193", "--vnd", "5000")
    assert wrong.returncode != 0 and "REQUEST_INVALID" in wrong.stdout + wrong.stderr
    negative = _admin(data_dir, "fee-set", "--procedure", TT, "--vnd", "-1")
    assert negative.returncode != 0
    ok = _admin(data_dir, "fee-set", "--procedure", TT, "--vnd", "15000")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {TT: 15000}
    assert "Lệ phí, phí phải nộp: 15.000 đồng" in _receipt(client, as_user, d["id"])
    # an exempt person (Luật Hộ tịch, Điều 11): no registration fee, said with its source
    exempt = _received(tablet, TT, {**values, "fee_exemption": "ho_ngheo"})
    said = _receipt(client, as_user, exempt["id"])
    assert "miễn lệ phí đăng ký (người thuộc hộ nghèo, Luật Hộ tịch 2014, Điều 11" in said


def test_the_receipt_names_the_centre_and_lists_no_paper_that_does_not_apply(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    values = sample_values(TT, vn_now().date(), 3)
    assert values["marital_status"] == "chua_ket_hon"
    d = _received(tablet, TT, values)
    text = _receipt(client, as_user, d["id"])
    assert "Trung tâm Phục vụ hành chính công xã Lai Vung đã tiếp nhận hồ sơ của:" in text
    assert "Bộ phận Một cửa" not in text
    assert "ly hôn" not in text  # the never-married person's receipt
    assert "Giấy tờ tùy thân của người yêu cầu" in text


def test_the_signature_statement_names_who_received_the_dossier(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = _received(tablet, CK, sample_values(CK, vn_now().date(), 1))
    for action, who in (
        ("start_appraisal", "thamdinh"),
        ("accept", "thamdinh"),
        ("approve", "lanhdao"),
        ("stamp", "vanthu"),
    ):
        r = client.post(
            f"/v1/dossiers/{d['id']}/actions", json={"action": action}, headers=as_user(who)
        )
        assert r.status_code == 200, (action, r.text)
    pdf = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu"))
    text = _text(pdf.content)
    # "tiepnhan" of the demo is Nguyễn Thị Lan; the demo leader is Lê Minh Tâm, Chủ tịch
    assert (
        "đã ký vào giấy tờ, văn bản này trước mặt ông/bà Nguyễn Thị Lan, là người tiếp nhận hồ sơ."
    ) in text
    assert "trước mặt tôi" not in text
    assert "Tôi Lê Minh Tâm, là Chủ tịch Ủy ban nhân dân xã Lai Vung." in text
