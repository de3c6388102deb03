"""What every procedure's result renderer shares: its inputs, its output, its layout kit.

A bundle's renderer (``shared/procedures/<folder>/result.py``) takes the dossier's values
and a :class:`ResultMeta` and returns a :class:`RenderedResult`: the PDF and the
:class:`SignatureBoxes` it left blank. Nothing here draws a signature or a seal: the
station adds them later as PAdES signatures whose visible appearance goes exactly into
those boxes, so the renderer only reserves the room.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import segno
from fpdf.enums import XPos, YPos

from shared.documents.official import BODY_SIZE, LINE_H, OfficialDocument, nfc, place_date_line

__all__ = [
    "DEMO_WATERMARK",
    "Box",
    "CivilDocument",
    "RenderedResult",
    "ResultMeta",
    "SignatureBoxes",
]

DEMO_WATERMARK = "MẪU – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
QR_MASK = 4  # see CivilDocument.draw_qr
PAGE_H_MM = 297.0
_PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class ResultMeta:
    """What the office adds to a dossier's values to issue the result."""

    agency_lines: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG")
    province: str  # "Đồng Tháp"
    place_name: str  # in the date line: "Lai Vung"
    register_number: str  # "123" → "Số: 123"
    register_book: str  # "01/2026" → "Quyển số: 01/2026"
    registered_on: datetime.date
    registration_office: str  # "UBND xã Lai Vung, tỉnh Đồng Tháp"
    signer_title: str  # "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    signer_name: str
    dossier_code: str  # "000.00.06.H56-231027-0361"
    verify_text: str | None = None  # encoded in a small QR code
    # The same page without the hash, printed under the QR code for a person to type
    # (shared.verify_address.printed_link): the QR, the printed link and /verify agree.
    verify_printed: str | None = None
    # Who received the dossier (the intake officer's full name): a chứng thực chữ ký
    # received at the one-stop shop says the citizen signed before this person.
    receiver_name: str = ""
    # The pages of a copy made by scanning (JPEG/PNG bytes, in order): a chứng thực bản
    # sao then issues these pages with the statement on the last one.
    scan_pages: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in mm from the page's top-left corner (``page`` 0-based)."""

    page: int
    x: float
    y: float
    w: float
    h: float

    def pdf_rect(self, page_height_mm: float = PAGE_H_MM) -> tuple[float, float, float, float]:
        """(x1, y1, x2, y2) in PDF points from the bottom-left corner — the box pyHanko's
        ``SigFieldSpec(box=...)`` takes."""
        k = _PT_PER_MM
        return (
            round(self.x * k, 2),
            round((page_height_mm - self.y - self.h) * k, 2),
            round((self.x + self.w) * k, 2),
            round((page_height_mm - self.y) * k, 2),
        )


@dataclass(frozen=True)
class SignatureBoxes:
    """The blank rooms a result leaves for its signatures' visible appearances.

    ``leader``: the competent person's signature (title above it, name below it are
    printed). ``seal``: where the agency's seal goes, over the left third of ``leader``
    as on paper. ``parties``: signatures of the people themselves (both spouses on a
    Giấy chứng nhận kết hôn), left to right.
    """

    leader: Box
    seal: Box
    parties: tuple[Box, ...] = ()


@dataclass(frozen=True)
class RenderedResult:
    pdf: bytes
    boxes: SignatureBoxes
    pages: int = 1
    title: str = ""


def text_of(values: Mapping[str, object], key: str) -> str:
    """A value as printable text ("" for missing values and booleans)."""
    value = values.get(key)
    if value is None or isinstance(value, bool):
        return ""
    return nfc(str(value).strip())


def vn_date(value: object) -> str:
    """ISO "2026-11-05" → "05/11/2026"; partial dates "1996-03" → "03/1996", "1996"."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if not isinstance(value, str) or not value:
        return ""
    parts = value.split("-")
    return "/".join(reversed(parts))


def iso_date(values: Mapping[str, object], key: str) -> datetime.date:
    value = values.get(key)
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{key} must be an ISO date string, got {value!r}")
    return datetime.date.fromisoformat(value)


class CivilDocument(OfficialDocument):
    """An official A4 result: flowing "label: value" lines, reserved signature rooms,
    an optional demo watermark on every page and an optional notes page."""

    line_h: float = LINE_H

    def __init__(self, *, demo: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.demo = demo

    def header(self) -> None:
        """fpdf2 calls this at every new page: the demo watermark goes under the text."""
        if self.demo:
            self.watermark(DEMO_WATERMARK)

    def watermark(self, text: str) -> None:
        x, y = self.get_x(), self.get_y()
        cx, cy = self.w / 2, self.h / 2
        self.use("B", 30)
        width = float(self.get_string_width(nfc(text)))
        with (
            self.local_context(fill_opacity=0.35, text_color=(200, 30, 30)),
            self.rotation(35, cx, cy),
        ):
            self.text(cx - width / 2, cy, nfc(text))
        self.use()
        self.set_xy(x, y)

    def national_heading(self, *, top: float | None = None) -> float:
        """Quốc hiệu and tiêu ngữ centred (forms without an agency column); returns y."""
        from shared.documents.official import QUOC_HIEU, TIEU_NGU

        x, w = float(self.l_margin), self.content_width
        y = float(self.t_margin) if top is None else top
        y = self.centred_lines(x, w, y, QUOC_HIEU, style="B", size=13, h=6.0)
        y = self.centred_lines(x, w, y, TIEU_NGU, style="B", size=13.5, h=6.0)
        self.use("B", 13.5)
        self.rule(x + w / 2, y + 0.8, float(self.get_string_width(nfc(TIEU_NGU))), 0.3)
        self.set_xy(x, y + 2.0)
        return y + 2.0

    def field_line(self, *parts: tuple[str, str, str]) -> None:
        """One line of ``(label, value, value_style)`` parts, written as flowing text.

        Long values wrap with a hanging indent, never past the right margin. A line that
        fits is set piece by piece as cells: fpdf2's ``write`` line breaking measures
        the text again for every character, and most lines of a result are short.
        """
        pieces: list[tuple[str, str]] = []
        for i, (label, value, style) in enumerate(parts):
            if i:
                pieces.append(("", "    "))
            pieces.append(("", nfc(f"{label}: ")))
            if value:
                pieces.append((style, nfc(value)))
        left = float(self.l_margin)
        self.set_x(left)
        if self._fits_on_line(pieces):
            for style, text in pieces:
                self.use(style, BODY_SIZE)
                self.cell(None, self.line_h, text, new_x=XPos.WCONT, new_y=YPos.TOP)
        else:
            self.l_margin = left + 8.0  # continuation lines are indented
            try:
                for style, text in pieces:
                    self.use(style, BODY_SIZE)
                    self.write(self.line_h, text)
            finally:
                self.l_margin = left
        self.ln(self.line_h)
        self.use()

    def _fits_on_line(self, pieces: list[tuple[str, str]]) -> bool:
        """True if ``pieces`` fit between x and the right margin without a break."""
        width = 0.0
        for style, text in pieces:
            self.use(style, BODY_SIZE)
            width += float(self.get_string_width(text)) + 2 * self.c_margin
        return float(self.x) + width < float(self.w - self.r_margin)

    def paragraph(self, text: str, *, style: str = "", size: float = BODY_SIZE) -> None:
        self.use(style, size)
        self.set_x(self.l_margin)
        self.multi_cell(0, self.line_h, nfc(text), new_x="LMARGIN", new_y="NEXT")
        self.use()

    def signature_room(
        self,
        x: float,
        w: float,
        y: float,
        *,
        heading: str | None,
        hint: str | None,
        title: str,
        name: str,
        room: float = 30.0,
    ) -> tuple[Box, float]:
        """Heading, hint and title over a blank room, the name under it, in [x, x+w].

        Returns the room (nothing is drawn in it) and the y below the name.
        """
        cy = y
        if heading:
            cy = self.centred_lines(x, w, cy, heading.upper(), style="B")
        if hint:
            cy = self.centred_lines(x, w, cy, hint, style="I", size=11.0, h=5.0)
        if title:
            cy = self.centred_lines(x, w, cy, title.upper(), style="B")
        box_w = min(w, 62.0)
        box = Box(self.page - 1, x + (w - box_w) / 2, cy + 1.0, box_w, room - 2.0)
        bottom = self.centred_lines(x, w, cy + room, name, style="B") if name else cy + room
        return box, bottom

    def leader_signature(
        self, meta: ResultMeta, *, heading: str | None, hint: str | None, y: float
    ) -> tuple[SignatureBoxes, float]:
        """The signing officer's block in the right column; returns the boxes and y."""
        x, w = self.right_column
        leader, bottom = self.signature_room(
            x, w, y, heading=heading, hint=hint, title=meta.signer_title, name=meta.signer_name
        )
        seal_d = 36.0  # a commune seal is about 35 mm across
        seal = Box(
            leader.page,
            leader.x + leader.w / 3 - seal_d,
            leader.y + leader.h / 2 - seal_d / 2,
            seal_d,
            seal_d,
        )
        return SignatureBoxes(leader, seal), bottom

    def code_and_qr(self, meta: ResultMeta, bottom: float) -> None:
        """Bottom left, beside the signature: the QR code (if any) over the dossier code."""
        lx, lw = self.left_column
        code_y = bottom - 5.0
        self.use("", 10)
        self.set_xy(lx, code_y)
        self.cell(lw, 5.0, nfc(f"Mã hồ sơ: {meta.dossier_code}"))
        if meta.verify_text:
            size = 22.0
            self.draw_qr(lx, code_y - size - 1.0, meta.verify_text, size)
        if meta.verify_printed:
            self.use("", 8)
            self.set_xy(lx, code_y + 5.0)
            # Broken after "/verify/" by hand: a break inside the code (at a hyphen)
            # would read as a hyphenated word and the code be typed wrong.
            head, _, code = meta.verify_printed.rpartition("/")
            self.multi_cell(lw, 3.6, nfc(f"Tra cứu: {head}/\n{code}"), align="L")
        self.use()

    def notes_page(self, title: str, lines: int = 18) -> None:
        """A page for later notes (changes, corrections), ruled."""
        self.add_page()
        x, w = float(self.l_margin), self.content_width
        y = self.centred_lines(x, w, float(self.t_margin), title, style="B", size=14, h=8.0)
        y += 6.0
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        for _ in range(lines):
            y += 11.0
            self.set_dash_pattern(dash=0.8, gap=1.2)
            self.line(x, y, x + w, y)
        self.set_dash_pattern()
        self.set_draw_color(0, 0, 0)

    def draw_qr(self, x: float, y: float, text: str, size: float) -> float:
        """A QR code of ``text``, ``size`` mm wide (quiet zone included), as vectors.

        The mask is fixed (:data:`QR_MASK`): segno's search for the best of the eight
        masks costs ten times the encoding itself, and any mask is valid for a reader
        (the tests read the printed code back with zxing-cpp). The modules go out as one
        path filled once, not one fpdf2 rectangle each.
        """
        qr = segno.make(text, error="m", micro=False, mask=QR_MASK)
        border = 2
        m = size / (qr.symbol_size(border=0)[0] + 2 * border)
        k = self.k
        ops: list[str] = []
        for r, row in enumerate(qr.matrix):
            top = (self.h - (y + (border + r) * m)) * k
            c, n = 0, len(row)
            while c < n:
                if row[c]:
                    start = c
                    while c < n and row[c]:
                        c += 1
                    left = (x + (border + start) * m) * k
                    ops.append(f"{left:.2f} {top:.2f} {(c - start) * m * k:.2f} {-m * k:.2f} re")
                else:
                    c += 1
        self._out("q 0 g " + " ".join(ops) + " f Q")
        return size

    def finish(self, boxes: SignatureBoxes, title: str) -> RenderedResult:
        pages = int(self.page_no())
        return RenderedResult(bytes(self.output()), boxes, pages, title)


Part = tuple[str, str, str]  # (label, value, value style)
Line = tuple[Part, ...] | str | None  # parts on one line, a paragraph, or a small gap


@dataclass(frozen=True)
class FormSpec:
    """A result laid out as "label: value" lines under a header and a title."""

    title: str
    lines: tuple[Line, ...]
    heading: str | None  # above the leader's title, e.g. "NGƯỜI THỰC HIỆN CHỨNG THỰC"
    hint: str | None = None
    subtitle: str | None = None
    agency_header: bool = True  # agency | Quốc hiệu columns (else Quốc hiệu centred)
    number_line: str | None = None  # defaults to "Số: <register number>"
    extra_left: tuple[str, ...] = ()
    parties: tuple[tuple[str, str], ...] = ()  # (heading, name): people who sign too
    notes_title: str | None = None  # a second page for later notes
    doc_title: str = ""
    subject: str = ""


def render_form(spec: FormSpec, meta: ResultMeta, *, demo: bool = False) -> RenderedResult:
    """Render ``spec`` on one page (tightening lines if needed; a second page only if even
    the tightest lines do not fit), plus the notes page if asked."""
    pdf: CivilDocument | None = None
    for line_h in (LINE_H, 6.5, 6.0, 5.6):
        if pdf is not None:
            pdf.discard()
        pdf, boxes = _form_layout(spec, meta, line_h, demo)
        if pdf.page_no() == 1:
            break
    assert pdf is not None
    if spec.notes_title:
        pdf.notes_page(spec.notes_title)
    return pdf.finish(boxes, spec.title)


def _form_layout(
    spec: FormSpec, meta: ResultMeta, line_h: float, demo: bool
) -> tuple[CivilDocument, SignatureBoxes]:
    pdf = CivilDocument(
        demo=demo,
        title=spec.doc_title or spec.title.capitalize(),
        subject=spec.subject or f"Mã hồ sơ {meta.dossier_code}",
        author=meta.registration_office,
        created=meta.registered_on,
    )
    pdf.line_h = line_h
    pdf.add_page()
    x0, w0 = float(pdf.l_margin), pdf.content_width
    number = spec.number_line or f"Số: {meta.register_number}"
    if spec.agency_header:
        y = pdf.official_header(
            meta.agency_lines,
            number=number,
            extra_left=spec.extra_left,
            place_date=place_date_line(meta.place_name, meta.registered_on),
        )
        y = pdf.centred_lines(x0, w0, y + 5.0, spec.title, style="B", size=15, h=8.0)
    else:
        y = pdf.national_heading()
        y = pdf.centred_lines(x0, w0, y + 5.0, spec.title, style="B", size=15, h=8.0)
        y = pdf.centred_lines(x0, w0, y, number)
    if spec.subtitle:
        y = pdf.centred_lines(x0, w0, y, spec.subtitle, style="I")
    pdf.set_xy(x0, y + 3.0)
    for line in spec.lines:
        if line is None:
            pdf.ln(1.2)
        elif isinstance(line, str):
            pdf.paragraph(line)
        else:
            pdf.field_line(*line)
    y = float(pdf.get_y()) + 4.0
    parties: list[Box] = []
    if spec.parties:
        col_w = w0 / len(spec.parties)
        bottom = y
        for i, (heading, name) in enumerate(spec.parties):
            box, b = pdf.signature_room(
                x0 + i * col_w,
                col_w,
                y,
                heading=heading,
                hint="(Ký, ghi rõ họ tên)",
                title="",
                name=name,
                room=24.0,
            )
            parties.append(box)
            bottom = max(bottom, b)
        y = bottom + 3.0
    boxes, bottom = pdf.leader_signature(meta, heading=spec.heading, hint=spec.hint, y=y)
    if parties:
        boxes = SignatureBoxes(boxes.leader, boxes.seal, tuple(parties))
    pdf.code_and_qr(meta, bottom)
    return pdf, boxes


def choice_text(procedure: object, values: Mapping[str, object], key: str) -> str:
    """The label of a choice value, from the procedure's own choices."""
    raw = values.get(key)
    if raw is None or isinstance(raw, bool):
        return ""
    label: str = procedure.field(key).choice_label(raw)  # type: ignore[attr-defined]
    return nfc(label)


def identity_text(procedure: object, values: Mapping[str, object], prefix: str) -> str:
    """ "Số định danh cá nhân 087…" or "Hộ chiếu số C1234567, do … cấp ngày …" from a
    person's identity fields (``<prefix>_id_type``, ``_id_number``, ``_id_issuer``,
    ``_id_issue_date``)."""
    number = text_of(values, f"{prefix}_id_number")
    if not number:
        return ""
    kind = text_of(values, f"{prefix}_id_type") or "cccd"
    named = (
        choice_text(procedure, values, f"{prefix}_id_type") if f"{prefix}_id_type" in values else ""
    )
    if kind == "cccd" and (not named or named.startswith("Số định danh")):
        # A procedure whose choice says "Số định danh cá nhân (thẻ căn cước, CCCD)".
        return f"Số định danh cá nhân {number}"
    out = f"{named or 'Giấy tờ'} số {number}"
    issuer = text_of(values, f"{prefix}_id_issuer")
    issued = vn_date(values.get(f"{prefix}_id_issue_date"))
    if issuer:
        out += f", do {issuer} cấp"
    if issued:
        out += f" ngày {issued}"
    return out


class ValueReader:
    """Short typed accessors for a renderer: ``text(key)`` and ``choice(key)``."""

    def __init__(self, procedure: object, values: Mapping[str, object]) -> None:
        self.procedure = procedure
        self.values = values

    def text(self, key: str) -> str:
        return text_of(self.values, key)

    def choice(self, key: str) -> str:
        return choice_text(self.procedure, self.values, key)
