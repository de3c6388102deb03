"""Bundle of 2.000815 Chứng thực bản sao từ bản chính: the scanned copy.

Two results, by how the copy was made:

- a copy brought or photocopied on paper: one page with the statement (the layout in
  ``result.json``, after Thông tư 01/2020/TT-BTP);
- a copy made by scanning — the dossier's photos of the copies (or, without them, of the
  original: ``shared.issuing.scanned_copy``), given as ``ResultMeta.scan_pages``: the
  result *is* the copy, the scanned pages in order, each marked "Bản sao – trang i/n" at
  its foot, and the statement on the last page below
  the last scan, with the joining note when the copy has two pages or more ("Lời chứng
  được ghi tại trang cuối của bản sao…", Nghị định 23/2015/NĐ-CP, Điều 20).

The scanned copy stays Python (docs/procedures.md says why): its pages are images
whose size decides where the statement goes, which a line layout cannot say.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from shared.attachments import image_size
from shared.catalogue import Procedure
from shared.documents.official import nfc, place_date_line
from shared.documents.result import CivilDocument, RenderedResult, ResultMeta
from shared.legal_text import fixed_sentence

__all__ = ["JOINING_NOTE", "STATEMENT", "render_scan"]

# The layout's fixed sentences (result.json, with their sources): the scanned copy prints
# the same words as the paper copy's statement.
TITLE = "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH"
STATEMENT = fixed_sentence("chung_thuc_ban_sao", "statement").text
JOINING_NOTE = fixed_sentence("chung_thuc_ban_sao", "joining").text
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
