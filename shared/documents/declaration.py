"""The citizen's declaration (tờ khai) of each procedure, pre-filled from the dossier.

"Ngày không viết": the citizen writes nothing. Staff type (or scan) the dossier, the
citizen reads it back in large print, and signs the declaration the law asks for — on
the tablet's pad or on the printed copy. This module draws that declaration as an A4 PDF
in the layout of its official form, filled from the dossier's values, with each party's
mark in its place: the on-screen signature as vector strokes, or a thumbprint box
("điểm chỉ") with the witness's name, or the room left blank for a hand signature.

The forms (what could not be checked against the gazette is listed in
docs/procedures.md, "Declarations"):

- khai sinh, khai tử, kết hôn, xác nhận tình trạng hôn nhân: the tờ khai of Thông tư
  04/2020/TT-BTP as amended by Thông tư 04/2024/TT-BTP (the personal identification
  number in place of the old identity papers);
- chứng thực bản sao, chứng thực chữ ký: the "Phiếu yêu cầu chứng thực" after Thông tư
  01/2020/TT-BTP.

Pure and deterministic: the same dossier, procedure and unit give the same bytes (the
document's date and creation date come from the dossier, never from the clock), so the
station's copy (``GET /v1/dossiers/{id}/declaration.pdf``) and the tablet's are the same
document.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fpdf.fonts import FontFace

from shared.catalogue import GENERIC_TEMPLATE, Procedure
from shared.documents import generic_declaration
from shared.documents.official import (
    BODY_SIZE,
    QUOC_HIEU,
    TIEU_NGU,
    OfficialDocument,
    nfc,
    place_date_line,
)
from shared.model import Dossier
from shared.signatures import (
    PAD_ASPECT,
    SCALE,
    SignatureMark,
    SigningParty,
    party_name,
    signing_parties,
)
from shared.unit import Unit
from shared.validation import parse_date, partial_date_text
from shared.workdays import VN_TZ

__all__ = [
    "DeclarationInput",
    "declaration_file_name",
    "declaration_of",
    "declaration_title",
    "render_declaration",
]

INK = (16, 42, 140)  # ballpoint blue
LINE_H = 6.0
_LEADER = "…………………………"

_TITLES = {
    "khai_sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "khai_tu": "TỜ KHAI ĐĂNG KÝ KHAI TỬ",
    "ket_hon": "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
    "tinh_trang_hon_nhan": "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
    "chung_thuc_ban_sao": "PHIẾU YÊU CẦU CHỨNG THỰC",
    "chung_thuc_chu_ky": "PHIẾU YÊU CẦU CHỨNG THỰC",
}
_SIGN_HINT = "(Ký, ghi rõ họ, chữ đệm, tên)"


@dataclass(frozen=True)
class DeclarationInput:
    """What the declaration is drawn from: one dossier (or the form before receipt)."""

    procedure: Procedure
    values: dict[str, Any]
    unit: Unit
    marks: Sequence[SignatureMark] = ()
    code: str = ""  # the dossier code ("" before receipt)
    # When it is dated: the first mark's time, else the receipt, else the read-back.
    moments: Sequence[str | None] = field(default_factory=tuple)
    today: datetime.date | None = None  # the last resort (a form not yet read back)


def declaration_title(procedure: Procedure) -> str:
    if procedure.result_template == GENERIC_TEMPLATE:
        return generic_declaration.title(procedure)
    return _TITLES.get(procedure.result_template, "TỜ KHAI")


def _moment(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def _dated(d: DeclarationInput) -> datetime.datetime:
    for text in (*(m.at for m in d.marks), *d.moments):
        moment = _moment(text)
        if moment is not None:
            return moment
    day = d.today or datetime.date(2000, 1, 1)
    return datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=VN_TZ)


class _Form(OfficialDocument):
    """The declaration's page: Quốc hiệu centred, the title, labelled lines, signatures."""

    def __init__(self, d: DeclarationInput, dated: datetime.datetime) -> None:
        title = declaration_title(d.procedure).replace("\n", " – ")
        super().__init__(
            title=f"{title} – {d.code}" if d.code else title,
            subject=d.procedure.name.vi,
            author=d.unit.name,
            created=dated,
        )
        self.d = d
        self.v = d.values
        self.dated = dated
        self.add_page()

    # --- values as the form writes them ---
    def val(self, field_id: str) -> str:
        """A value as the citizen reads it: labels for choices, dd/mm/yyyy dates."""
        value = self.v.get(field_id)
        if value is None or value == "":
            return ""
        try:
            f = self.d.procedure.field(field_id)
        except KeyError:
            return nfc(str(value))
        if f.type == "choice":
            return nfc(f.choice_label(value, "vi"))
        if f.type == "bool":
            return "Có" if value else "Không"
        if f.type == "date":
            day = parse_date(value)
            return day.strftime("%d/%m/%Y") if day else str(value)
        if f.type == "partial_date":
            return nfc(partial_date_text(value))
        return nfc(str(value))

    def identity(self, prefix: str) -> str:
        """ "Số định danh cá nhân: …" or "Hộ chiếu số …, do … cấp ngày …"."""
        number = self.val(f"{prefix}_id_number")
        kind = str(self.v.get(f"{prefix}_id_type") or "cccd")
        if not number:
            return ""
        named = self.val(f"{prefix}_id_type") if f"{prefix}_id_type" in self.v else ""
        if kind == "cccd" and (not named or named.startswith("Số định danh")):
            return f"Số định danh cá nhân {number}"
        name = {"ho_chieu": "Hộ chiếu", "khac": "Giấy tờ"}.get(kind, named or "Giấy tờ")
        out = f"{name} số {number}"
        if issuer := self.val(f"{prefix}_id_issuer"):
            out += f", do {issuer} cấp"
        if issued := self.val(f"{prefix}_id_issue_date"):
            out += f" ngày {issued}"
        return out

    def identity_label(self, prefix: str) -> str:
        """ "Giấy tờ tùy thân", the label of the tờ khai of Thông tư 04/2020/TT-BTP for
        whatever document it is (the value names the kind)."""
        return "Giấy tờ tùy thân"

    def pledge(self) -> None:
        """The cam đoan clause: the very words the citizen accepted on the tablet (the
        label of the procedure's must-accept field), so the two never drift apart."""
        for f in self.d.procedure.fields:
            if f.type == "bool" and f.must_accept and f.id.endswith("pledge"):
                self.para(f.label.vi)

    # --- drawing ---
    def heading(self) -> None:
        x, w = float(self.l_margin), self.content_width
        y = self.centred_lines(x, w, float(self.t_margin), QUOC_HIEU, style="B", size=13.0, h=6.0)
        y = self.centred_lines(x, w, y, TIEU_NGU, style="B", size=13.5, h=6.2)
        self.use("B", 13.5)
        self.rule(x + w / 2, y + 0.8, float(self.get_string_width(nfc(TIEU_NGU))), 0.3)
        y = self.centred_lines(
            x, w, y + 6.0, declaration_title(self.d.procedure), style="B", size=14.5
        )
        self.set_xy(self.l_margin, y + 3.0)

    def addressee(self, office: str) -> None:
        self.use("B", BODY_SIZE)
        self.set_x(self.l_margin + 18.0)
        self.multi_cell(
            self.content_width - 18.0,
            LINE_H,
            nfc(f"Kính gửi: {office}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(2.0)
        self.use()

    def row(self, *pairs: tuple[str, str]) -> None:
        """Labels and values on one line ("Giới tính: Nam   Dân tộc: Kinh"); a long value
        wraps under itself; an empty value is a dotted leader, as on the blank form."""
        left = float(self.l_margin)
        self.set_x(left)
        for i, (label, value) in enumerate(pairs):
            self.use("", BODY_SIZE)
            self.write(LINE_H, nfc(("     " if i else "") + f"{label}: "))
            self.use("B" if value else "", BODY_SIZE)
            self.write(LINE_H, nfc(value or _LEADER))
        self.ln(LINE_H)
        self.use()

    def para(
        self, text: str, *, style: str = "", size: float = BODY_SIZE, indent: float = 0.0
    ) -> None:
        self.use(style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.content_width - indent, LINE_H, nfc(text), align="J", new_x="LMARGIN", new_y="NEXT"
        )
        self.use()

    def signatures(self, parties: Sequence[SigningParty], *, heading: str | None = None) -> None:
        """The place-and-date line and one signature column per party."""
        marks = {m.party: m for m in self.d.marks}
        room = 54.0 / PAD_ASPECT + 6.0
        need = LINE_H * 3 + room + 14.0
        if self.get_y() + need > self.h - self.b_margin:
            self.add_page()
        half = self.content_width / 2
        x_right = float(self.l_margin) + half
        y = float(self.get_y()) + 3.0
        place = "Làm tại: " + place_date_line(self.d.unit.place_name, self.dated)
        wide = self.content_width * 0.62
        y = self.centred_lines(
            x_right + half - wide, wide, y, place, style="I", size=12.5, h=LINE_H
        )
        columns = (
            [x_right]
            if len(parties) == 1
            else [self.l_margin + i * half for i in range(len(parties))]
        )
        bottoms = []
        for party, x in zip(parties, columns, strict=True):
            cy = self.centred_lines(x, half, y + 1.0, heading or party.label_vi, style="B")
            cy = self.centred_lines(x, half, cy, _SIGN_HINT, style="I", size=11.5, h=5.4)
            bottoms.append(self._mark(party, marks.get(party.party), x, half, cy, room))
        self.set_xy(self.l_margin, max(bottoms) + 2.0)
        self.use()

    def _mark(
        self,
        party: SigningParty,
        mark: SignatureMark | None,
        x: float,
        w: float,
        top: float,
        room: float,
    ) -> float:
        name = party_name(party, self.v)
        box_w = (room - 6.0) * PAD_ASPECT
        box_h = box_w / PAD_ASPECT
        bx, by = x + (w - box_w) / 2, top + 1.5
        if mark is not None and mark.kind == "signature":
            self._strokes(mark.strokes, bx, by, box_w, box_h)
        elif mark is not None and mark.kind == "thumbprint":
            self._thumb_box(x + w / 2, by, box_h + 2.0)
        bottom = self.centred_lines(x, w, top + room, name or _LEADER, style="B")
        if mark is not None and mark.kind == "thumbprint":
            witness = nfc(f"Người làm chứng: {(mark.witness_name or '').strip()}")
            bottom = self.centred_lines(x, w, bottom, witness, style="I", size=11.5, h=5.4)
            bottom = self.centred_lines(
                x,
                w,
                bottom,
                "(Ký, ghi rõ họ, chữ đệm, tên người làm chứng)",
                style="I",
                size=10.5,
                h=5.0,
            )
        return bottom

    def _strokes(
        self, strokes: Sequence[Sequence[Sequence[int]]], x: float, y: float, w: float, h: float
    ) -> None:
        """The pad's strokes as vector lines in the box (page y grows downwards, as on
        the pad); a one-point stroke is a dot."""

        def at(p: Sequence[int]) -> tuple[float, float]:
            return x + p[0] * w / SCALE, y + p[1] * h / SCALE

        with self.local_context(stroke_cap_style="ROUND", stroke_join_style="ROUND"):
            self.set_draw_color(*INK)
            self.set_fill_color(*INK)
            self.set_line_width(0.45)
            for stroke in strokes:
                points = [at(p) for p in stroke]
                if len(points) == 1:
                    self.circle(points[0][0], points[0][1], 0.3, style="F")
                else:
                    self.polyline(points, style="D")
        self.set_draw_color(0, 0, 0)

    def _thumb_box(self, cx: float, top: float, h: float) -> None:
        """The box the thumbprint goes into, "Điểm chỉ (ngón trỏ phải)" above it."""
        bw = h * 0.8
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.3)
        self.rect(cx - bw / 2, top + 5.0, bw, h - 5.0, round_corners=True, corner_radius=2.0)
        self.centred_lines(
            cx - 30.0, 60.0, top, "Điểm chỉ (ngón trỏ phải)", style="I", size=9.5, h=4.6
        )

    def copies_line(self, field_id: str, what: str) -> None:
        count = self.v.get(field_id)
        if isinstance(count, int) and count > 0:
            self.para(f"Đề nghị cấp bản sao {what}: Có, số lượng: {count:02d} bản", style="I")
        else:
            self.para(f"Đề nghị cấp bản sao {what}: Không", style="I")

    def footer(self) -> None:
        """The dossier code and the page, small, at the foot of every page."""
        self.set_y(-14.0)
        self.use("I", 9.0)
        parts = (
            [f"Mã hồ sơ: {self.d.code}"] if self.d.code else ["Tờ khai điền sẵn, chưa tiếp nhận"]
        )
        parts.append(f"Trang {self.page_no()}/{{nb}}")
        self.cell(self.content_width, 5.0, nfc(" – ".join(parts)), align="C")


# --- the forms -------------------------------------------------------------------------


def _requester(pdf: _Form, prefix: str, relation: str | None) -> None:
    pdf.row(("Họ, chữ đệm, tên người yêu cầu", pdf.val(f"{prefix}_full_name")))
    if f"{prefix}_birth_date" in pdf.v:
        pdf.row(("Ngày, tháng, năm sinh", pdf.val(f"{prefix}_birth_date")))
    if any(f.id == f"{prefix}_residence" for f in pdf.d.procedure.fields):
        pdf.row(("Nơi cư trú", pdf.val(f"{prefix}_residence")))
    pdf.row((pdf.identity_label(prefix), pdf.identity(prefix)))
    if relation is not None:
        pdf.row((relation, _relation(pdf)))


def _relation(pdf: _Form) -> str:
    if pdf.d.procedure.result_template == "tinh_trang_hon_nhan":
        who = pdf.val("requester_relationship") or "Bản thân"
        if pdf.v.get("requester_relationship") not in (None, "ban_than"):
            who = f"{who}: {pdf.val('filer_full_name')} ({pdf.identity('filer')})"
        return who
    other = pdf.val("requester_relationship_other")
    return other or pdf.val("requester_relationship")


def _khai_sinh(pdf: _Form) -> list[SigningParty]:
    _requester(pdf, "requester", "Quan hệ với người được khai sinh")
    pdf.para("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", style="B")
    pdf.row(("Họ, chữ đệm, tên", pdf.val("child_full_name").upper()))
    pdf.row(("Ngày, tháng, năm sinh", pdf.val("child_birth_date")))
    pdf.row(("ghi bằng chữ", pdf.val("child_birth_date_words")))
    pdf.row(
        ("Giới tính", pdf.val("child_sex")),
        ("Dân tộc", pdf.val("child_ethnicity")),
        ("Quốc tịch", pdf.val("child_nationality")),
    )
    pdf.row(("Nơi sinh", pdf.val("child_birth_place")))
    pdf.row(("Quê quán", pdf.val("child_hometown")))
    for who, prefix in (("mẹ", "mother"), ("cha", "father")):
        if prefix == "father" and pdf.v.get("father_known") is False:
            pdf.row(("Họ, chữ đệm, tên người cha", "(chưa xác định)"))
            continue
        pdf.row((f"Họ, chữ đệm, tên người {who}", pdf.val(f"{prefix}_full_name")))
        pdf.row(
            ("Ngày, tháng, năm sinh", pdf.val(f"{prefix}_birth_date")),
            ("Dân tộc", pdf.val(f"{prefix}_ethnicity")),
            ("Quốc tịch", pdf.val(f"{prefix}_nationality")),
        )
        if pdf.v.get(f"{prefix}_id_number"):
            pdf.row((pdf.identity_label(prefix), pdf.identity(prefix)))
        pdf.row(("Nơi cư trú", pdf.val(f"{prefix}_residence")))
    if pdf.v.get("parents_married"):
        cert = pdf.val("marriage_cert_number")
        book = pdf.val("marriage_cert_book")
        pdf.row(
            (
                "Giấy chứng nhận kết hôn của cha, mẹ",
                f"số {cert}"
                + (f", quyển số {book}" if book else "")
                + f", đăng ký ngày {pdf.val('marriage_cert_date')}"
                + f" tại {pdf.val('marriage_cert_place')}",
            )
        )
    pdf.ln(1.5)
    pdf.pledge()
    pdf.copies_line("copies_requested", "Giấy khai sinh")
    return signing_parties(pdf.d.procedure)


def _person(pdf: _Form, who: str) -> None:
    """The person the declaration is about: name in capitals as on the official forms,
    then birth date and sex, ethnicity and nationality (``<who>_*`` fields)."""
    pdf.row(("Họ, chữ đệm, tên", pdf.val(f"{who}_full_name").upper()))
    pdf.row(
        ("Ngày, tháng, năm sinh", pdf.val(f"{who}_birth_date")),
        ("Giới tính", pdf.val(f"{who}_sex")),
    )
    pdf.row(("Dân tộc", pdf.val(f"{who}_ethnicity")), ("Quốc tịch", pdf.val(f"{who}_nationality")))


def _khai_tu(pdf: _Form) -> list[SigningParty]:
    _requester(pdf, "requester", "Quan hệ với người đã chết")
    pdf.para("Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:", style="B")
    _person(pdf, "deceased")
    if pdf.v.get("deceased_id_number"):
        pdf.row((pdf.identity_label("deceased"), pdf.identity("deceased")))
    pdf.row(("Nơi cư trú cuối cùng", pdf.val("deceased_residence")))
    when = pdf.val("death_time")
    clock = f"{when.replace(':', ' giờ ')} phút, " if when and ":" in when else ""
    pdf.row(("Đã chết vào lúc", f"{clock}ngày {pdf.val('death_date')}"))
    pdf.row(("ghi bằng chữ", pdf.val("death_date_words")))
    pdf.row(("Nơi chết", pdf.val("death_place")))
    pdf.row(("Nguyên nhân chết", pdf.val("death_cause")))
    number = pdf.val("death_notice_number")
    pdf.row(
        (
            pdf.val("death_notice_kind") or "Giấy báo tử",
            (f"số {number}, " if number else "")
            + f"do {pdf.val('death_notice_issuer')} cấp ngày {pdf.val('death_notice_date')}",
        )
    )
    pdf.ln(1.5)
    pdf.pledge()
    pdf.copies_line("copies_requested", "Trích lục khai tử")
    return signing_parties(pdf.d.procedure)


def _ket_hon(pdf: _Form) -> list[SigningParty]:
    """The two-column table of the form: the information, Bên nữ, Bên nam."""
    rows = [
        ("Họ, chữ đệm, tên", "full_name"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("Dân tộc", "ethnicity"),
        ("Quốc tịch", "nationality"),
        ("Nơi cư trú", "residence"),
        ("Giấy tờ tùy thân", None),
        ("Kết hôn lần thứ mấy", "marriage_count"),
    ]
    data = [("Thông tin", "Bên nữ", "Bên nam")]
    for label, suffix in rows:
        cells = []
        for side in ("wife", "husband"):
            if suffix is None:
                ident = pdf.identity(side)
                kind = str(pdf.v.get(f"{side}_id_type") or "cccd")
                cells.append(
                    f"Số định danh cá nhân: {ident}" if kind == "cccd" and ident else ident
                )
            else:
                cells.append(pdf.val(f"{side}_{suffix}"))
        data.append((label, cells[0], cells[1]))
    pdf.use("", 12.0)
    with pdf.table(
        col_widths=(46, 67, 67),
        width=pdf.content_width,
        align="LEFT",
        text_align=("LEFT", "LEFT", "LEFT"),
        line_height=6.0,
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD"),
    ) as table:
        for i, (a, b, c) in enumerate(data):
            row = table.row()
            row.cell(nfc(a))
            for value in (b, c):
                row.cell(nfc(value.upper() if i == 1 else value) or _LEADER)
    pdf.ln(3.0)
    if phone := pdf.val("contact_phone"):
        pdf.row(("Số điện thoại liên hệ", phone))
    pdf.pledge()
    pdf.copies_line("copies_requested", "Giấy chứng nhận kết hôn")
    return signing_parties(pdf.d.procedure)


_MARITAL = {
    "chua_ket_hon": "Chưa đăng ký kết hôn với ai",
    "dang_co_vo_chong": "Hiện tại đang có vợ/chồng",
    "da_ly_hon": "Đã đăng ký kết hôn, nhưng đã ly hôn và chưa kết hôn với ai",
    "vo_chong_chet": "Đã đăng ký kết hôn, nhưng vợ/chồng đã chết và chưa kết hôn với ai",
}


def _tinh_trang(pdf: _Form) -> list[SigningParty]:
    _requester(pdf, "subject", "Quan hệ với người được cấp Giấy xác nhận tình trạng hôn nhân")
    pdf.para("Đề nghị cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây:", style="B")
    _person(pdf, "subject")
    pdf.row(("Nơi cư trú", pdf.val("subject_residence")))
    pdf.row((pdf.identity_label("subject"), pdf.identity("subject")))
    if period := pdf.val("residence_period"):
        pdf.row(("Thời gian cư trú tại nơi xác nhận", period))
    status = str(pdf.v.get("marital_status") or "")
    detail = _MARITAL.get(status, pdf.val("marital_status"))
    if status == "dang_co_vo_chong" and (spouse := pdf.val("spouse_full_name")):
        detail += f" là ông/bà {spouse}"
    if status in ("da_ly_hon", "vo_chong_chet") and (papers := pdf.val("status_details")):
        detail += f" ({papers})"
    pdf.row(("Tình trạng hôn nhân", detail))
    if pdf.v.get("purpose") == "ket_hon":
        purpose = (
            f"Để đăng ký kết hôn với ông/bà {pdf.val('partner_full_name')}, sinh ngày "
            f"{pdf.val('partner_birth_date')}, quốc tịch {pdf.val('partner_nationality')}, "
            f"{pdf.identity('partner')}, tại {pdf.val('marriage_place')}"
        )
    else:
        purpose = pdf.val("purpose_other")
    pdf.row(("Mục đích sử dụng Giấy xác nhận tình trạng hôn nhân", purpose))
    pdf.ln(1.5)
    pdf.pledge()
    return signing_parties(pdf.d.procedure)


def _chung_thuc(pdf: _Form) -> list[SigningParty]:
    copy = pdf.d.procedure.result_template == "chung_thuc_ban_sao"
    prefix = "requester" if copy else "signer"
    pdf.row(("Họ, chữ đệm, tên người yêu cầu chứng thực", pdf.val(f"{prefix}_full_name")))
    if not copy:
        pdf.row(("Ngày, tháng, năm sinh", pdf.val("signer_birth_date")))
    pdf.row((pdf.identity_label(prefix), pdf.identity(prefix)))
    if phone := pdf.val(f"{prefix}_phone"):
        pdf.row(("Số điện thoại", phone))
    if copy:
        pdf.row(("Yêu cầu chứng thực", "Bản sao từ bản chính giấy tờ, văn bản"))
        pdf.row(("Tên giấy tờ, văn bản", pdf.val("document_name")))
        if issuer := pdf.val("document_issuer"):
            pdf.row(("Cơ quan cấp, chứng nhận", issuer))
        pdf.row(
            ("Số trang của bản chính", pdf.val("page_count")),
            ("Số bản sao", pdf.val("copy_count")),
        )
        if isinstance(extra := pdf.v.get("extension_days"), int) and extra > 0:
            pdf.row(("Hẹn trả kéo dài thêm", f"{extra:02d} ngày làm việc"))
        presented = "Có" if pdf.v.get("original_presented") else "Không"
        pdf.row(("Đã xuất trình bản chính để đối chiếu", presented))
        pdf.ln(1.5)
        pdf.para(
            "Tôi cam đoan bản chính giấy tờ, văn bản xuất trình là giấy tờ hợp pháp và chịu "
            "trách nhiệm trước pháp luật về tính hợp pháp của giấy tờ, văn bản đó."
        )  # the bundle has no pledge field: the request's own sentence
    else:
        pdf.row(("Yêu cầu chứng thực", "Chữ ký trong giấy tờ, văn bản"))
        pdf.row(("Tên giấy tờ, văn bản", pdf.val("document_name")))
        pdf.row(("Số trang", pdf.val("document_pages")))
        if pdf.v.get("signed_outside_office"):
            pdf.row(
                ("Ký ngoài trụ sở, lúc", pdf.val("signing_time").replace(":", " giờ ") + " phút"),
                ("tại", pdf.val("signing_place")),
            )
        pdf.ln(1.5)
        pdf.pledge()
    return signing_parties(pdf.d.procedure)


_FORMS: dict[str, Callable[[_Form], list[SigningParty]]] = {
    "khai_sinh": _khai_sinh,
    "khai_tu": _khai_tu,
    "ket_hon": _ket_hon,
    "tinh_trang_hon_nhan": _tinh_trang,
    "chung_thuc_ban_sao": _chung_thuc,
    "chung_thuc_chu_ky": _chung_thuc,
    GENERIC_TEMPLATE: generic_declaration.draw,
}


def render_declaration(d: DeclarationInput) -> bytes:
    """The declaration of ``d.procedure`` filled from ``d.values``, marks drawn in, as PDF."""
    pdf = _Form(d, _dated(d))
    pdf.alias_nb_pages()
    pdf.heading()
    pdf.addressee(d.unit.registration_office or d.unit.name)
    draw = _FORMS.get(d.procedure.result_template)
    if draw is None:
        parties = signing_parties(d.procedure)
        for f in d.procedure.fields:
            if f.type not in ("derived",) and d.values.get(f.id) not in (None, ""):
                pdf.row((f.label.vi, pdf.val(f.id)))
    else:
        parties = draw(pdf)
    heading = (
        "Người yêu cầu chứng thực" if d.procedure.result_template.startswith("chung_thuc") else None
    )
    pdf.signatures(parties, heading=heading if len(parties) == 1 else None)
    return bytes(pdf.output())


def declaration_of(dossier: Dossier, procedure: Procedure, unit: Unit) -> DeclarationInput:
    """The declaration of a received dossier: what the station and the tablet both draw
    (so their copies are the same document)."""
    return DeclarationInput(
        procedure=procedure,
        values=dict(dossier.values),
        unit=unit,
        marks=tuple(dossier.signatures),
        code=dossier.code,
        moments=(dossier.received_at, dossier.read_back_at),
    )


def declaration_file_name(dossier_code: str) -> str:
    """ "to-khai-<code>.pdf" (ASCII: a Content-Disposition file name)."""
    return f"to-khai-{dossier_code or 'nhap'}.pdf"
