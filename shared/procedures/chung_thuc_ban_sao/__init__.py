"""Bundle of 2.000815 Chứng thực bản sao từ bản chính: definition, result (the
certification statement, lời chứng, after Thông tư 01/2020/TT-BTP), sample.

Two results, by how the copy was made:

- a copy brought or photocopied on paper: one page with the statement (the form);
- a copy made by scanning — the dossier's photos of the copies (or, without them, of the
  original: ``shared.issuing.scanned_copy``), given as ``ResultMeta.scan_pages``: the
  result *is* the copy, the scanned pages in order, each marked "Bản sao – trang i/n" at
  its foot, and the statement on the last page below
  the last scan, with the joining note when the copy has two pages or more ("Lời chứng
  được ghi tại trang cuối của bản sao…", Nghị định 23/2015/NĐ-CP, Điều 20).
"""

from __future__ import annotations

import io
import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from shared.attachments import image_size
from shared.catalogue import Procedure
from shared.documents.official import nfc, place_date_line
from shared.documents.result import (
    CivilDocument,
    FormSpec,
    RenderedResult,
    ResultMeta,
    ValueReader,
    identity_text,
    render_form,
)
from shared.procedures import people

__all__ = ["render", "render_scan", "sample"]

TITLE = "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH"


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    if meta.scan_pages:
        return render_scan(procedure, values, meta, demo=demo)
    from shared.validation import compute_fee

    t = ValueReader(procedure, values).text
    fee = compute_fee(procedure, values)
    spec = FormSpec(
        title=TITLE,
        number_line=f"Số chứng thực: {meta.register_number}",
        extra_left=(f"Quyển số: {meta.register_book} - SCT/BS",),
        lines=(
            "Chứng thực bản sao đúng với bản chính.",
            None,
            (("Giấy tờ, văn bản", t("document_name"), "B"),),
            (("Cơ quan cấp", t("document_issuer"), ""),),
            (
                ("Số trang của bản chính", t("page_count"), ""),
                ("Số bản sao", t("copy_count"), ""),
            ),
            (("Người yêu cầu chứng thực", t("requester_full_name"), ""),),
            (("Giấy tờ tùy thân", identity_text(procedure, values, "requester"), ""),),
            (("Phí chứng thực", f"{fee:,} đồng".replace(",", "."), ""),),
            (("Ngày, tháng, năm chứng thực", meta.registered_on.strftime("%d/%m/%Y"), ""),),
            *_joining(values),
        ),
        heading="NGƯỜI THỰC HIỆN CHỨNG THỰC",
        hint="(Ký, ghi rõ họ tên và đóng dấu)",
        doc_title="Chứng thực bản sao từ bản chính",
    )
    return render_form(spec, meta, demo=demo)


# Nghị định 23/2015/NĐ-CP, Điều 20: a copy of two pages or more carries the statement on
# its last page, and a copy of two sheets or more is sealed across its sheets (giáp lai).
JOINING_NOTE = (
    "Lời chứng được ghi tại trang cuối của bản sao; bản sao có từ 02 tờ trở lên được "
    "đóng dấu giáp lai."
)


def _joining(values: Mapping[str, object]) -> tuple[str, ...]:
    pages = values.get("page_count")
    return (JOINING_NOTE,) if isinstance(pages, int) and pages >= 2 else ()


STATEMENT = "Chứng thực bản sao đúng với bản chính."
# Room kept under the last scan for the statement and the signature, in mm.
_STATEMENT_ROOM = 112.0


def _place_scan(pdf: CivilDocument, data: bytes, top: float, bottom: float) -> None:
    """One scanned page, as large as fits between ``top`` and ``bottom`` (its shape kept)."""
    size = image_size(data) or (1, 1)
    x0, w = float(pdf.l_margin), pdf.content_width
    h = bottom - top
    scale = min(w / size[0], h / size[1])
    iw, ih = size[0] * scale, size[1] * scale
    pdf.image(io.BytesIO(data), x=x0 + (w - iw) / 2, y=top, w=iw, h=ih)
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    pdf.rect(x0 + (w - iw) / 2, top, iw, ih)
    pdf.set_draw_color(0, 0, 0)


def render_scan(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    """The scanned copy with its statement on the last page (see the module doc)."""
    pages = meta.scan_pages
    n = len(pages)
    pdf = CivilDocument(
        demo=demo,
        title="Chứng thực bản sao từ bản chính",
        subject=f"Mã hồ sơ {meta.dossier_code}",
        author=meta.registration_office,
        created=meta.registered_on,
    )
    pdf.set_auto_page_break(False)
    x0, w0 = float(pdf.l_margin), pdf.content_width
    foot = float(pdf.h) - 12.0
    for i, data in enumerate(pages, 1):
        pdf.add_page()
        top = float(pdf.t_margin)
        last = i == n
        bottom = foot - 4.0 - (_STATEMENT_ROOM if last else 0.0)
        _place_scan(pdf, data, top, bottom)
        pdf.use("I", 9)
        pdf.set_xy(x0, foot)
        pdf.cell(w0, 4.0, nfc(f"Bản sao – trang {i}/{n} – mã hồ sơ {meta.dossier_code}"), align="R")
        pdf.use()
    y = foot - 4.0 - _STATEMENT_ROOM + 2.0
    pdf.set_xy(x0, y)
    pdf.paragraph(STATEMENT, style="B")
    number = f"Số chứng thực: {meta.register_number}; Quyển số: {meta.register_book} - SCT/BS"
    pdf.paragraph(number)
    if n >= 2:
        pdf.paragraph(f"Bản sao gồm {n:02d} trang. {JOINING_NOTE}", size=11.0)
    rx, rw = pdf.right_column
    y = pdf.centred_lines(
        rx,
        rw,
        float(pdf.get_y()) + 1.0,
        place_date_line(meta.place_name, meta.registered_on),
        style="I",
    )
    boxes, bottom = pdf.leader_signature(
        meta,
        heading="NGƯỜI THỰC HIỆN CHỨNG THỰC",
        hint="(Ký, ghi rõ họ tên và đóng dấu)",
        y=y,
    )
    pdf.code_and_qr(meta, bottom)
    return pdf.finish(boxes, TITLE)


def sample(today: date, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    female = rng.random() < 0.5
    born = people.birth_date(rng, today, 18, 70)
    return {
        "requester_full_name": people.full_name(rng, female),
        "requester_id_type": "cccd",
        "requester_id_number": people.personal_id(rng, female, born),
        "requester_phone": people.phone(rng),
        "document_name": rng.choice(
            ["Bằng tốt nghiệp trung học phổ thông", "Giấy khai sinh", "Sổ hộ khẩu"]
        ),
        "document_issuer": "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp",
        "page_count": rng.randint(1, 6),
        "copy_count": rng.randint(1, 5),
        "extension_days": 0,
        "original_presented": True,
    }
