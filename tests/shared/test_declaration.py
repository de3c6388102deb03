"""The declarations (tờ khai) of the six procedures and the parties' marks on them.

Real PDFs from the shared renderer, read back with pdftotext and checked with qpdf; the
signature strokes must be vector paths in the page content; bad stroke data is refused
with a catalogued error, on the record's own decode too (a peer's pushed dossier).
"""

from __future__ import annotations

import math
import re
import subprocess
import unicodedata
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.catalogue import Procedure
from shared.documents.declaration import DeclarationInput, render_declaration
from shared.errors import TaiChoError
from shared.model import Dossier
from shared.procedures import builtin
from shared.samples import sample_codes, sample_values
from shared.signatures import (
    MAX_POINTS,
    SignatureMark,
    check_marks,
    require_all,
    signing_parties,
    unsigned,
)
from shared.validation import validate
from tests.shared.commune import UNIT

TODAY = date(2026, 11, 28)
TITLES = {
    "1.001193": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "1.000656": "TỜ KHAI ĐĂNG KÝ KHAI TỬ",
    "1.000894": "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
    "1.004873": "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
    "2.000815": "PHIẾU YÊU CẦU CHỨNG THỰC",
    "2.000884": "PHIẾU YÊU CẦU CHỨNG THỰC",
}
AT = "2026-11-28T09:15:00+07:00"
WAVE = [[[20 + i * 9, int(500 + 350 * math.sin(i / 6))] for i in range(100)], [[900, 150]]]


def _proc(code: str) -> Procedure:
    return builtin().get(code)


def _values(code: str) -> dict[str, Any]:
    return validate(_proc(code), sample_values(code, TODAY), TODAY).raise_if_invalid()


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode()).split())


def _content(pdf: bytes) -> str:
    """The page content streams, inflated (fpdf2 compresses them)."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def test_signing_parties_per_procedure() -> None:
    got = {c: [p.party for p in signing_parties(_proc(c))] for c in sample_codes()}
    assert got == {
        "1.000656": ["requester"],
        "1.000894": ["wife", "husband"],  # both parties sign for marriage
        "1.001193": ["requester"],
        "1.004873": ["subject"],
        "2.000815": ["requester"],
        "2.000884": ["signer"],
    }


@pytest.mark.parametrize("code", sorted(TITLES))
def test_each_declaration_is_filled_signed_and_round_trips(code: str, tmp_path: Path) -> None:
    proc, values = _proc(code), _values(code)
    marks = [SignatureMark(p.party, "signature", AT, WAVE) for p in signing_parties(proc)]
    pdf = render_declaration(
        DeclarationInput(proc, values, UNIT, marks, code="000.31.22.H20-261128-0007")
    )
    text = _pdf_text(pdf, tmp_path)
    assert TITLES[code] in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Kính gửi: Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp" in text
    assert "Làm tại: Lai Vung, ngày 28 tháng 11 năm 2026" in text
    assert "Mã hồ sơ: 000.31.22.H20-261128-0007" in text
    for p in signing_parties(proc):  # each signer's name under their signature
        assert str(values[p.name_field]) in text
    # Every filled identity number is printed, with its diacritics-free digits intact.
    for key, value in values.items():
        if key.endswith("_id_number") and value:
            assert str(value) in text
    # The strokes are vector lines: a 100-point stroke is one path of 99 "l" segments,
    # stroked ("S"), in the ink colour; the one-point stroke a filled dot.
    content = _content(pdf)
    segments = re.findall(r"[\d.]+ [\d.]+ l", content)
    assert len(segments) >= 99 * len(marks)
    assert "0.0627 0.1647 0.549 RG" in content
    assert subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).returncode == 0


def test_declaration_text_per_procedure(tmp_path: Path) -> None:
    ks = _pdf_text(
        render_declaration(DeclarationInput(_proc("1.001193"), _values("1.001193"), UNIT)), tmp_path
    )
    v = _values("1.001193")
    assert f"Họ, chữ đệm, tên: {v['child_full_name'].upper()}" in ks
    assert "Quan hệ với người được khai sinh: Mẹ" in ks
    assert (
        f"Đề nghị cấp bản sao Giấy khai sinh: Có, số lượng: {v['copies_requested']:02d} bản" in ks
    )
    assert "Tờ khai điền sẵn, chưa tiếp nhận" in ks  # no code yet
    kh = _pdf_text(
        render_declaration(DeclarationInput(_proc("1.000894"), _values("1.000894"), UNIT)), tmp_path
    )
    assert "Bên nữ" in kh and "Bên nam" in kh and "Kết hôn lần thứ mấy" in kh
    assert "việc kết hôn của chúng tôi là tự nguyện" in kh
    ct = _pdf_text(
        render_declaration(DeclarationInput(_proc("2.000884"), _values("2.000884"), UNIT)), tmp_path
    )
    assert "Yêu cầu chứng thực: Chữ ký trong giấy tờ, văn bản" in ct
    assert "Người yêu cầu chứng thực" in ct


def test_thumbprint_shows_the_box_and_the_witness(tmp_path: Path) -> None:
    proc = _proc("1.000894")
    marks = [
        SignatureMark("wife", "signature", AT, WAVE),
        SignatureMark("husband", "thumbprint", AT, [], "Nguyễn Văn Chứng"),
    ]
    pdf = render_declaration(DeclarationInput(proc, _values("1.000894"), UNIT, marks))
    text = _pdf_text(pdf, tmp_path)
    assert "Điểm chỉ (ngón trỏ phải)" in text
    assert "Người làm chứng: Nguyễn Văn Chứng" in text
    # only the wife's strokes are drawn
    assert len(re.findall(r"[\d.]+ [\d.]+ l", _content(pdf))) < 2 * 99


def test_same_input_same_bytes_and_the_date_comes_from_the_dossier() -> None:
    proc, values = _proc("1.000656"), _values("1.000656")
    marks = [SignatureMark("requester", "signature", AT, WAVE)]
    one = render_declaration(DeclarationInput(proc, values, UNIT, marks, code="X-1"))
    two = render_declaration(DeclarationInput(proc, values, UNIT, marks, code="X-1"))
    assert one == two
    assert b"D:20261128091500+07'00'" in one  # the creation date is the signing time


def _mark(**over: Any) -> dict[str, Any]:
    return {
        "party": "requester",
        "kind": "signature",
        "at": AT,
        "strokes": [[[1, 2], [3, 4]]],
        **over,
    }


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"strokes": [[[1, 2, 3]]]}, "SIGNATURE_INVALID"),  # a point is [x, y]
        ({"strokes": [[]]}, "SIGNATURE_INVALID"),  # an empty stroke
        ({"strokes": []}, "SIGNATURE_INVALID"),  # an empty pad is no signature
        ({"strokes": [[[5, 5]] * 1000] * 5}, "SIGNATURE_INVALID"),  # > MAX_POINTS
        ({"strokes": [[[1, 1]]] * 61}, "SIGNATURE_INVALID"),  # too many strokes
        ({"kind": "paper"}, "SIGNATURE_INVALID"),  # paper has no strokes
        ({"kind": "thumbprint", "strokes": []}, "SIGNATURE_WITNESS_REQUIRED"),
        ({"kind": "thumbprint", "strokes": [], "witness_name": "  "}, "SIGNATURE_WITNESS_REQUIRED"),
        ({"strokes": [[[1, 1001]]]}, "REQUEST_INVALID"),  # out of the pad
        ({"strokes": [[[1.5, 2]]]}, "REQUEST_INVALID"),  # not an integer
        ({"strokes": [[[True, 2]]]}, "REQUEST_INVALID"),
        ({"kind": "stamp"}, "REQUEST_INVALID"),
    ],
)
def test_bad_marks_are_refused_with_a_catalogued_error(over: dict[str, Any], code: str) -> None:
    assert MAX_POINTS < 5 * 1000
    with pytest.raises(TaiChoError) as exc:
        SignatureMark.from_dict(_mark(**over))
    assert exc.value.code == code
    assert exc.value.message("vi") and exc.value.message("en")


def test_a_pushed_dossier_with_bad_strokes_does_not_decode() -> None:
    base = {
        "id": "x",
        "code": "C",
        "procedure": "1.001193",
        "procedure_version": 2,
        "values": {},
        "status": "received",
        "version": 1,
        "base_version": 0,
        "device_id": "d",
        "received_by": "u",
        "received_at": AT,
        "due_at": AT,
    }
    assert Dossier.from_dict(base).signatures == []  # older dossiers parse
    ok = Dossier.from_dict({**base, "signatures": [_mark()]})
    assert ok.signatures[0].strokes == [[[1, 2], [3, 4]]]
    assert Dossier.from_dict(ok.to_dict()) == ok
    with pytest.raises(TaiChoError) as exc:
        Dossier.from_dict({**base, "signatures": [_mark(strokes=[[[1, 2, 3]]])]})
    assert exc.value.code == "SIGNATURE_INVALID"
    assert exc.value.field == "signatures[0].strokes[0][0]"


def test_marks_against_the_procedure() -> None:
    proc = _proc("1.000894")
    wife = SignatureMark("wife", "signature", AT, WAVE)
    husband = SignatureMark("husband", "paper", AT)
    assert [p.party for p in unsigned(proc, [wife])] == ["husband"]
    with pytest.raises(TaiChoError) as exc:
        require_all(proc, [wife])
    assert exc.value.code == "SIGNATURE_MISSING" and "bên nam" in exc.value.message("vi")
    assert [m.party for m in require_all(proc, [husband, wife])] == ["wife", "husband"]
    with pytest.raises(TaiChoError) as exc:
        check_marks(proc, [SignatureMark("requester", "paper", AT)])
    assert exc.value.code == "SIGNATURE_PARTY_UNKNOWN"
    with pytest.raises(TaiChoError) as exc:
        check_marks(proc, [wife, wife])
    assert exc.value.code == "SIGNATURE_INVALID"
