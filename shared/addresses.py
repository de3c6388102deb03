"""Addresses printed before July 2025 (tỉnh / huyện / xã) mapped to today's two tiers.

ID cards issued before the 1 July 2025 reorganisation print a district; today a place
is named by province and commune only. The mapping comes from `vietnam-address-converter`
(pure Python, the official old→new table of 10,358 rows: 63 → 34 provinces, 10,147 →
3,321 communes), queried with the three trailing parts of the printed address. When a
former commune was split, every candidate is returned so staff pick the right one; the
app always shows the printed and the mapped address side by side for confirmation.

The converter's data module is large (~10 MB, ~1 s to import), so it is imported on first
use and the per-address lookups are cached.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from shared.text import fold


@dataclass(frozen=True)
class MappedAddress:
    """Today's unit for a printed address; ``candidates`` when the old commune was split."""

    street: str  # the part before the commune (ấp, thôn, số nhà), kept as printed
    commune: str  # "Xã Lai Vung" — empty when ambiguous or unknown
    province: str  # "Tỉnh Đồng Tháp"
    status: str  # "matched" | "ambiguous" | "not_found" | "current" (already two-tier)
    candidates: tuple[str, ...] = field(default_factory=tuple)  # "Xã …, Tỉnh …"

    def to_dict(self) -> dict[str, Any]:
        return {
            "street": self.street,
            "commune": self.commune,
            "province": self.province,
            "status": self.status,
            "candidates": list(self.candidates),
        }


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    from vietnam_address_converter.data import DEFAULT_DATA

    data: dict[str, Any] = DEFAULT_DATA
    return data


_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu ", "tp. ", "tp ")


def _fold(text: str) -> str:
    """Accent- and case-insensitive key ("Đồng Tháp" → "dong thap")."""
    return fold(text)


def _bare(text: str) -> str:
    """Folded name without its unit type ("Tỉnh Đồng Tháp" → "dong thap")."""
    folded = _fold(text)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


@lru_cache(maxsize=1)
def _current_units() -> dict[tuple[str, str], tuple[str, str]]:
    """(bare commune, bare province) → ("Xã …", "Tỉnh …") for today's 3,321 units."""
    provinces = _data()["newProvinces"]
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for w in _data()["newWards"].values():
        p = provinces.get(w.get("parent_code"))
        if p:
            out[(_bare(w["name"]), _bare(p["name"]))] = (w["name_with_type"], p["name_with_type"])
    return out


@lru_cache(maxsize=4096)
def map_printed_address(printed: str) -> MappedAddress:
    """Map "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp" → Xã Lai Vung, Tỉnh Đồng Tháp."""
    from vietnam_address_converter.conversion import convert_old_to_new

    parts = [_nfc(p) for p in printed.split(",") if p.strip()]
    if len(parts) < 3 or _fold(parts[-2]).startswith(("xa ", "phuong ", "dac khu ")):
        # "…, Xã Lai Vung, Tỉnh Đồng Tháp": the commune sits where an old district would.
        current = _current_or_unknown(parts)
        if current.status == "current" or len(parts) < 3:
            return current
    ward, district, province = parts[-3], parts[-2], parts[-1]
    street = ", ".join(parts[:-3])
    answer = convert_old_to_new(
        {"province_name": province, "district_name": district, "ward_name": ward},
        None,
        _data(),
    )
    status = str(answer.get("status"))
    if status == "matched" and answer.get("result"):
        new = answer["result"]
        return MappedAddress(
            street,
            new["new_ward"]["name_with_type"],
            new["new_province"]["name_with_type"],
            "matched",
            (),
        )
    candidates = tuple(
        dict.fromkeys(
            f"{c['new_ward']['name_with_type']}, {c['new_province']['name_with_type']}"
            for c in answer.get("candidates") or []
            if c.get("new_ward") and c.get("new_province")
        )
    )
    if candidates:
        province_now = str(answer["candidates"][0]["new_province"]["name_with_type"])
        return MappedAddress(street, "", province_now, "ambiguous", candidates)
    # Maybe the card already prints the two-tier form ("…, Xã Lai Vung, Tỉnh Đồng Tháp").
    return _current_or_unknown(parts)


def _current_or_unknown(parts: list[str]) -> MappedAddress:
    """An address already in the two-tier form, or one nobody can map."""
    if len(parts) >= 2:
        hit = _current_units().get((_bare(parts[-2]), _bare(parts[-1])))
        if hit:
            return MappedAddress(", ".join(parts[:-2]), hit[0], hit[1], "current")
    return MappedAddress(", ".join(parts), "", "", "not_found")


def is_current_unit(commune: str, province: str) -> bool:
    """Whether "xã Lai Vung" / "tỉnh Đồng Tháp" name a unit of the 2025 list (3,321
    communes, wards and special zones of 34 provinces): what samples and demo data are
    checked against, so none names a commune abolished on 1 July 2025."""
    return (_bare(commune), _bare(province)) in _current_units()
