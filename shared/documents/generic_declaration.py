"""The generic tờ khai: the declaration of a procedure without a form of its own.

An imported procedure (``shared.catalogue_import``) asks the requester, how to reach
them and the request in the citizen's own words (:mod:`shared.generic_procedure`); this
draws that as the declaration the citizen signs, on the page of
:mod:`shared.documents.declaration` (Quốc hiệu, "Kính gửi", the signature column). Its
title is the "TỜ KHAI" of the forms of Thông tư 04/2020/TT-BTP followed by the
procedure's name; its cam đoan is the tờ khai's own sentence (docs/legal.md, "The
generic tờ khai"). The papers handed in are listed from the procedure's components, as
the checklist ticked them.
"""

from __future__ import annotations

from typing import Any

from shared.catalogue import Procedure
from shared.documents.layout_text import TextContext, parse_text
from shared.generic_procedure import REQUEST_FIELD
from shared.signatures import SigningParty, signing_parties

__all__ = ["INTRO", "draw", "title"]

# The opening line of the request (the phrase of the hộ tịch tờ khai, "Đề nghị cơ quan
# … cho người có tên dưới đây", shortened to what every procedure shares).
INTRO = "Đề nghị cơ quan có thẩm quyền giải quyết yêu cầu của tôi như sau:"


def title(procedure: Procedure) -> str:
    """ "TỜ KHAI" and, under it, the procedure's name as published."""
    return f"TỜ KHAI\n{procedure.name.vi}"


def draw(pdf: Any) -> list[SigningParty]:
    """The body of the generic tờ khai on declaration.py's page (``_Form``, passed in:
    this module must not import the one that registers it); returns who signs it."""
    pdf.row(("Họ, chữ đệm, tên người yêu cầu", pdf.val("requester_full_name")))
    if pdf.v.get("requester_birth_date"):
        pdf.row(("Ngày, tháng, năm sinh", pdf.val("requester_birth_date")))
    pdf.row(("Nơi cư trú", pdf.val("requester_residence")))
    # The identity line as every tờ khai draws it ("Giấy tờ tùy thân", the layouts' format).
    ctx = TextContext(pdf.d.procedure, pdf.v)
    identity = parse_text("{requester_id_number|identity_read}", "generic", lambda _: True)
    pdf.row(("Giấy tờ tùy thân", identity.render(ctx)))
    contact = [
        (label, pdf.val(fid))
        for label, fid in (("Số điện thoại", "requester_phone"), ("Thư điện tử", "requester_email"))
        if pdf.val(fid)
    ]
    if contact:
        pdf.row(*contact)
    pdf.ln(1.5)
    pdf.para(f"Thủ tục: {pdf.d.procedure.name.vi} (mã {pdf.d.procedure.code})", style="B")
    pdf.para(INTRO, style="B")
    pdf.para(pdf.val(REQUEST_FIELD), indent=6.0)
    components = pdf.d.procedure.components
    if components:
        pdf.ln(1.0)
        pdf.para("Giấy tờ kèm theo:")
        for i, c in enumerate(components, start=1):
            form = {"original": "bản chính", "copy": "bản sao"}.get(
                c.form, "bản chính hoặc bản sao"
            )
            pdf.para(f"{i}. {c.name.vi} ({form})", indent=6.0)
    pdf.ln(1.5)
    # The cam đoan: the very words the citizen accepted on the tablet (the label of the
    # must-accept pledge field), so the two never drift apart.
    for f in pdf.d.procedure.fields:
        if f.type == "bool" and f.must_accept and f.id.endswith("pledge"):
            pdf.para(f.label.vi)
    return signing_parties(pdf.d.procedure)
