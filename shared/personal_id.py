"""The 12-digit personal identification number (số định danh cá nhân, on the CCCD card).

Structure (Nghị định 137/2015/NĐ-CP, Điều 13; Thông tư 07/2016/TT-BCA, as amended by
Thông tư 59/2021/TT-BCA): three digits for the province of birth registration (the 63
pre-2025 province codes — numbers issued before the July 2025 merger keep them) or, for
a birth registered abroad, of the country where it was registered, one digit for
century and sex (0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, 6/7 = 23rd,
8/9 = 24th), two digits for the birth year, then six random digits. A number whose parts
contradict the person's sex or date of birth cannot be genuine.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Literal

from shared.errors import problem

# Thông tư 07/2016/TT-BCA, Phụ lục: mã tỉnh nơi đăng ký khai sinh.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}


# Việt Nam's own numeric code: a birth registered in Việt Nam carries a province code.
_VIET_NAM_NUMERIC = "704"


@functools.lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Three-digit country codes a number of a birth registered abroad may start with
    (Nghị định 137/2015/NĐ-CP, Điều 13: "mã tỉnh … hoặc mã quốc gia nơi công dân đăng ký
    khai sinh"), read as ISO 3166-1 numeric codes — ``840`` for the United States. The
    annex that lists them was not found (docs/legal.md); a code that is also a province
    code (``004``, ``008`` …) is read as the province. Việt Nam's own ``704`` is not one."""
    import pycountry  # only when a number is not a province's (its data loads slowly)

    out = {
        str(c.numeric): str(c.name)
        for c in pycountry.countries
        if c.numeric != _VIET_NAM_NUMERIC and c.numeric not in PROVINCE_CODES
    }
    return out


def birth_registration_place(number: str) -> str | None:
    """The province or country a number's first three digits name (None if neither)."""
    prefix = number[:3]
    if prefix in PROVINCE_CODES:
        return PROVINCE_CODES[prefix]
    return country_codes().get(prefix)


Fault = Literal["format", "province", "sex", "year"]


def century_sex_digit(female: bool, born_year: int) -> int:
    """The 4th digit for a person of this sex born in this year."""
    century = born_year // 100 - 19  # 1900s → 0, 2000s → 1, ...
    if not 0 <= century <= 4:
        raise ValueError(f"year {born_year} outside 1900–2399")
    return century * 2 + (1 if female else 0)


def personal_id_fault(
    number: str,
    *,
    female: bool | None = None,
    birth_year: int | None = None,
    today: date | None = None,
) -> Fault | None:
    """What is structurally wrong with a number (None if nothing): the one rule that the
    form validation, the CCCD QR parser and the samples share."""
    if not (len(number) == 12 and number.isascii() and number.isdigit()):
        return "format"
    if birth_registration_place(number) is None:
        return "province"
    digit = int(number[3])
    encoded_year = 1900 + 100 * (digit // 2) + int(number[4:6])
    if female is not None and (digit % 2 == 1) != female:
        return "sex"
    if today is not None and encoded_year > today.year:
        return "year"
    if birth_year is not None and birth_year != encoded_year:
        return "year"
    return None


def check_personal_id(
    number: str,
    *,
    sex: str | None = None,
    dob: date | None = None,
    birth_year: int | None = None,
    field: str = "number",
) -> str:
    """Return the number if its structure holds (and agrees with sex/birth year if known);
    else raise ``PERSONAL_ID_FORMAT`` / ``_PROVINCE`` / ``_SEX`` / ``_YEAR``.

    ``sex`` is "male"/"female" (the CCCD QR's words, normalised by ``shared.cccd``).
    """
    fault = personal_id_fault(
        number,
        female=None if sex is None else sex == "female",
        birth_year=dob.year if dob is not None else birth_year,
    )
    if fault == "format":
        raise problem("PERSONAL_ID_FORMAT", field)
    if fault == "province":
        raise problem("PERSONAL_ID_PROVINCE", field)
    if fault == "sex":
        raise problem("PERSONAL_ID_SEX", field)
    if fault == "year":
        raise problem("PERSONAL_ID_YEAR", field)
    return number


def make_personal_id(province: str, female: bool, born_year: int, serial: int) -> str:
    """A structurally valid number (for samples and tests; real ones come from the state)."""
    if province not in PROVINCE_CODES:
        raise ValueError(f"unknown province code {province}")
    digit = century_sex_digit(female, born_year)
    return f"{province}{digit}{born_year % 100:02d}{serial % 1_000_000:06d}"
