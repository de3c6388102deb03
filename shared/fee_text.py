"""A fee in words, for every place a person reads one (issue 21 §8).

The procedure picker once said "miễn phí" for khai sinh and chứng thực bản sao while the
read-back charged 16.000 đ and 10.000 đ: the picker read only the base amount, the
read-back the whole rule. Now both read the rule that ``shared.validation.compute_fee``
applies: :func:`rule` states it before anything is typed (base amount, per-copy and
per-page amounts, the cap), :func:`amount` writes the sum ``compute_fee`` gives once the
values are known — on the tablet's screens and on the printed receipt alike.
"""

from __future__ import annotations

from shared.catalogue import Procedure
from shared.fees import vnd_text

__all__ = ["amount", "rule"]


def _number(vnd: int, lang: str) -> str:
    text = f"{vnd:,}"
    return text.replace(",", ".") if lang == "vi" else text


def amount(vnd: int, lang: str = "vi") -> str:
    """``0`` → "miễn phí"; ``16000`` → "16.000 đồng" (``shared.fees.vnd_text``, as the
    receipt says it); "16,000 VND" in English."""
    if vnd == 0:
        return "miễn phí" if lang == "vi" else "free"
    return vnd_text(vnd) if lang == "vi" else f"{_number(vnd, lang)} VND"


def _label(procedure: Procedure, field_id: str | None, lang: str) -> str:
    for f in procedure.fields:
        if f.id == field_id:
            text = f.label.get(lang)
            return text[:1].lower() + text[1:]
    return field_id or ""


def rule(procedure: Procedure, lang: str = "vi") -> str:
    """What the procedure costs, as ``compute_fee`` reckons it, before the values are
    known: "miễn phí; 8.000 đồng × số bản sao Giấy khai sinh yêu cầu cấp"."""
    vi = lang == "vi"
    if procedure.fee_set_by_province:  # the station's setting, unknown before the dossier
        base = "theo Nghị quyết của HĐND tỉnh" if vi else "set by the province"
    else:
        base = amount(procedure.fee_vnd, lang)
    parts = [base]
    for unit in procedure.per_unit_fees:
        parts.append(f"{amount(unit.vnd, lang)} × {_label(procedure, unit.field, lang)}")
    pf = procedure.pages_fee
    if pf is not None:
        first, then = amount(pf.first_vnd, lang), amount(pf.then_vnd, lang)
        if vi:
            page = f"{first}/trang cho {pf.first_pages} trang đầu, {then}/trang từ trang thứ "
            page += f"{pf.first_pages + 1}"
            if pf.cap_per_copy_vnd is not None:
                page += f", tối đa {amount(pf.cap_per_copy_vnd, lang)}/bản"
        else:
            page = f"{first} a page for the first {pf.first_pages} pages, {then} a page from "
            page += f"page {pf.first_pages + 1}"
            if pf.cap_per_copy_vnd is not None:
                page += f", at most {amount(pf.cap_per_copy_vnd, lang)} a copy"
        if pf.copies_field:
            page = f"({page}) × {_label(procedure, pf.copies_field, lang)}"
        parts.append(page)
    if len(parts) > 1 and procedure.fee_vnd == 0 and not procedure.fee_set_by_province:
        parts = parts[1:]  # nothing to pay but what is counted: no "free" first
    return "; ".join(parts)
