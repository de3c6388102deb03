"""The citizen's declaration (tờ khai) of each procedure, pre-filled from the dossier.

"Ngày không viết": the citizen writes nothing. Staff type (or scan) the dossier, the
citizen reads it back in large print, and signs the declaration the law asks for — on
the tablet's pad or on the printed copy. This module draws that declaration as an A4 PDF
in the layout of its official form, filled from the dossier's values, with each party's
mark in its place: the on-screen signature as vector strokes, or a thumbprint box
("điểm chỉ") with the witness's name, or the room left blank for a hand signature.

Each procedure's form is data: ``declaration.json`` in its folder
(:mod:`shared.documents.declaration_layout`, docs/procedures.md "Layouts"); this module
draws it. The forms (what could not be checked against the gazette is listed in
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fpdf.fonts import FontFace

from shared.catalogue import GENERIC_TEMPLATE, Procedure
from shared.documents import generic_declaration
from shared.documents.declaration_layout import DeclarationLayout, DeclTable
from shared.documents.layout_text import TextContext, condition_holds, read_value
from shared.documents.official import (
    BODY_SIZE,
    QUOC_HIEU,
    TIEU_NGU,
    OfficialDocument,
    nfc,
    place_date_line,
)
from shared.model import Dossier
from shared.procedures import declaration_layout
from shared.signatures import (
    PAD_ASPECT,
    SCALE,
    SignatureMark,
    SigningParty,
    party_name,
    signing_parties,
)
from shared.unit import Unit
from shared.workdays import VN_TZ, parse_vn

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
    """The form's title, from the procedure's ``declaration.json`` ("TỜ KHAI" without);
    an imported procedure's generic tờ khai names its request."""
    if procedure.result_template == GENERIC_TEMPLATE:
        return generic_declaration.title(procedure)
    layout = declaration_layout(procedure.result_template)
    return layout.title if layout is not None else "TỜ KHAI"


def _dated(d: DeclarationInput) -> datetime.datetime:
    for text in (*(m.at for m in d.marks), *d.moments):
        moment = parse_vn(text)
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
        """A value as the citizen reads it: labels for choices, dd/mm/yyyy dates (the
        layouts' ``read`` format, so the generic tờ khai and the layouts agree)."""
        ctx = TextContext(self.d.procedure, self.v)
        return read_value(ctx, field_id, self.v.get(field_id))

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

    def footer(self) -> None:
        """The dossier code and the page, small, at the foot of every page."""
        self.set_y(-14.0)
        self.use("I", 9.0)
        parts = (
            [f"Mã hồ sơ: {self.d.code}"] if self.d.code else ["Tờ khai điền sẵn, chưa tiếp nhận"]
        )
        parts.append(f"Trang {self.page_no()}/{{nb}}")
        self.cell(self.content_width, 5.0, nfc(" – ".join(parts)), align="C")


# --- the layout, drawn ---------------------------------------------------------------


def _draw(pdf: _Form, layout: DeclarationLayout) -> None:
    """The lines of the procedure's ``declaration.json``, in order."""
    ctx = TextContext(pdf.d.procedure, pdf.v, plain="read")
    for line in layout.lines:
        if line.when is not None and not condition_holds(line.when, ctx):
            continue
        if line.kind == "row":
            pdf.row(*((a.render(ctx), b.render(ctx)) for a, b in line.pairs))
        elif line.kind == "para" and line.text is not None:
            pdf.para(line.text.render(ctx), style=line.style)
        elif line.kind == "gap":
            pdf.ln(line.gap)
        elif line.table is not None:
            _table(pdf, line.table, ctx)


def _table(pdf: _Form, table: DeclTable, ctx: TextContext) -> None:
    """A table with a bold heading row (the kết hôn form: the information, Bên nữ, Bên
    nam); an empty cell is the blank form's dotted leader."""
    pdf.use("", table.size)
    with pdf.table(
        col_widths=table.widths,
        width=pdf.content_width,
        align="LEFT",
        text_align=tuple("LEFT" for _ in table.widths),
        line_height=table.line_height,
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD"),
    ) as out:
        heading = out.row()
        for text in table.header:
            heading.cell(nfc(text))
        for cells in table.rows:
            row = out.row()
            for cell in cells:
                row.cell(nfc(cell.render(ctx)) or _LEADER)


def _generic(pdf: _Form) -> None:
    """A procedure without a declaration layout: every filled field, label and value."""
    for f in pdf.d.procedure.fields:
        if f.type not in ("derived",) and pdf.v.get(f.id) not in (None, ""):
            pdf.row((f.label.vi, pdf.val(f.id)))


def render_declaration(d: DeclarationInput) -> bytes:
    """The declaration of ``d.procedure`` filled from ``d.values``, marks drawn in, as PDF."""
    pdf = _Form(d, _dated(d))
    pdf.alias_nb_pages()
    pdf.heading()
    pdf.addressee(d.unit.registration_office or d.unit.name)
    layout = declaration_layout(d.procedure.result_template)
    if d.procedure.result_template == GENERIC_TEMPLATE:
        generic_declaration.draw(pdf)  # an imported procedure: its generic tờ khai
    elif layout is None:
        _generic(pdf)
    else:
        _draw(pdf, layout)
    parties = signing_parties(d.procedure)
    heading = layout.signature_heading if layout is not None else None
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
