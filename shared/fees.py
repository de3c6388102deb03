"""Fee rules beyond a procedure file's amounts: the exemptions of Luật Hộ tịch, Điều 11,
and the fees a province sets by resolution.

- Luật Hộ tịch 2014, Điều 11 khoản 1 điểm a: registering a civil-status event is free
  for "người thuộc gia đình có công với cách mạng; người thuộc hộ nghèo; người khuyết
  tật". Khoản 2: copies of extracts (bản sao trích lục) are still paid, so an exemption
  clears the base fee and keeps the per-copy amount.
- A procedure whose file says ``"set_by_province": true`` (Giấy xác nhận tình trạng hôn
  nhân) costs what the provincial council's resolution says; the station keeps that
  amount as a setting (``admin fee-set``). Until it is set the receipt says so — it never
  prints "miễn phí" for a fee nobody entered.

Pure: the station passes its settings in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.catalogue import Procedure

__all__ = ["EXEMPTIONS", "EXEMPTION_FIELD", "FeeQuote", "fee_quote", "page_fee", "vnd_text"]

EXEMPTION_FIELD = "fee_exemption"
# value → (how the law names the group, English)
EXEMPTIONS: dict[str, tuple[str, str]] = {
    "co_cong": ("Người thuộc gia đình có công với cách mạng", "Family of a person of merit"),
    "ho_ngheo": ("Người thuộc hộ nghèo", "Member of a poor household"),
    "khuyet_tat": ("Người khuyết tật", "Person with a disability"),
}
EXEMPTION_SOURCE = "Luật Hộ tịch 2014, Điều 11 khoản 1 điểm a"


def vnd_text(amount: int) -> str:
    """ "16.000 đồng" (dots between thousands, as Vietnamese documents write it)."""
    return f"{amount:,} đồng".replace(",", ".")


@dataclass(frozen=True)
class FeeQuote:
    """What a dossier costs, and why."""

    amount_vnd: int | None  # None: the province's amount is not set at this station
    exemption: str | None = None  # a key of EXEMPTIONS when the base fee is waived
    province_fee_missing: bool = False

    def text(self) -> str:
        """The receipt's words: "16.000 đồng", "miễn phí", "miễn lệ phí (…)", or that
        the province's amount is not set."""
        if self.amount_vnd is None:
            return "theo Nghị quyết của HĐND tỉnh (trạm chưa cài đặt mức thu)"
        if self.exemption is not None:
            who = EXEMPTIONS[self.exemption][0]
            waived = f"miễn lệ phí đăng ký ({who.lower()}, {EXEMPTION_SOURCE})"
            return waived if self.amount_vnd == 0 else f"{vnd_text(self.amount_vnd)}; {waived}"
        return "miễn phí" if self.amount_vnd == 0 else vnd_text(self.amount_vnd)


def _count(values: Mapping[str, Any], field_id: str | None, default: int = 1) -> int:
    if field_id is None:
        return default
    v = values.get(field_id)
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0


def page_fee(pages: int, first_pages: int, first_vnd: int, then_vnd: int, cap: int | None) -> int:
    """Fee of one copy of ``pages`` pages: e.g. 2.000 đ for each of the first two pages,
    1.000 đ for each further page, at most ``cap``."""
    if pages <= 0:
        return 0
    fee = min(pages, first_pages) * first_vnd + max(pages - first_pages, 0) * then_vnd
    return min(fee, cap) if cap is not None else fee


def exemption_of(procedure: Procedure, values: Mapping[str, Any]) -> str | None:
    """The exemption claimed on a procedure that offers the choice (None otherwise)."""
    if not any(f.id == EXEMPTION_FIELD for f in procedure.fields):
        return None
    value = values.get(EXEMPTION_FIELD)
    return value if isinstance(value, str) and value in EXEMPTIONS else None


def fee_quote(
    procedure: Procedure,
    values: Mapping[str, Any],
    province_fees: Mapping[str, int] | None = None,
) -> FeeQuote:
    """The fee of a dossier with these values: base (or the province's amount), waived
    for an exempt person, plus per-copy and per-page amounts."""
    exemption = exemption_of(procedure, values)
    base: int | None = procedure.fee_vnd
    if procedure.fee_set_by_province:
        base = (province_fees or {}).get(procedure.code)
    if exemption is not None:
        base = 0
    extra = sum(u.vnd * _count(values, u.field, 0) for u in procedure.per_unit_fees)
    pf = procedure.pages_fee
    if pf is not None:
        pages = _count(values, pf.pages_field, 0)
        per_copy = page_fee(pages, pf.first_pages, pf.first_vnd, pf.then_vnd, pf.cap_per_copy_vnd)
        extra += per_copy * _count(values, pf.copies_field)
    if base is None:
        return FeeQuote(None, exemption, province_fee_missing=True)
    return FeeQuote(base + extra, exemption)
