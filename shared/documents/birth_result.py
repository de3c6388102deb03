"""The result of procedure 1.001193 Đăng ký khai sinh: the GIẤY KHAI SINH (bản chính).

:func:`render_birth_result` lays the dossier's field values out like the official form:
header (agency, Số, Quyển số | Quốc hiệu, tiêu ngữ, place and date), the title, the
child, the mother, the father (labels with empty values when the father is not known),
who registered, where and when, the signature block with the commune's red seal over
its left third, and at the bottom the dossier code and, optionally, a QR code with a
verification text.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import segno

from shared.documents.official import (
    BODY_SIZE,
    LINE_H,
    OfficialDocument,
    nfc,
)
from shared.numwords import date_to_words

__all__ = ["ResultMeta", "render_birth_result"]


@dataclass(frozen=True)
class ResultMeta:
    """What the office adds to a dossier's values to issue the result."""

    agency_lines: tuple[str, ...]  # ("UỶ BAN NHÂN DÂN", "XÃ ĐỊNH YÊN")
    province: str  # "Đồng Tháp"
    place_name: str  # in the date line: "Định Yên"
    register_number: str  # "123" → "Số: 123"
    register_book: str  # "01/2026" → "Quyển số: 01/2026"
    registered_on: datetime.date
    registration_office: str  # "UBND xã Định Yên, tỉnh Đồng Tháp"
    signer_title: str  # "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    signer_name: str
    dossier_code: str  # "000.00.06.H56-231027-0361"
    verify_text: str | None = None  # printed as a small QR code and as text


SEX = {"nam": "Nam", "nu": "Nữ"}
RELATIONSHIP = {
    "cha": "Cha",
    "me": "Mẹ",
    "ong": "Ông",
    "ba": "Bà",
    "nguoi_than": "Người thân",
    "khac": "Khác",
}


def place_date_line(place: str, day: datetime.date) -> str:
    """ "Định Yên, ngày 25 tháng 11 năm 2026" (days and months below 10 with a zero, as
    Nghị định 30 asks for the place-and-date line)."""
    return nfc(f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}")


def _text(values: Mapping[str, object], key: str) -> str:
    value = values.get(key)
    if value is None or isinstance(value, bool):
        return ""
    return nfc(str(value).strip())


def _iso_date(values: Mapping[str, object], key: str) -> datetime.date:
    value = values.get(key)
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{key} must be an ISO date string, got {value!r}")
    return datetime.date.fromisoformat(value)


def _id_document(number: str) -> str:
    digits = number.replace(" ", "")
    if digits.isdigit() and len(digits) == 12:
        return f"Căn cước/CCCD số {digits}"
    if digits.isdigit() and len(digits) == 9:
        return f"Chứng minh nhân dân số {digits}"
    return number


class _BirthCertificate(OfficialDocument):
    line_h: float = LINE_H

    def field_line(self, *parts: tuple[str, str, str]) -> None:
        """One line of ``(label, value, value_style)`` parts, written as flowing text.

        Long values wrap with a hanging indent, never past the right margin.
        """
        left = float(self.l_margin)
        self.set_x(left)
        self.l_margin = left + 8.0  # continuation lines are indented
        try:
            for i, (label, value, style) in enumerate(parts):
                if i:
                    self.use("", BODY_SIZE)
                    self.write(self.line_h, "    ")
                self.use("", BODY_SIZE)
                self.write(self.line_h, nfc(f"{label}: "))
                if value:
                    self.use(style, BODY_SIZE)
                    self.write(self.line_h, nfc(value))
        finally:
            self.l_margin = left
        self.ln(self.line_h)
        self.use()

    def draw_qr(self, x: float, y: float, text: str, size: float) -> float:
        """A QR code of ``text``, ``size`` mm wide (quiet zone included), as vectors."""
        qr = segno.make(text, error="m", micro=False)
        matrix = [list(row) for row in qr.matrix]
        border = 2
        modules = len(matrix) + 2 * border
        m = size / modules
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    self.rect(
                        x + (border + start) * m,
                        y + (border + r) * m,
                        (c - start) * m,
                        m,
                        style="F",
                    )
                else:
                    c += 1
        return size


# Line heights (mm) tried in turn until the certificate fits on one page: long values
# (a birth place of several lines) get slightly tighter lines rather than a second page.
_LINE_HEIGHTS = (LINE_H, 6.5, 6.0, 5.6)


def render_birth_result(values: Mapping[str, object], meta: ResultMeta) -> bytes:
    """Render the GIẤY KHAI SINH (bản chính) of a dossier as PDF bytes (one A4 page).

    ``values`` are the dossier's field values of procedure 1.001193 (strings, ints,
    bools; dates as ISO "YYYY-MM-DD"). The output is deterministic: the PDF's creation
    date is ``meta.registered_on``. Raises ``ValueError`` for a missing or malformed
    birth date, or values too long to fit the page even with the tightest lines.
    """
    for line_h in _LINE_HEIGHTS:
        pdf = _layout(values, meta, line_h)
        if pdf.page_no() == 1:
            return bytes(pdf.output())
        pdf.discard()
    raise ValueError("the values are too long for a one-page Giấy khai sinh")


def _layout(values: Mapping[str, object], meta: ResultMeta, line_h: float) -> _BirthCertificate:
    birth = _iso_date(values, "child_birth_date")
    birth_words = _text(values, "child_birth_date_words") or date_to_words(birth)
    sex_code = _text(values, "child_sex").lower()
    sex = SEX.get(sex_code, _text(values, "child_sex"))
    relationship_code = _text(values, "requester_relationship")
    relationship = RELATIONSHIP.get(relationship_code, relationship_code)
    father_known = values.get("father_known") is not False

    pdf = _BirthCertificate(
        title="Giấy khai sinh",
        subject=f"{_text(values, 'child_full_name')} — mã hồ sơ {meta.dossier_code}",
        author=meta.registration_office,
        created=meta.registered_on,
    )
    pdf.line_h = line_h
    pdf.add_page()
    pdf.official_header(
        meta.agency_lines,
        number=f"Số: {meta.register_number}",
        extra_left=(f"Quyển số: {meta.register_book}",),
        place_date=place_date_line(meta.place_name, meta.registered_on),
    )

    # Title.
    y = pdf.get_y() + 6.0
    x0, w0 = float(pdf.l_margin), pdf.content_width
    y = pdf.centred_lines(x0, w0, y, "GIẤY KHAI SINH", style="B", size=16, h=8.0)
    y = pdf.centred_lines(x0, w0, y, "(Bản chính)", style="I", size=BODY_SIZE)
    pdf.set_xy(x0, y + 4.0)

    # The child.
    line = pdf.field_line
    line(("Họ, chữ đệm, tên", _text(values, "child_full_name").upper(), "B"))
    line(("Ngày, tháng, năm sinh", birth.strftime("%d/%m/%Y"), "B"))
    line(("Ghi bằng chữ", birth_words, ""))
    line(
        ("Giới tính", sex, ""),
        ("Dân tộc", _text(values, "child_ethnicity"), ""),
        ("Quốc tịch", _text(values, "child_nationality"), ""),
    )
    line(("Nơi sinh", _text(values, "child_birth_place"), ""))
    line(("Quê quán", _text(values, "child_hometown"), ""))
    line(("Số định danh cá nhân", _text(values, "child_personal_id"), ""))

    # The parents.
    for who, prefix, known in (("mẹ", "mother", True), ("cha", "father", father_known)):

        def v(key: str, prefix: str = prefix, known: bool = known) -> str:
            return _text(values, f"{prefix}_{key}") if known else ""

        pdf.ln(1.2)
        line((f"Họ, chữ đệm, tên người {who}", v("full_name"), "B"))
        line(
            ("Năm sinh", v("birth_year"), ""),
            ("Dân tộc", v("ethnicity"), ""),
            ("Quốc tịch", v("nationality"), ""),
        )
        line(("Nơi cư trú", v("residence"), ""))

    # The registration.
    pdf.ln(1.2)
    line(("Họ, chữ đệm, tên người đi đăng ký khai sinh", _text(values, "requester_full_name"), ""))
    line(
        ("Quan hệ với người được khai sinh", relationship, ""),
    )
    line(("Giấy tờ tùy thân", _id_document(_text(values, "requester_id_number")), ""))
    line(("Nơi đăng ký khai sinh", nfc(meta.registration_office), ""))
    line(("Ngày, tháng, năm đăng ký", meta.registered_on.strftime("%d/%m/%Y"), ""))

    # Signature and seal.
    # The unit's province is "Tỉnh Đồng Tháp" / "Thành phố Hà Nội"; a bare name gets "TỈNH".
    province = nfc(meta.province).upper()
    if not province.startswith(("TỈNH ", "THÀNH PHỐ ")):
        province = f"TỈNH {province}"
    seal_lines = (" ".join(meta.agency_lines), province)
    sig = pdf.signature_block(
        meta.signer_title,
        meta.signer_name,
        heading="NGƯỜI KÝ GIẤY KHAI SINH",
        hint="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
        seal_lines=seal_lines,
        y=float(pdf.get_y()) + 5.0,
    )

    # Bottom left, beside the signature: QR, verification text, dossier code.
    lx, lw = pdf.left_column
    qr_size = 22.0
    bottom = sig.bottom
    code_y = bottom - 5.0
    pdf.use("", 10)
    pdf.set_xy(lx, code_y)
    pdf.cell(lw, 5.0, nfc(f"Mã hồ sơ: {meta.dossier_code}"))
    if meta.verify_text:
        qr_y = code_y - qr_size - 1.0
        pdf.draw_qr(lx, qr_y, meta.verify_text, qr_size)
        pdf.use("I", 9)
        pdf.set_xy(lx + qr_size + 1.5, qr_y + 2.0)
        pdf.multi_cell(lw - qr_size - 1.5, 4.2, nfc(meta.verify_text), align="L")
    return pdf
