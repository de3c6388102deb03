"""The result of 1.001193 Đăng ký khai sinh: the GIẤY KHAI SINH (bản chính).

Laid out after the Ministry of Justice's form (Thông tư 04/2020/TT-BTP as amended by
Thông tư 04/2024/TT-BTP): a reserved space for the national emblem, Quốc hiệu and tiêu
ngữ, the title and "Số", the child, the mother, the father (labels with empty values
when the father is not known), who registered and with which identity document, where
and when, and the signing officer's block — title and name printed, the signature and
seal left as a blank room (:class:`~shared.documents.result.SignatureBoxes`) for the
station's PAdES signatures. A second page is left for later notes. No letterhead, no
hash line, no drawn seal. Every label of a choice comes from the bundle's
procedure.json.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.catalogue import Procedure
from shared.documents.official import BODY_SIZE, LINE_H, nfc
from shared.documents.result import (
    CivilDocument,
    RenderedResult,
    ResultMeta,
    SignatureBoxes,
    identity_text,
    iso_date,
    text_of,
    vn_date,
)
from shared.numwords import date_to_words

__all__ = ["EMBLEM_BOX", "render"]

TITLE = "GIẤY KHAI SINH"
# Reserved for the national emblem (mm: x, y, w, h): no registry package ships a vector
# of it whose public-domain status is clear, so the space stays empty.
EMBLEM_BOX = (97.5, 12.0, 30.0, 22.0)
NOTES_TITLE = "GHI CHÚ NHỮNG THAY ĐỔI HỘ TỊCH SAU NÀY"

# Line heights (mm) tried in turn until the certificate fits on one page: long values
# (a birth place of several lines) get slightly tighter lines rather than a second page.
_LINE_HEIGHTS = (LINE_H, 6.5, 6.0, 5.6)


def render(
    procedure: Procedure, values: Mapping[str, object], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    """Render the GIẤY KHAI SINH (bản chính) as a two-page PDF (form, notes page).

    ``values`` are the dossier's values of procedure 1.001193 (dates as ISO strings);
    ``demo`` adds the "MẪU – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" watermark to every page. The
    output is deterministic. Raises ``ValueError`` for a missing or malformed birth date,
    or values too long to fit the page even with the tightest lines.
    """
    for line_h in _LINE_HEIGHTS:
        pdf, boxes = _layout(procedure, values, meta, line_h, demo)
        if pdf.page_no() == 1:
            pdf.notes_page(NOTES_TITLE)
            return pdf.finish(boxes, TITLE)
        pdf.discard()
    raise ValueError("the values are too long for a one-page Giấy khai sinh")


def _layout(
    procedure: Procedure,
    values: Mapping[str, object],
    meta: ResultMeta,
    line_h: float,
    demo: bool,
) -> tuple[CivilDocument, SignatureBoxes]:
    def label(key: str) -> str:
        raw = values.get(key)
        if raw is None or isinstance(raw, bool):
            return ""
        return nfc(procedure.field(key).choice_label(raw))

    birth = iso_date(values, "child_birth_date")
    birth_words = text_of(values, "child_birth_date_words") or date_to_words(birth)
    father_known = values.get("father_known") is not False

    pdf = CivilDocument(
        demo=demo,
        title="Giấy khai sinh",
        subject=f"{text_of(values, 'child_full_name')} — mã hồ sơ {meta.dossier_code}",
        author=meta.registration_office,
        created=meta.registered_on,
    )
    pdf.line_h = line_h
    pdf.add_page()
    x0, w0 = float(pdf.l_margin), pdf.content_width
    y = pdf.national_heading(top=EMBLEM_BOX[1] + EMBLEM_BOX[3] + 2.0)
    y = pdf.centred_lines(x0, w0, y + 4.0, TITLE, style="B", size=16, h=8.0)
    y = pdf.centred_lines(x0, w0, y, f"Số: {meta.register_number}", size=BODY_SIZE)
    pdf.set_xy(x0, y + 3.0)

    line = pdf.field_line
    line(("Họ, chữ đệm, tên", text_of(values, "child_full_name").upper(), "B"))
    line(("Ngày, tháng, năm sinh", birth.strftime("%d/%m/%Y"), "B"))
    line(("Ngày, tháng, năm sinh bằng chữ", birth_words, ""))
    line(
        ("Giới tính", label("child_sex"), ""),
        ("Dân tộc", label("child_ethnicity"), ""),
        ("Quốc tịch", label("child_nationality"), ""),
    )
    line(("Nơi sinh", text_of(values, "child_birth_place"), ""))
    line(("Quê quán", text_of(values, "child_hometown"), ""))
    line(("Số định danh cá nhân", text_of(values, "child_personal_id"), ""))

    for who, prefix, known in (("mẹ", "mother", True), ("cha", "father", father_known)):
        pdf.ln(1.0)

        def v(key: str, prefix: str = prefix, known: bool = known) -> str:
            return text_of(values, f"{prefix}_{key}") if known else ""

        def lab(key: str, prefix: str = prefix, known: bool = known) -> str:
            return label(f"{prefix}_{key}") if known else ""

        line((f"Họ, chữ đệm, tên người {who}", v("full_name").upper(), "B"))
        line(
            ("Ngày, tháng, năm sinh", vn_date(v("birth_date")), ""),
            ("Dân tộc", lab("ethnicity"), ""),
            ("Quốc tịch", lab("nationality"), ""),
        )
        line(("Nơi cư trú", v("residence"), ""))

    pdf.ln(1.0)
    line(("Họ, chữ đệm, tên người đi khai sinh", text_of(values, "requester_full_name"), ""))
    line(("Giấy tờ tùy thân", identity_text(procedure, values, "requester"), ""))
    line(("Nơi đăng ký khai sinh", nfc(meta.registration_office), ""))
    line(("Ngày, tháng, năm đăng ký", meta.registered_on.strftime("%d/%m/%Y"), ""))

    boxes, bottom = pdf.leader_signature(
        meta,
        heading="NGƯỜI KÝ GIẤY KHAI SINH",
        hint="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
        y=float(pdf.get_y()) + 4.0,
    )
    pdf.code_and_qr(meta, bottom)
    return pdf, boxes
