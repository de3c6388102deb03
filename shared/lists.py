"""Reference lists that several procedures share: ethnic groups, countries, province codes.

A procedure file names a list with ``"choices_from"`` instead of repeating it, so the 54
ethnic groups are declared once (here) and every form and document prints the same names.

- Ethnic groups: the General Statistics Office's "Danh mục các dân tộc Việt Nam"
  (Quyết định 121-TCTK/PPCĐ, 1979), codes 01–54 and the names as that list writes them,
  plus "Người nước ngoài" for a foreign parent (no GSO code: ``""``).
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
    "named_list",
]

# (GSO code, name as the GSO list writes it)
ETHNIC_GROUPS: tuple[tuple[str, str], ...] = (
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "HMông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba na"),
    ("14", "Xơ-Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Co Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
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


def named_list(name: str) -> tuple[tuple[str, str, str], ...] | None:
    """A list a procedure file may name in ``choices_from``: (value, label vi, label en)."""
    if name == "dan_toc":
        groups = tuple((n, n, n) for _, n in ETHNIC_GROUPS)
        return (*groups, (FOREIGNER, FOREIGNER, "Foreign national"))
    if name == "quoc_gia":
        return countries()
    return None
