"""The five papers of the one-stop shop, each a pure function ``PaperDossier → PDF bytes``."""

from __future__ import annotations

from shared import fee_text
from shared.documents.official import BODY_SIZE, date_line
from shared.documents.paperwork.base import (
    PaperDossier,
    PaperPage,
    clock_text,
    office_of,
)

__all__ = [
    "APOLOGY_TITLE",
    "CONTROL_SHEET_TITLE",
    "RECEIPT_TITLE",
    "REFUSAL_TITLE",
    "SUPPLEMENT_TITLE",
    "render_apology",
    "render_control_sheet",
    "render_receipt",
    "render_refusal",
    "render_supplement_request",
]

RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
SUPPLEMENT_TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
REFUSAL_TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
CONTROL_SHEET_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"


def _page(p: PaperDossier, title: str, subject: str) -> PaperPage:
    return PaperPage(title=f"{title} – {p.code}", subject=subject, author=p.agency_name)


def _citizen_lines(pdf: PaperPage, p: PaperDossier) -> None:
    """The citizen block every paper carries."""
    pdf.field_line("Ông/bà", p.citizen, bold_value=True)
    if p.citizen_address:
        pdf.field_line("Địa chỉ", p.citizen_address)
    if p.citizen_phone:
        pdf.field_line("Số điện thoại", p.citizen_phone)
    pdf.field_line("Nội dung yêu cầu giải quyết", p.procedure)


def render_receipt(p: PaperDossier) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the dossier code as a QR code."""
    pdf = _page(p, RECEIPT_TITLE, "Giấy tiếp nhận hồ sơ")
    pdf.start(p, RECEIPT_TITLE)
    # The dossier code, large, with its QR code to its right.
    y = float(pdf.get_y())
    qr = 24.0
    pdf.draw_qr(pdf.w - pdf.r_margin - qr, y - 2.0, p.code, qr)
    pdf.use("B", BODY_SIZE)
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(pdf.content_width - qr - 2, pdf.line_h, f"Mã hồ sơ: {p.code}")
    pdf.set_xy(pdf.l_margin, y + pdf.line_h)
    pdf.para(f"{office_of(p)} đã tiếp nhận hồ sơ của:", right=qr + 3.0)
    pdf.set_y(max(float(pdf.get_y()), y + qr))
    _citizen_lines(pdf, p)
    pdf.para("1. Thành phần hồ sơ nộp gồm:")
    for i, c in enumerate(p.components, 1):
        pdf.para(f"{i}) {c.name} – {c.form}: {c.count:02d} bản", indent=6.0)
    if not p.components:
        pdf.para("(theo danh mục của thủ tục)", indent=6.0)
    pdf.para("2. Số lượng hồ sơ: 01 (bộ)")
    limit = (
        "trong ngày (ngày không hẹn)"
        if p.time_limit_days == 0
        else f"{p.time_limit_days:02d} ngày làm việc"
    )
    pdf.para(f"3. Thời gian giải quyết hồ sơ theo quy định là: {limit}")
    if p.received_at:
        pdf.para(f"4. Thời gian nhận hồ sơ: {clock_text(p.received_at)}")
    if p.due_at:
        pdf.para(f"5. Thời gian trả kết quả giải quyết hồ sơ: {clock_text(p.due_at)}", style="B")
    pdf.para(f"6. Đăng ký nhận kết quả tại: {p.collect_at or office_of(p)}")
    if p.fee_text:
        pdf.para(f"7. Lệ phí, phí phải nộp: {p.fee_text}")
    elif p.fee_vnd is not None:
        pdf.para(f"7. Lệ phí, phí phải nộp: {fee_text.amount(p.fee_vnd)}")
    pdf.two_signatures(
        ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", p.citizen),
        ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", p.receiver),
    )
    return pdf.output_bytes()


def render_supplement_request(p: PaperDossier) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what is missing and why."""
    pdf = _page(p, SUPPLEMENT_TITLE, "Yêu cầu bổ sung hồ sơ")
    pdf.start(p, SUPPLEMENT_TITLE)
    pdf.field_line("Mã hồ sơ", p.code, bold_value=True)
    pdf.para(f"{office_of(p)} tiếp nhận hồ sơ của:")
    _citizen_lines(pdf, p)
    if p.received_at:
        pdf.field_line("Thời gian tiếp nhận", clock_text(p.received_at))
    pdf.para(
        "Sau khi xem xét thành phần hồ sơ, đề nghị Ông/bà bổ sung, hoàn thiện hồ sơ "
        "gồm những nội dung sau:"
    )
    pdf.numbered(p.items or (p.reason,))
    if p.items and p.reason:
        pdf.field_line("Lý do", p.reason)
    pdf.para(
        "Thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ đã bổ sung, hoàn thiện. "
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/bà liên hệ "
        f"{office_of(p)} để được hướng dẫn."
    )
    pdf.two_signatures(
        ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", p.citizen),
        ("Người hướng dẫn", "(Ký và ghi rõ họ tên)", p.by),
    )
    return pdf.output_bytes()


def render_refusal(p: PaperDossier) -> bytes:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ, with the reason."""
    pdf = _page(p, REFUSAL_TITLE, "Từ chối hồ sơ")
    pdf.start(p, REFUSAL_TITLE)
    pdf.field_line("Mã hồ sơ", p.code, bold_value=True)
    pdf.para(f"{office_of(p)} tiếp nhận hồ sơ của:")
    _citizen_lines(pdf, p)
    what = "tiếp nhận" if p.refused_at_intake else "giải quyết"
    pdf.para(
        f"Qua xem xét, {p.agency_name} thông báo không {what} hồ sơ này với lý do cụ thể như sau:"
    )
    pdf.para(p.reason or "…", style="B", indent=6.0)
    pdf.para("Xin thông báo cho Ông/bà được biết và thực hiện.")
    pdf.two_signatures(
        ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", p.citizen),
        (p.by_title or "Người từ chối", "(Ký và ghi rõ họ tên)", p.by),
    )
    return pdf.output_bytes()


def render_apology(p: PaperDossier) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: the reason and the new date."""
    pdf = _page(p, APOLOGY_TITLE, "Xin lỗi và hẹn lại ngày trả kết quả")
    pdf.start(p, APOLOGY_TITLE)
    received = clock_text(p.received_at) if p.received_at else "…"
    pdf.para(f"Ngày {received.split('ngày ')[-1]}, {p.agency_name} tiếp nhận giải quyết hồ sơ của:")
    _citizen_lines(pdf, p)
    pdf.field_line("Mã hồ sơ", p.code, bold_value=True)
    if p.due_at:
        pdf.field_line("Ngày hẹn trả kết quả giải quyết hồ sơ", clock_text(p.due_at))
    pdf.para(f"Tuy nhiên đến nay, {p.agency_name} chưa trả kết quả giải quyết hồ sơ cho Ông/bà.")
    pdf.field_line("Lý do", p.reason)
    new = clock_text(p.new_due_at) if p.new_due_at else "…"
    pdf.para(
        f"Sự chậm trễ này đã gây phiền hà cho Ông/bà. {p.agency_name} xin lỗi Ông/bà và sẽ "
        f"trả kết quả giải quyết hồ sơ cho Ông/bà vào {new}."
    )
    pdf.para("Rất mong nhận được sự thông cảm của Ông/bà.")
    if pdf.get_y() + 60 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.signature_block(p.by_title or "CHỦ TỊCH", p.by, y=pdf.get_y() + 4)
    return pdf.output_bytes()


def render_control_sheet(p: PaperDossier) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: each hand-over, when, on time or not."""
    pdf = _page(p, CONTROL_SHEET_TITLE, "Kiểm soát quá trình giải quyết hồ sơ")
    pdf.start(p, CONTROL_SHEET_TITLE)
    pdf.field_line("Mã hồ sơ", p.code, bold_value=True)
    pdf.field_line("Kèm theo hồ sơ của Ông/bà", p.citizen)
    pdf.field_line("Nội dung yêu cầu giải quyết", p.procedure)
    if p.received_at:
        pdf.field_line("Thời gian nhận hồ sơ", clock_text(p.received_at))
    if p.due_at:
        pdf.field_line("Thời gian hẹn trả kết quả", clock_text(p.due_at))
    pdf.ln(2)
    pdf.use("", 11.0)
    with pdf.table(
        width=pdf.content_width,
        align="LEFT",
        col_widths=(24, 37, 37, 20, 19, 28),
        text_align=("LEFT", "LEFT", "LEFT", "CENTER", "CENTER", "LEFT"),
        line_height=5.0,
        first_row_as_headings=True,
    ) as table:
        table.row(
            (
                "Bước",
                "Bên giao (người giao)",
                "Bên nhận (người nhận)",
                "Thời gian",
                "Kết quả",
                "Ghi chú",
            )
        )
        for s in p.stages:
            when = f"{s.at:%H:%M}\n{s.at:%d/%m/%Y}"
            table.row((s.step, s.handed_by, s.received_by, when, s.result, s.note))
    pdf.use()
    pdf.ln(3)
    day = p.issued_on or (p.stages[-1].at.date() if p.stages else None)
    if day:
        pdf.para(f"Phiếu lập {date_line(day)}.", style="I", size=11.0)
    if p.audit_anchor:
        pdf.ln(2)
        pdf.para("Mốc nhật ký kiểm tra đã ký (kiểm bằng audit-verify --anchor):", size=8.0)
        pdf.para(p.audit_anchor, size=7.5)
    return pdf.output_bytes()
