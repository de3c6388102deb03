"""The report as a PDF: Nghị định 30/2020 layout, tables, and three vector charts.

:func:`render_report` takes the page view model of :func:`shared.reports.page_view` (so
the desk and the PDF show the same numbers and labels) and draws:

- the ND30 header (agency | Quốc hiệu, tiêu ngữ, place and date), the title and period;
- the figures table in the order of the national report form, then one row per procedure;
- charts drawn as vector paths (no images): stacked bars of early / on-time / late per
  week, stacked bars of the satisfaction levels per month, the same-day rate per week;
- the overdue dossiers, the reasons for supplements and refusals, the citizens' comments;
- at the bottom of every page, the audit chain checkpoint of the period (seq and hash),
  so a printed report can be matched against the station's tamper-evident log.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from shared.documents.official import LINE_H, OfficialDocument, nfc, place_date_line
from shared.reports import FREE_TEXT_NOTE

__all__ = ["render_report"]

_RGB = tuple[int, int, int]
EARLY: _RGB = (46, 125, 50)
ON_TIME: _RGB = (30, 136, 229)
LATE: _RGB = (211, 47, 47)
VERY_SATISFIED: _RGB = (27, 94, 32)
SATISFIED: _RGB = (129, 199, 132)
UNSATISFIED: _RGB = (229, 57, 53)
LINE: _RGB = (245, 124, 0)
GRID: _RGB = (200, 200, 200)
_SMALL = 9.0
_CHART_H = 48.0


class _ReportDocument(OfficialDocument):
    """An official page whose footer carries the audit checkpoint and the page number."""

    checkpoint_line: str = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.use("I", 8)
        self.set_text_color(80, 80, 80)
        text = f"{self.checkpoint_line}    Trang {self.page_no()}/{{nb}}"
        self.cell(self.content_width, 4, nfc(text.strip()), align="R")
        self.set_text_color(0, 0, 0)


def render_report(
    page: dict[str, Any],
    *,
    agency_lines: Sequence[str],
    place_name: str,
    generated_at: datetime.datetime,
    checkpoint: dict[str, Any] | None,
    anchor: str = "",
) -> bytes:
    """PDF bytes of one report page view (see the module docstring). ``anchor``: the
    signed audit anchor made with this report (JSON), printed at its end: the day's
    printed report is an anchor kept off the station (``audit-verify --anchor``)."""
    doc = _ReportDocument(
        title=page["title"].capitalize(),
        subject=page["period"],
        author=page.get("unit") or "",
        created=generated_at,
    )
    doc.checkpoint_line = (
        page.get("footer") or "Nhật ký kiểm toán: chưa có bản ghi"
        if checkpoint is None
        else f"Điểm kiểm soát nhật ký kiểm toán của kỳ: #{checkpoint['seq']} · {checkpoint['hash']}"
    )
    doc.alias_nb_pages()
    doc.add_page()
    date_line = place_date_line(place_name, generated_at.date()) if place_name else None
    y = doc.official_header(tuple(agency_lines), number="Số:      /BC-UBND", place_date=date_line)
    x, w = float(doc.l_margin), doc.content_width
    y = doc.centred_lines(x, w, y + 4, "BÁO CÁO", style="B", size=14)
    y = doc.centred_lines(
        x, w, y, "Tình hình, kết quả giải quyết thủ tục hành chính", style="B", size=13
    )
    y = doc.centred_lines(x, w, y, f"{page['period']} · {page['scope']}", style="I", size=12)
    doc.set_y(y + 3)

    _heading(doc, "I. SỐ LIỆU CHUNG")
    _figures_table(doc, page["table"])
    if page["procedures"]:
        # The provincial summary lists communes here (province_hub.figures).
        _heading(doc, page.get("rows_heading", "II. THEO THỦ TỤC"))
        _procedures_table(doc, page["procedures"], page.get("rows_label", "Thủ tục"))
    _heading(doc, "III. BIỂU ĐỒ", room=_CHART_H + 30)
    charts = page["charts"]
    _stacked_bars(
        doc,
        "Giải quyết trước hạn / đúng hạn / quá hạn theo tuần",
        charts["timeliness_by_week"],
        [
            ("early", "Trước hạn", EARLY),
            ("on_time", "Đúng hạn", ON_TIME),
            ("late", "Quá hạn", LATE),
        ],
    )
    _stacked_bars(
        doc,
        "Mức độ hài lòng theo tháng",
        charts["satisfaction_by_month"],
        [
            ("very_satisfied", "Rất hài lòng", VERY_SATISFIED),
            ("satisfied", "Hài lòng", SATISFIED),
            ("unsatisfied", "Không hài lòng", UNSATISFIED),
        ],
    )
    _rate_line(doc, "Tỷ lệ nhận và trả trong ngày theo tuần (%)", charts["same_day_by_week"])

    _heading(doc, "IV. HỒ SƠ ĐANG QUÁ HẠN")
    overdue = page["overdue"]
    if page.get("overdue_note"):
        _line(doc, page["overdue_note"])
    elif not overdue:
        _line(doc, "Không có hồ sơ quá hạn.")
    for o in overdue[:40]:
        _line(
            doc,
            f"{o['code']} · {o['procedure_name']} · hạn {_when(o['due_at'])} · "
            f"quá {str(o['working_hours_overdue']).replace('.', ',')} giờ làm việc",
        )
    if len(overdue) > 40:
        _line(doc, f"… và {len(overdue) - 40} hồ sơ khác (xem tệp CSV).")

    _heading(doc, "V. LÝ DO BỔ SUNG, TỪ CHỐI VÀ Ý KIẾN CÔNG DÂN")
    if page.get("free_text", True):
        _free_text(doc, page)
    else:  # a reader without report.read_free_text: figures only
        _line(doc, FREE_TEXT_NOTE)

    doc.ln(4)
    doc.signature_block("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "", signature_room=24.0)
    if anchor:
        doc.ln(2)
        _line(doc, "Mốc nhật ký kiểm tra đã ký (kiểm bằng audit-verify --anchor):")
        doc.use("", 7.5)
        doc.set_x(doc.l_margin)
        doc.multi_cell(doc.content_width, 3.5, anchor, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def _free_text(doc: OfficialDocument, page: dict[str, Any]) -> None:
    for title, items in (
        ("Lý do yêu cầu bổ sung", page["supplement_reasons"]),
        ("Lý do từ chối", page["refusal_reasons"]),
    ):
        _line(doc, f"{title}:", style="B")
        if not items:
            _line(doc, "– Không có.")
        for item in items[:15]:
            _line(doc, f"– {item['reason']}: {item['count']}")
    _line(doc, "Ý kiến của công dân:", style="B")
    if not page["comments"]:
        _line(doc, "– Không có.")
    for c in page["comments"][:20]:
        _line(doc, f"– {c['code']} ({c['level_label']}): {c['comment']}")


def _when(iso: str) -> str:
    moment = datetime.datetime.fromisoformat(iso)
    return f"{moment:%H:%M %d/%m/%Y}"


def _ensure_room(doc: OfficialDocument, height: float) -> None:
    if doc.get_y() + height > doc.h - doc.b_margin:
        doc.add_page()


def _heading(doc: OfficialDocument, text: str, room: float = 20) -> None:
    """A section heading, kept on the same page as ``room`` mm of what follows it."""
    _ensure_room(doc, room)
    doc.ln(2)
    doc.use("B", 12)
    doc.cell(doc.content_width, LINE_H, nfc(text), new_x="LMARGIN", new_y="NEXT")


def _line(doc: OfficialDocument, text: str, style: str = "") -> None:
    doc.use(style, 11)
    doc.set_x(doc.l_margin)
    doc.multi_cell(doc.content_width, 5.5, nfc(text), new_x="LMARGIN", new_y="NEXT")


def _figures_table(doc: OfficialDocument, rows: list[dict[str, str]]) -> None:
    widths = (42.0, doc.content_width - 42.0 - 42.0, 42.0)
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.2)
    group = None
    for row in rows:
        _ensure_room(doc, 6)
        doc.use("B" if row["group"] != group else "", 10.5)
        doc.cell(widths[0], 5.6, nfc(row["group"] if row["group"] != group else ""), border="LR")
        group = row["group"]
        doc.use("", 10.5)
        doc.cell(widths[1], 5.6, nfc(row["label"]), border="LRTB")
        doc.cell(widths[2], 5.6, nfc(row["value"]), border="LRTB", align="R")
        doc.ln(5.6)
    doc.line(doc.l_margin, doc.get_y(), doc.l_margin + widths[0], doc.get_y())


_LINE_H = 4.2  # one line of a name in the per-procedure table (8.5 pt)


def _procedures_table(
    doc: OfficialDocument, procs: list[dict[str, Any]], label: str = "Thủ tục"
) -> None:
    head = (label, "Nhận", "Trước", "Đúng", "Quá", "Từ chối", "Đang", "Trong ngày", "Hài lòng")
    name_w = doc.content_width - 8 * 14.5
    widths = (name_w, *(14.5,) * 8)
    doc.use("B", 7.5)
    for text, wd in zip(head, widths, strict=True):
        doc.cell(wd, 5.5, nfc(text), border=1, align="C")
    doc.ln(5.5)
    doc.use("", 8.5)
    for p in procs:
        # The whole name, wrapped in its cell: imported procedures' names are long ("Thủ
        # tục đăng ký nhận cha, mẹ, con"), and a name cut to "…" reads as another one.
        name = nfc(f"{p['code']} {p['name']}")
        lines: list[str] = doc.multi_cell(name_w, _LINE_H, name, dry_run=True, output="LINES")  # type: ignore[assignment]
        height = max(5.5, _LINE_H * len(lines) + 1)
        _ensure_room(doc, height)
        x, y = doc.get_x(), doc.get_y()
        doc.rect(x, y, name_w, height)
        doc.set_xy(x, y + 0.65)
        doc.multi_cell(name_w, _LINE_H, name, border=0, align="L")
        doc.set_xy(x + name_w, y)
        figures = (
            p["received"],
            p["early"],
            p["on_time"],
            p["late"],
            p["refused"],
            p["in_progress"],
            p["same_day_rate"],
            p["satisfaction_rate"],
        )
        # The figures on the name's first line (a reader, and pdftotext, finds them there).
        for text, wd in zip(figures, widths[1:], strict=True):
            doc.rect(doc.get_x(), y, wd, height)
            doc.cell(wd, 5.5, nfc(str(text)), border=0, align="R")
        doc.set_xy(x, y + height)


def _chart_frame(doc: OfficialDocument, title: str) -> tuple[float, float, float, float]:
    """Title, then the plot area (x, y, w, h) with room below for labels."""
    _ensure_room(doc, _CHART_H + 22)
    doc.use("B", 10.5)
    doc.set_x(doc.l_margin)
    doc.cell(doc.content_width, 6, nfc(title), new_x="LMARGIN", new_y="NEXT")
    x0 = doc.l_margin + 10
    y0 = doc.get_y() + 2
    return x0, y0, doc.content_width - 12, _CHART_H


def _axes(doc: OfficialDocument, x: float, y: float, w: float, h: float, top: str) -> None:
    doc.set_draw_color(*GRID)
    doc.set_line_width(0.1)
    for frac in (0.0, 0.5, 1.0):
        doc.line(x, y + h * frac, x + w, y + h * frac)
    doc.set_draw_color(0, 0, 0)
    doc.set_line_width(0.25)
    doc.line(x, y, x, y + h)
    doc.line(x, y + h, x + w, y + h)
    doc.use("", 7)
    doc.set_xy(x - 10, y - 1.5)
    doc.cell(9, 3, top, align="R")
    doc.set_xy(x - 10, y + h - 1.5)
    doc.cell(9, 3, "0", align="R")


def _x_labels(doc: OfficialDocument, labels: list[str], x: float, y: float, slot: float) -> None:
    doc.use("", 6.5)
    step = max(1, int(len(labels) * 9 / max(1.0, slot * len(labels))))
    for i, label in enumerate(labels):
        if i % step:
            continue
        doc.set_xy(x + i * slot, y + 0.5)
        doc.cell(slot * step, 3, label, align="L" if step > 1 else "C")


def _legend(doc: OfficialDocument, x: float, y: float, keys: list[tuple[str, str, _RGB]]) -> None:
    doc.use("", 8)
    cx = x
    for _, label, colour in keys:
        doc.set_fill_color(*colour)
        doc.rect(cx, y + 0.8, 3, 3, style="F")
        doc.set_xy(cx + 4, y)
        width = doc.get_string_width(nfc(label)) + 2
        doc.cell(width, 4.6, nfc(label))
        cx += width + 7


def _stacked_bars(
    doc: OfficialDocument,
    title: str,
    buckets: list[dict[str, Any]],
    keys: list[tuple[str, str, _RGB]],
) -> None:
    x, y, w, h = _chart_frame(doc, title)
    totals = [sum(int(b[k]) for k, _, _ in keys) for b in buckets]
    top = max(totals, default=0) or 1
    _axes(doc, x, y, w, h, str(top))
    slot = w / max(1, len(buckets))
    bar = slot * 0.7
    for i, b in enumerate(buckets):
        base = y + h
        for key, _, colour in keys:
            height = h * int(b[key]) / top
            if height <= 0:
                continue
            doc.set_fill_color(*colour)
            doc.rect(x + i * slot + (slot - bar) / 2, base - height, bar, height, style="F")
            base -= height
    _x_labels(doc, [str(b["label"]) for b in buckets], x, y + h, slot)
    _legend(doc, x, y + h + 5, keys)
    doc.set_y(y + h + 12)


def _rate_line(doc: OfficialDocument, title: str, buckets: list[dict[str, Any]]) -> None:
    x, y, w, h = _chart_frame(doc, title)
    _axes(doc, x, y, w, h, "100")
    slot = w / max(1, len(buckets))
    points = [
        (x + (i + 0.5) * slot, y + h - h * float(b["rate"]) / 100)
        for i, b in enumerate(buckets)
        if b["rate"] is not None
    ]
    doc.set_draw_color(*LINE)
    doc.set_fill_color(*LINE)
    doc.set_line_width(0.5)
    if len(points) > 1:
        doc.polyline(points)
    for px, py in points:
        doc.circle(px - 0.8, py - 0.8, 1.6, style="F")
    doc.set_draw_color(0, 0, 0)
    _x_labels(doc, [str(b["label"]) for b in buckets], x, y + h, slot)
    _legend(doc, x, y + h + 5, [("rate", "Tỷ lệ nhận và trả trong ngày", LINE)])
    doc.set_y(y + h + 12)
