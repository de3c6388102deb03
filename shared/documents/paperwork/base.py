"""What the five one-stop-shop papers share: their data and an A4 page to draw them on.

The papers follow the forms of the one-stop-shop rules (Giấy tiếp nhận hồ sơ và hẹn trả
kết quả, Phiếu yêu cầu bổ sung, Phiếu từ chối, Phiếu xin lỗi, Phiếu kiểm soát) on the
Nghị định 30 page of :mod:`shared.documents.official`: agency block, Quốc hiệu, tiêu ngữ,
the place-and-date line. Pure: data in, PDF bytes out — the station fills
:class:`PaperDossier` from a dossier, its procedure, the unit and the staff table.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

import segno

from shared.documents.official import BODY_SIZE, LINE_H, OfficialDocument, nfc, place_date_line
from shared.workdays import vn_now

__all__ = [
    "Component",
    "PaperDossier",
    "PaperPage",
    "Stage",
    "clock_text",
    "office_of",
]

# Since 1 July 2025 the commune's Trung tâm Phục vụ hành chính công receives dossiers and
# returns results (Nghị định 118/2025/NĐ-CP), in place of the "Bộ phận Một cửa".
ONE_STOP = "Trung tâm Phục vụ hành chính công"


@dataclass(frozen=True)
class Component:
    """One paper of the dossier as received: name, original/copy, how many."""

    name: str
    form: str  # "Bản chính", "Bản sao", "Bản chính hoặc bản sao"
    count: int = 1


@dataclass(frozen=True)
class Stage:
    """One hand-over in the life of a dossier (a row of the control sheet)."""

    step: str  # "Tiếp nhận hồ sơ", "Thẩm định", …
    handed_by: str  # "Ông/bà Trần Văn A (người nộp)"
    received_by: str  # "Nguyễn Thị Lan – Công chức tiếp nhận"
    at: datetime.datetime
    result: str  # "Trước hạn" | "Đúng hạn" | "Quá hạn"
    note: str = ""


@dataclass(frozen=True)
class PaperDossier:
    """Everything a paper may print about one dossier (each paper uses what it needs)."""

    agency_lines: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG")
    agency_name: str  # "Ủy ban nhân dân xã Lai Vung"
    place_name: str  # "Lai Vung"
    code: str  # the dossier code
    procedure: str  # "Đăng ký khai sinh"
    citizen: str
    citizen_address: str = ""
    citizen_phone: str = ""
    components: tuple[Component, ...] = ()
    time_limit_days: int = 0
    received_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    collect_at: str = ""  # where the result is returned
    receiver: str = ""  # name of the staff member who received it
    receiver_title: str = ""
    fee_vnd: int | None = None  # lệ phí + phí computed from the dossier (None: not printed)
    fee_text: str = ""  # how the receipt says it (shared.fees.FeeQuote.text), if given
    # Supplement request / refusal / apology.
    reason: str = ""
    items: tuple[str, ...] = ()  # what is missing, one per line
    by: str = ""  # who asks / refuses / apologises
    by_title: str = ""
    at: datetime.datetime | None = None  # when they did
    refused_at_intake: bool = False
    new_due_at: datetime.datetime | None = None
    # The office that receives and returns: "Trung tâm Phục vụ hành chính công xã Lai
    # Vung" (shared.unit.Unit.service_centre); empty: ONE_STOP of ``agency_name``.
    office_name: str = ""
    # Control sheet.
    stages: tuple[Stage, ...] = field(default_factory=tuple)
    issued_on: datetime.date | None = None  # the date line (defaults to ``at`` or today)
    # The signed checkpoint of the station's audit chain when the sheet was printed (JSON,
    # as ``admin audit-verify --anchor FILE`` reads it): a printed copy kept outside the
    # station contradicts a log truncated or rebuilt later.
    audit_anchor: str = ""


def office_of(p: PaperDossier) -> str:
    """The receiving office as the papers name it."""
    return p.office_name or f"{ONE_STOP} – {p.agency_name}"


def clock_text(moment: datetime.datetime) -> str:
    """ "14 giờ 05 phút, ngày 05/01/2026" — how the forms write a moment."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, ngày {moment:%d/%m/%Y}"


class PaperPage(OfficialDocument):
    """An official page with the small drawing helpers the papers need."""

    line_h: float = LINE_H

    def start(self, p: PaperDossier, title: str, subtitle: str = "", number: str = "") -> None:
        """First page: the agency block, Quốc hiệu, date line, then the centred title."""
        self.add_page()
        day = p.issued_on or (p.at.date() if p.at else None) or vn_now().date()
        lines = (*p.agency_lines[:-1], p.agency_lines[-1]) if p.agency_lines else ("UBND",)
        y = self.official_header(
            lines,
            number=number or None,
            place_date=place_date_line(p.place_name, day),
        )
        y = self.centred_lines(
            float(self.l_margin), self.content_width, y + 6.0, title, style="B", size=14.0
        )
        if subtitle:
            y = self.centred_lines(
                float(self.l_margin), self.content_width, y, subtitle, style="I", size=12.0
            )
        self.set_xy(self.l_margin, y + 4.0)
        self.use()

    def para(
        self,
        text: str,
        *,
        style: str = "",
        indent: float = 0.0,
        size: float = BODY_SIZE,
        right: float = 0.0,
    ) -> None:
        """A justified paragraph within the margins (``right`` mm kept free, e.g. a QR)."""
        self.use(style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.content_width - indent - right,
            self.line_h,
            nfc(text),
            align="J",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def field_line(self, label: str, value: str, *, bold_value: bool = False) -> None:
        """ "Label: value" as flowing text; long values wrap under themselves."""
        left = float(self.l_margin)
        self.set_x(left)
        self.l_margin = left + 8.0
        try:
            self.use("", BODY_SIZE)
            self.write(self.line_h, nfc(f"{label}: "))
            self.use("B" if bold_value else "", BODY_SIZE)
            self.write(self.line_h, nfc(value or "…………………………"))
        finally:
            self.l_margin = left
        self.ln(self.line_h)
        self.use()

    def numbered(self, items: Sequence[str], *, indent: float = 6.0) -> None:
        for i, item in enumerate(items, 1):
            self.para(f"{i}. {item}", indent=indent)

    def draw_qr(self, x: float, y: float, text: str, size: float) -> None:
        """A QR code of ``text`` (quiet zone included), ``size`` mm wide, as vectors."""
        qr = segno.make(text, error="m", micro=False)
        matrix = [list(row) for row in qr.matrix]
        border = 2
        m = size / (len(matrix) + 2 * border)
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    self.rect(
                        x + (border + start) * m, y + (border + r) * m, (c - start) * m, m, "F"
                    )
                else:
                    c += 1

    def two_signatures(
        self, left: tuple[str, str, str], right: tuple[str, str, str], room: float = 24.0
    ) -> None:
        """Two signature columns side by side: (heading, hint, name) each."""
        if self.get_y() + room + 24 > self.h - self.b_margin:
            self.add_page()
        y = float(self.get_y()) + 4.0
        half = self.content_width / 2
        bottoms = []
        for i, (heading, hint, name) in enumerate((left, right)):
            x = float(self.l_margin) + i * half
            cy = self.centred_lines(x, half, y, heading.upper(), style="B")
            if hint:
                cy = self.centred_lines(x, half, cy, hint, style="I", size=11.0, h=5.0)
            bottoms.append(self.centred_lines(x, half, cy + room, name, style="B"))
        self.set_xy(self.l_margin, max(bottoms))
        self.use()

    def output_bytes(self) -> bytes:
        return bytes(self.output())
