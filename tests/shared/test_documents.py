"""The official-document base and the Giấy khai sinh, checked with poppler and qpdf."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from shared.documents.official import (
    FONT_DIR,
    FONT_FAMILY,
    QUOC_HIEU,
    SEAL_RADIUS,
    TIEU_NGU,
    GlyphOutlines,
    OfficialDocument,
)
from shared.documents.result import DEMO_WATERMARK, RenderedResult, ResultMeta
from shared.numwords import date_to_words
from shared.procedures import builtin, bundle

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


def render_full(values: dict[str, Any], meta: ResultMeta, demo: bool = False) -> RenderedResult:
    return bundle("1.001193").render(values, meta, demo=demo)


def render_birth_result(values: dict[str, Any], meta: ResultMeta, demo: bool = False) -> bytes:
    return render_full(values, meta, demo).pdf


def sample_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "child_full_name": "Lê Nguyễn Ánh Tuyết",
        "child_birth_date": "2026-11-05",
        "child_sex": "nu",
        "child_ethnicity": "Kinh",
        "child_nationality": "VN",
        "child_birth_place": "Bệnh viện Đa khoa khu vực Sa Đéc, tỉnh Đồng Tháp",
        "child_hometown": "Xã Lai Vung, tỉnh Đồng Tháp",
        "child_personal_id": "087326001234",
        "mother_full_name": "Trần Thị Ngọc Hằng",
        "mother_birth_date": "1996",
        "mother_ethnicity": "Kinh",
        "mother_nationality": "VN",
        "mother_residence": "Ấp An Lạc, xã Lai Vung, tỉnh Đồng Tháp",
        "father_known": True,
        "father_full_name": "Lê Hoàng Phúc",
        "father_birth_date": "1993-02-14",
        "father_ethnicity": "Kinh",
        "father_nationality": "VN",
        "father_residence": "Ấp An Lạc, xã Lai Vung, tỉnh Đồng Tháp",
        "requester_full_name": "Lê Hoàng Phúc",
        "requester_relationship": "cha",
        "requester_id_type": "cccd",
        "requester_id_number": "087093004567",
        "copies_requested": 2,
    }
    values.update(changes)
    return values


# The notes page's title, from the GIẤY KHAI SINH's layout (result.json).
NOTES_TITLE = bundle("1.001193").result.notes_title  # type: ignore[union-attr]
META = ResultMeta(
    agency_lines=("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG"),
    province="Đồng Tháp",
    place_name="Lai Vung",
    register_number="123",
    register_book="01/2026",
    registered_on=datetime.date(2026, 11, 25),
    registration_office="UBND xã Lai Vung, tỉnh Đồng Tháp",
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


@needs_tools
def test_letters_outside_the_reduced_font_still_come_back(tmp_path: Path) -> None:
    """Documents embed their glyphs from a reduced copy of the font (Latin, Vietnamese,
    punctuation); a name with a letter outside it (Greek, Cyrillic) switches that
    document to the full font file (without it, fontTools refuses to subset glyphs the
    reduced file lacks and the output fails), and the text still copies out whole."""
    rare = nfc("Nguyễn Ωmega Жуков ǅ")
    pdf = OfficialDocument()
    pdf.add_page()
    pdf.multi_cell(0, 7, rare, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.multi_cell(0, 7, "Bình thường", new_x="LMARGIN", new_y="NEXT")
    raw = bytes(pdf.output())
    path = write(tmp_path, raw, "rare.pdf")
    text = nfc(run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    assert rare in text and "Bình thường" in text


def test_each_document_has_its_own_font_state() -> None:
    """The parsed font is shared between documents; what fpdf2 changes while it writes
    one (the subset of glyphs used, the embedded font object) is not."""
    first, second = OfficialDocument(), OfficialDocument()
    for doc, words in ((first, "Ấp An Hòa"), (second, "Xyz")):
        doc.add_page()
        doc.cell(0, 7, words)
    a, b = first.fonts["liberationserif"], second.fonts["liberationserif"]
    assert a is not b and a.ttfont is not b.ttfont and a.subset is not b.subset
    assert a.cmap is b.cmap  # read-only tables are shared
    one = bytes(first.output())
    assert b"/FontFile2" in one and not second.buffer  # the second is still open
    used = set(second.fonts["liberationserif"].subset.get_all_glyph_names())
    assert {"X", "y", "z"} <= used and "Abreve" not in used
    assert bytes(second.output()).startswith(b"%PDF")


def test_glyph_outlines_drawn_from_many_threads_match_one_thread() -> None:
    """Issue 22: a TTFont shared by request threads decompiled glyphs twice at once
    (KeyError 'uni0309', "'Glyph' object has no attribute 'flags'"). Fresh outline sets
    read by eight threads at once give exactly what one thread reads."""
    letters = "".join(vietnamese_letters()) + "\u0309\u0323 0123456789"
    serial = GlyphOutlines("B")
    expected = {ch: serial.glyph(ch) for ch in letters}
    for _ in range(3):
        shared_set = GlyphOutlines("B")  # cold: the font is not even open yet
        start = threading.Barrier(8)

        def read(
            offset: int, outlines: GlyphOutlines = shared_set, start: threading.Barrier = start
        ) -> dict[str, Any]:
            start.wait()
            order = letters[offset:] + letters[:offset]
            return {ch: outlines.glyph(ch) for ch in order}

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(read, range(0, 80, 10)))
        assert all(r == expected for r in results)
    assert all(g.commands for ch, g in expected.items() if not ch.isspace())


# --- the Giấy khai sinh ---------------------------------------------------------------


@needs_tools
def test_birth_result_complete(tmp_path: Path) -> None:
    path = write(tmp_path, render_birth_result(sample_values(), META))
    text = pdftext(path)
    assert text == nfc(text)
    for expected in (
        QUOC_HIEU,
        TIEU_NGU,
        "GIẤY KHAI SINH",
        "Số: 123",
        "Họ, chữ đệm, tên: LÊ NGUYỄN ÁNH TUYẾT",
        "Ngày, tháng, năm sinh: 05/11/2026",
        "Ngày, tháng, năm sinh bằng chữ: Ngày năm, tháng mười một, năm hai nghìn không trăm",
        "Giới tính: Nữ",
        "Dân tộc: Kinh",
        "Quốc tịch: Việt Nam",
        "Nơi sinh: Bệnh viện Đa khoa khu vực Sa Đéc, tỉnh Đồng Tháp",
        "Quê quán: Xã Lai Vung, tỉnh Đồng Tháp",
        "Số định danh cá nhân: 087326001234",
        "Họ, chữ đệm, tên người mẹ: TRẦN THỊ NGỌC HẰNG",
        "Ngày, tháng, năm sinh: 1996",
        "Nơi cư trú: Ấp An Lạc, xã Lai Vung, tỉnh Đồng Tháp",
        "Họ, chữ đệm, tên người cha: LÊ HOÀNG PHÚC",
        "Ngày, tháng, năm sinh: 14/02/1993",
        "Họ, chữ đệm, tên người đi khai sinh: Lê Hoàng Phúc",
        "Giấy tờ tùy thân: Số định danh cá nhân 087093004567",
        "Nơi đăng ký khai sinh: UBND xã Lai Vung, tỉnh Đồng Tháp",
        "Ngày, tháng, năm đăng ký: 25/11/2026",
        "NGƯỜI KÝ GIẤY KHAI SINH",
        "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Thành",
        "Mã hồ sơ: 000.00.06.H56-261125-0361",
        NOTES_TITLE,
    ):
        assert nfc(expected) in squash(text), expected
    # The official form: no letterhead, no hash or verification line, no drawn seal, no
    # watermark unless asked for.
    for absent in ("ỦY BAN NHÂN DÂN", "SHA-256", "Tra cứu", "TỈNH ĐỒNG THÁP", "MẪU"):
        assert absent not in text, absent
    # Fields in the template's order.
    order = [
        "Họ, chữ đệm, tên:",
        "Ngày, tháng, năm sinh:",
        "Ngày, tháng, năm sinh bằng chữ:",
        "Giới tính:",
        "Nơi sinh:",
        "Quê quán:",
        "Số định danh cá nhân:",
        "người mẹ:",
        "người cha:",
        "người đi khai sinh:",
        "Giấy tờ tùy thân:",
        "Nơi đăng ký khai sinh:",
        "Ngày, tháng, năm đăng ký:",
        "NGƯỜI KÝ GIẤY KHAI SINH",
    ]
    positions = [squash(text).index(nfc(label)) for label in order]
    assert positions == sorted(positions)

    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts, "no fonts listed"
    for row in fonts:
        name, *_, emb, _sub, _uni, _obj, _gen = row.split()
        assert "LiberationSerif" in name and emb == "yes", row

    assert "No syntax or stream encoding errors found" in run("qpdf", "--check", str(path))

    info = run("pdfinfo", str(path))
    assert re.search(r"Pages:\s+2\n", info)  # the certificate and the notes page
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
    assert "Họ, chữ đệm, tên người mẹ: TRẦN THỊ NGỌC HẰNG" in text
    assert "Họ, chữ đệm, tên người đi khai sinh: Trần Thị Ngọc Hằng" in text
    father = re.search(r"Họ, chữ đệm, tên người cha:(.*)\n", text)
    assert father is not None and father[1].strip() == ""
    assert "LÊ HOÀNG PHÚC" not in text
    assert "1993" not in text
    # The father's lines are printed with empty values, like the paper form.
    assert text.count("Ngày, tháng, năm sinh:") == 3 and text.count("Nơi cư trú:") == 2


@needs_tools
def test_father_values_ignored_when_father_unknown(tmp_path: Path) -> None:
    values = sample_values(father_known=False)  # stale values left in the dossier
    text = pdftext(write(tmp_path, render_birth_result(values, META)))
    assert "người cha: LÊ HOÀNG PHÚC" not in text


@needs_tools
def test_long_birth_place_wraps_inside_margins(tmp_path: Path) -> None:
    place = (
        "Trạm Y tế xã Lai Vung (cũ), nay là Điểm y tế Lai Vung thuộc Trung tâm Y tế khu vực "
        "Lấp Vò, số 123 đường Nguyễn Thị Minh Khai, ấp An Lạc, xã Lai Vung, tỉnh Đồng Tháp, "
        "nước Cộng hòa Xã hội Chủ nghĩa Việt Nam — sinh trên đường chuyển viện bằng xuồng "
        "máy của ông Huỳnh Văn Tư ở rạch Cái Tàu Thượng"
    )
    path = write(tmp_path, render_birth_result(sample_values(child_birth_place=place), META))
    info = run("pdfinfo", str(path))
    assert re.search(r"Pages:\s+2\n", info)  # the certificate still fits its page
    text = pdftext(path).split("\f")[0]
    assert squash(f"Nơi sinh: {place}") in squash(text)
    assert "Quê quán: Xã Lai Vung, tỉnh Đồng Tháp" in text
    # Every word lies between the left (30 mm) and right (15 mm) margins.
    bbox = run("pdftotext", "-bbox", "-l", "1", str(path), "-")
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
    assert nfc(given) in squash(a) and nfc(given) in squash(b)


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
    box = pdf.signature_block("CHỦ TỊCH", "Nguyễn Văn Thành", seal_lines=("UBND XÃ LAI VUNG",))
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
    place = "ấp An Lạc, xã Lai Vung, tỉnh Đồng Tháp; " * 120
    with pytest.raises(ValueError, match="one-page"):
        render_birth_result(sample_values(child_birth_place=place), META)


@needs_tools
def test_demo_watermark_on_every_page(tmp_path: Path) -> None:
    path = write(tmp_path, render_birth_result(sample_values(), META, demo=True))
    for page in ("1", "2"):
        raw = run("pdftotext", "-raw", "-f", page, "-l", page, str(path), "-")
        # drawn rotated: pdftotext gives it back in pieces
        assert DEMO_WATERMARK.replace(" ", "") in "".join(raw.split()), page


@needs_tools
def test_signature_room_is_left_blank(tmp_path: Path) -> None:
    out = render_full(sample_values(), META)
    path = write(tmp_path, out.pdf)
    box = out.boxes.leader
    assert box.page == 0 and box.w >= 50 and box.h >= 25
    # The room lies in the right column, under the title and above the signer's name.
    assert box.x >= 30 + 65 - 0.5 and box.x + box.w <= 210 - 15 + 0.5
    bbox = run("pdftotext", "-bbox", "-l", "1", str(path), "-")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
        bbox,
    )
    inside = [
        w
        for *xy, w in words
        if float(xy[0]) < (box.x + box.w) * MM
        and float(xy[2]) > box.x * MM
        and float(xy[1]) < (box.y + box.h) * MM
        and float(xy[3]) > box.y * MM
    ]
    assert inside == []
    name_y = [float(y0) for _x0, y0, _x1, _y1, w in words if w == "Thành"]
    assert name_y and name_y[0] > (box.y + box.h) * MM
    seal = out.boxes.seal
    assert seal.x < box.x + box.w / 3 <= seal.x + seal.w  # over the left third
    x1, _y1, x2, y2 = box.pdf_rect()
    assert abs((x2 - x1) - box.w * MM) < 0.1 and abs(y2 - (297 - box.y) * MM) < 0.1


def test_choice_labels_come_from_the_bundle() -> None:
    p = builtin().get("1.001193")
    assert p.field("requester_relationship").choice_label("nguoi_than") == ("Người thân thích khác")
