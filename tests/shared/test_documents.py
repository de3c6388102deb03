"""The official-document base and the Giấy khai sinh, checked with poppler and qpdf."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from shared.documents.birth_result import ResultMeta, render_birth_result
from shared.documents.official import (
    FONT_DIR,
    FONT_FAMILY,
    QUOC_HIEU,
    SEAL_RADIUS,
    TIEU_NGU,
    OfficialDocument,
)
from shared.numwords import date_to_words

TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "qpdf")
needs_tools = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TOOLS), reason="poppler-utils / qpdf not installed"
)

MM = 72 / 25.4  # PDF points per mm


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def vietnamese_letters() -> str:
    """Every Vietnamese letter with every tone, lower then upper case (NFC)."""
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    lower = sorted({nfc(v + t) for v in "aăâeêioôơuưy" for t in tones} | set("bcdđghklmnpqrstvx"))
    s = "".join(lower)
    return s + s.upper()


def run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return done.stdout


def pdftext(path: Path) -> str:
    return nfc(run("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def sample_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "child_full_name": "Lê Nguyễn Ánh Tuyết",
        "child_birth_date": "2026-11-05",
        "child_sex": "nu",
        "child_ethnicity": "Kinh",
        "child_nationality": "Việt Nam",
        "child_birth_place": "Bệnh viện Đa khoa khu vực Sa Đéc, tỉnh Đồng Tháp",
        "child_hometown": "Xã Định Yên, tỉnh Đồng Tháp",
        "child_personal_id": "087326001234",
        "mother_full_name": "Trần Thị Ngọc Hằng",
        "mother_birth_year": 1996,
        "mother_ethnicity": "Kinh",
        "mother_nationality": "Việt Nam",
        "mother_residence": "Ấp An Lạc, xã Định Yên, tỉnh Đồng Tháp",
        "father_known": True,
        "father_full_name": "Lê Hoàng Phúc",
        "father_birth_year": 1993,
        "father_ethnicity": "Kinh",
        "father_nationality": "Việt Nam",
        "father_residence": "Ấp An Lạc, xã Định Yên, tỉnh Đồng Tháp",
        "requester_full_name": "Lê Hoàng Phúc",
        "requester_relationship": "cha",
        "requester_id_number": "087093004567",
        "copies_requested": 2,
    }
    values.update(changes)
    return values


META = ResultMeta(
    agency_lines=("UỶ BAN NHÂN DÂN", "XÃ ĐỊNH YÊN"),
    province="Đồng Tháp",
    place_name="Định Yên",
    register_number="123",
    register_book="01/2026",
    registered_on=datetime.date(2026, 11, 25),
    registration_office="UBND xã Định Yên, tỉnh Đồng Tháp",
    signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    signer_name="Nguyễn Văn Thành",
    dossier_code="000.00.06.H56-261125-0361",
    verify_text="Tra cứu: taicho.dinhyen.gov.vn/kq/000.00.06.H56-261125-0361",
)


def write(tmp_path: Path, pdf: bytes, name: str = "gks.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


# --- fonts ---------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["Regular", "Bold", "Italic", "BoldItalic"])
def test_font_covers_every_vietnamese_letter(style: str) -> None:
    with TTFont(FONT_DIR / f"LiberationSerif-{style}.ttf") as font:
        cmap = font.getBestCmap()
    missing = [c for c in vietnamese_letters() if ord(c) not in cmap]
    assert missing == []


def test_fonts_ship_with_licence() -> None:
    licence = (FONT_DIR / "LICENSE-LiberationSerif.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Red Hat" in licence
    assert (FONT_DIR / "README.md").is_file()


@needs_tools
def test_every_vietnamese_letter_survives_copy_paste(tmp_path: Path) -> None:
    letters = vietnamese_letters()
    pdf = OfficialDocument()
    pdf.add_page()
    for style in ("", "B", "I", "BI"):
        pdf.set_font(FONT_FAMILY, style, 13)
        pdf.multi_cell(0, 7, letters, new_x="LMARGIN", new_y="NEXT")
    path = write(tmp_path, bytes(pdf.output()), "letters.pdf")
    text = run("pdftotext", "-enc", "UTF-8", str(path), "-")
    # Each style's run of letters comes back whole and in order (wrapped lines joined).
    assert nfc(re.sub(r"\s", "", text)) == letters * 4
    fonts = run("pdffonts", str(path))
    for face in (
        "LiberationSerif ",
        "LiberationSerifBold ",
        "LiberationSerifItalic ",
        "LiberationSerifBoldItalic ",
    ):
        assert face in fonts


# --- the Giấy khai sinh ---------------------------------------------------------------


@needs_tools
def test_birth_result_complete(tmp_path: Path) -> None:
    path = write(tmp_path, render_birth_result(sample_values(), META))
    text = pdftext(path)
    assert text == nfc(text)
    for expected in (
        QUOC_HIEU,
        TIEU_NGU,
        "UỶ BAN NHÂN DÂN",
        "XÃ ĐỊNH YÊN",
        "Số: 123",
        "Quyển số: 01/2026",
        "Định Yên, ngày 25 tháng 11 năm 2026",
        "GIẤY KHAI SINH",
        "(Bản chính)",
        "Họ, chữ đệm, tên: LÊ NGUYỄN ÁNH TUYẾT",
        "Ngày, tháng, năm sinh: 05/11/2026",
        "Ngày năm, tháng mười một, năm hai nghìn không trăm hai mươi sáu",
        "Giới tính: Nữ",
        "Nơi sinh: Bệnh viện Đa khoa khu vực Sa Đéc, tỉnh Đồng Tháp",
        "Quê quán: Xã Định Yên, tỉnh Đồng Tháp",
        "Số định danh cá nhân: 087326001234",
        "Họ, chữ đệm, tên người mẹ: Trần Thị Ngọc Hằng",
        "Năm sinh: 1996",
        "Nơi cư trú: Ấp An Lạc, xã Định Yên, tỉnh Đồng Tháp",
        "Họ, chữ đệm, tên người cha: Lê Hoàng Phúc",
        "Năm sinh: 1993",
        "Họ, chữ đệm, tên người đi đăng ký khai sinh: Lê Hoàng Phúc",
        "Quan hệ với người được khai sinh: Cha",
        "087093004567",
        "Nơi đăng ký khai sinh: UBND xã Định Yên, tỉnh Đồng Tháp",
        "Ngày, tháng, năm đăng ký: 25/11/2026",
        "NGƯỜI KÝ GIẤY KHAI SINH",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Thành",
        "Mã hồ sơ: 000.00.06.H56-261125-0361",
    ):
        assert nfc(expected) in text, expected
    # The verification text sits in a narrow column beside its QR code: it may wrap.
    assert re.sub(r"\s", "", nfc(META.verify_text or "")) in re.sub(r"\s", "", text)
    # The seal's lettering is drawn as outlines: it must not leak into the text.
    assert "TỈNH ĐỒNG THÁP" not in text
    assert text.count("XÃ ĐỊNH YÊN") == 1

    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts, "no fonts listed"
    for row in fonts:
        name, *_, emb, _sub, _uni, _obj, _gen = row.split()
        assert "LiberationSerif" in name and emb == "yes", row

    assert "No syntax or stream encoding errors found" in run("qpdf", "--check", str(path))

    info = run("pdfinfo", str(path))
    assert re.search(r"Pages:\s+1\n", info)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None
    assert abs(float(size[1]) - 595.28) < 0.5 and abs(float(size[2]) - 841.89) < 0.5


@needs_tools
def test_birth_result_without_father(tmp_path: Path) -> None:
    values = {k: v for k, v in sample_values().items() if not k.startswith("father_")}
    values["father_known"] = False
    values["requester_full_name"] = "Trần Thị Ngọc Hằng"
    values["requester_relationship"] = "me"
    values["requester_id_number"] = "087196001111"
    text = pdftext(write(tmp_path, render_birth_result(values, META)))
    assert "Họ, chữ đệm, tên người mẹ: Trần Thị Ngọc Hằng" in text
    assert "Quan hệ với người được khai sinh: Mẹ" in text
    father = re.search(r"Họ, chữ đệm, tên người cha:(.*)\n", text)
    assert father is not None and father[1].strip() == ""
    assert "Lê Hoàng Phúc" not in text
    assert "1993" not in text
    # The father's lines are printed with empty values, like the paper form.
    assert text.count("Năm sinh:") == 2 and text.count("Nơi cư trú:") == 2


@needs_tools
def test_father_values_ignored_when_father_unknown(tmp_path: Path) -> None:
    values = sample_values(father_known=False)  # stale values left in the dossier
    text = pdftext(write(tmp_path, render_birth_result(values, META)))
    assert "người cha: Lê Hoàng Phúc" not in text


@needs_tools
def test_long_birth_place_wraps_inside_margins(tmp_path: Path) -> None:
    place = (
        "Trạm Y tế xã Định Yên (cũ), nay là Điểm y tế Định Yên thuộc Trung tâm Y tế khu vực "
        "Lấp Vò, số 123 đường Nguyễn Thị Minh Khai, ấp An Lạc, xã Định Yên, tỉnh Đồng Tháp, "
        "nước Cộng hòa Xã hội Chủ nghĩa Việt Nam — sinh trên đường chuyển viện bằng xuồng "
        "máy của ông Huỳnh Văn Tư ở rạch Cái Tàu Thượng"
    )
    path = write(tmp_path, render_birth_result(sample_values(child_birth_place=place), META))
    info = run("pdfinfo", str(path))
    assert re.search(r"Pages:\s+1\n", info)
    text = pdftext(path)
    assert squash(f"Nơi sinh: {place}") in squash(text)
    assert "Quê quán: Xã Định Yên, tỉnh Đồng Tháp" in text
    # Every word lies between the left (30 mm) and right (15 mm) margins.
    bbox = run("pdftotext", "-bbox", str(path), "-")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', bbox)
    assert len(words) > 100
    for x_min, x_max in words:
        assert float(x_min) >= 30 * MM - 0.5
        assert float(x_max) <= 595.28 - 15 * MM + 0.5


@needs_tools
def test_birth_date_words_given_or_computed(tmp_path: Path) -> None:
    given = "Ngày năm, tháng mười một, năm hai nghìn không trăm hai mươi sáu"
    a = pdftext(write(tmp_path, render_birth_result(sample_values(), META), "a.pdf"))
    b = pdftext(
        write(
            tmp_path,
            render_birth_result(sample_values(child_birth_date_words=given), META),
            "b.pdf",
        )
    )
    assert date_to_words(datetime.date(2026, 11, 5)) == nfc(given)
    assert nfc(given) in a and nfc(given) in b


def test_output_is_deterministic() -> None:
    assert render_birth_result(sample_values(), META) == render_birth_result(sample_values(), META)


def test_output_without_qr_and_with_signer_as_chairman() -> None:
    meta = ResultMeta(**{**META.__dict__, "verify_text": None, "signer_title": "CHỦ TỊCH"})
    pdf = render_birth_result(sample_values(), meta)
    assert pdf.startswith(b"%PDF-")


def test_bad_birth_date_is_rejected() -> None:
    with pytest.raises(ValueError):
        render_birth_result(sample_values(child_birth_date="05/11/2026"), META)


def test_seal_overlaps_left_third_of_signature() -> None:
    pdf = OfficialDocument()
    pdf.add_page()
    box = pdf.signature_block("CHỦ TỊCH", "Nguyễn Văn Thành", seal_lines=("UBND XÃ ĐỊNH YÊN",))
    assert box.seal_centre is not None
    sx, sy = box.seal_centre
    sig_left = box.x + box.w / 2 - 22.0  # the signature: the middle 44 mm of the column
    right_edge = sx + SEAL_RADIUS
    assert sig_left < right_edge <= sig_left + 44.0 / 3 + 0.01
    assert box.signature_top < sy < box.signature_bottom
    assert sx + SEAL_RADIUS <= pdf.w - pdf.r_margin and sx - SEAL_RADIUS >= pdf.l_margin
    assert bytes(pdf.output()).startswith(b"%PDF-")


def test_header_rejects_missing_agency() -> None:
    pdf = OfficialDocument()
    pdf.add_page()
    with pytest.raises(ValueError):
        pdf.official_header(())
    pdf.discard()


def test_values_too_long_for_one_page_are_rejected() -> None:
    place = "ấp An Lạc, xã Định Yên, tỉnh Đồng Tháp; " * 120
    with pytest.raises(ValueError, match="one-page"):
        render_birth_result(sample_values(child_birth_place=place), META)
