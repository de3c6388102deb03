"""Reference lists that several procedures share: ethnic groups, countries, province codes.

A procedure file names a list with ``"choices_from"`` instead of repeating it, so the 54
ethnic groups are declared once (here) and every form and document prints the same names.

- Ethnic groups: the General Statistics Office's "Danh mục các dân tộc Việt Nam" of
  Quyết định 1019/QĐ-TCTK (12/11/2008), the list QCVN 109 refers to for data exchange —
  not the 1979 numbering of Quyết định 121-TCTK/PPCĐ, which put Hoa at 04 and Mường at
  06. Forms store the group's name (unchanged); a code sent out is the 2008 one
  (:func:`ethnic_code`). "Người nước ngoài" (a foreign parent) has no code.
- Countries: ISO 3166-1 from the ``pycountry`` package (codes and English names); the
  Vietnamese names come from pycountry's translations, overridden below where the
  translation is not the name Vietnamese civil-status books use ("Cộng hoà Nam Hàn" →
  "Hàn Quốc"). The stored value is the alpha-2 code ("VN").
- Province codes: the first three digits of a 12-digit personal identification number
  (Thông tư 59/2021/TT-BCA, Phụ lục I; the 63 provinces before the 2025 merger, which
  numbers issued since keep).
"""

from __future__ import annotations

import functools
import gettext

import pycountry

from shared.personal_id import PROVINCE_CODES as _PROVINCE_CODES

__all__ = [
    "ETHNIC_GROUPS",
    "FOREIGNER",
    "PROVINCE_CODES",
    "countries",
    "ethnic_code",
    "named_list",
]

# (code of Quyết định 1019/QĐ-TCTK, name as the stored value and documents write it), in
# the decision's order. Codes 01–20 checked against QCVN 109 Phụ lục E and the GSO's own
# list; 21–54 follow a restatement of the same order (docs/legal.md says which is which).
ETHNIC_GROUPS: tuple[tuple[str, str], ...] = (
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Mường"),
    ("05", "Khơ-me"),
    ("06", "Hoa"),
    ("07", "Nùng"),
    ("08", "HMông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ê-đê"),
    ("12", "Ba na"),
    ("13", "Sán Chay"),
    ("14", "Chăm"),
    ("15", "Cơ-ho"),
    ("16", "Xơ-Đăng"),
    ("17", "Sán Dìu"),
    ("18", "Hrê"),
    ("19", "Ra-glai"),
    ("20", "Mnông"),
    ("21", "Thổ"),
    ("22", "Xtiêng"),
    ("23", "Khơ-mú"),
    ("24", "Bru-Vân Kiều"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié Triêng"),
    ("28", "Tà-ôi"),
    ("29", "Mạ"),
    ("30", "Co"),
    ("31", "Chơ-ro"),
    ("32", "Hà Nhì"),
    ("33", "Xinh-mun"),
    ("34", "Chu ru"),
    ("35", "Lào"),
    ("36", "Kháng"),
    ("37", "La Chí"),
    ("38", "Phù Lá"),
    ("39", "La Hủ"),
    ("40", "La Ha"),
    ("41", "Pà Thẻn"),
    ("42", "Lự"),
    ("43", "Ngái"),
    ("44", "Chứt"),
    ("45", "Lô Lô"),
    ("46", "Mảng"),
    ("47", "Co Lao"),
    ("48", "Bố Y"),
    ("49", "Cống"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Rơ-măm"),
    ("53", "Brâu"),
    ("54", "Ơ Đu"),
)
FOREIGNER = "Người nước ngoài"

# First three digits of a personal identification number → province (63, before 2025).
# The 63 pre-2025 province codes of the personal identification number (one home).
PROVINCE_CODES = _PROVINCE_CODES

# Vietnamese names civil-status books use where pycountry's translation differs.
_VI_OVERRIDES: dict[str, str] = {
    "VN": "Việt Nam",
    "US": "Hoa Kỳ",
    "KR": "Hàn Quốc",
    "KP": "Triều Tiên",
    "KH": "Campuchia",
    "LA": "Lào",
    "TW": "Đài Loan (Trung Quốc)",
    "HK": "Hồng Kông (Trung Quốc)",
    "MO": "Ma Cao (Trung Quốc)",
    "GB": "Vương quốc Anh",
    "RU": "Liên bang Nga",
    "TH": "Thái Lan",
    "JP": "Nhật Bản",
    "CN": "Trung Quốc",
    "AU": "Úc",
    "DE": "Đức",
    "FR": "Pháp",
    "MY": "Ma-lai-xi-a",
    "SG": "Xinh-ga-po",
    "ID": "In-đô-nê-xi-a",
    "PH": "Phi-líp-pin",
    "CZ": "Séc",
    "TR": "Thổ Nhĩ Kỳ",
    "CV": "Cabo Verde",
    "MK": "Bắc Macedonia",
    "SZ": "Eswatini",
    "BL": "Saint Barthélemy",
}


@functools.lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, str, str], ...]:
    """(alpha-2, Vietnamese name, English name) of every ISO 3166-1 country; Việt Nam
    first, then by Vietnamese name."""
    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)
    rows = []
    for c in pycountry.countries:
        en = getattr(c, "common_name", None) or c.name
        name_vi = _VI_OVERRIDES.get(c.alpha_2) or vi.gettext(c.name)
        rows.append((str(c.alpha_2), str(name_vi), str(en)))
    rows.sort(key=lambda r: (r[0] != "VN", r[1].casefold()))
    return tuple(rows)


def ethnic_code(name: str) -> str | None:
    """The Quyết định 1019/QĐ-TCTK code of an ethnic group as stored ("Mường" → "04");
    None for "Người nước ngoài" or a name not on the list (nothing is guessed)."""
    return _ETHNIC_CODES.get(name)


_ETHNIC_CODES = {n: c for c, n in ETHNIC_GROUPS}


def named_list(name: str) -> tuple[tuple[str, str, str], ...] | None:
    """A list a procedure file may name in ``choices_from``: (value, label vi, label en)."""
    if name == "dan_toc":
        groups = tuple((n, n, n) for _, n in ETHNIC_GROUPS)
        return (*groups, (FOREIGNER, FOREIGNER, "Foreign national"))
    if name == "quoc_gia":
        return countries()
    return None
