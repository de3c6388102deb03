"""The QR code on the chip ID card (CCCD / thẻ căn cước), parsed for "Ngày không viết".

The QR code carries ``number|old CMND or empty|full name|ddMMyyyy|sex|address|ddMMyyyy``
(community-documented; newer cards append fields, which are tolerated). It reaches the
app from a scanner that types like a keyboard, from pasted text or from a camera photo,
so surrounding whitespace, NFD text and stray control characters are normalised away.

Parsing is all-or-nothing: a string with the wrong field count, a non-digit number or an
impossible date raises one catalogued problem naming the part at fault, so nothing is
ever half-filled into a form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.errors import Code, problem
from shared.personal_id import check_personal_id
from shared.workdays import vn_now

_MIN_FIELDS = 7
_MAX_LEN = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SEX = {"nam": "male", "nữ": "female", "nu": "female", "male": "male", "female": "female"}
# The parts of the QR string, for the ``field`` of a problem.
PARTS = ("number", "old_id", "name", "dob", "sex", "address", "issued")


@dataclass(frozen=True)
class CccdCard:
    """What the card's QR code says, normalised (NFC text, ISO dates)."""

    number: str
    old_id: str  # the old 9-digit CMND, or "" when the card has none
    name: str
    dob: date
    sex: str  # "male" | "female"
    address_printed: str
    issued: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "old_id": self.old_id,
            "name": self.name,
            "dob": self.dob.isoformat(),
            "sex": self.sex,
            "address_printed": self.address_printed,
            "issued": self.issued.isoformat(),
        }


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", _CONTROL.sub("", text)).split())


def _date(raw: str, part: str) -> date:
    code: Code = "CCCD_QR_DOB" if part == "dob" else "CCCD_QR_ISSUED"
    if not re.fullmatch(r"\d{8}", raw):
        raise problem(code, part)
    try:
        return date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
    except ValueError:
        raise problem(code, part) from None


def parse_cccd_qr(text: str, today: date | None = None) -> CccdCard:
    """Parse one QR string; raise a catalogued problem for anything malformed."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_LEN:
        raise problem("CCCD_QR_FIELDS", "qr", count=0)
    raw = unicodedata.normalize("NFC", text).strip().strip("\r\n")
    parts = [_clean(p) for p in raw.split("|")]
    if len(parts) < _MIN_FIELDS:
        raise problem("CCCD_QR_FIELDS", "qr", count=len(parts))
    number, old_id, name, dob_raw, sex_raw, address, issued_raw = parts[:_MIN_FIELDS]
    if not re.fullmatch(r"\d{12}", number):
        raise problem("CCCD_QR_NUMBER", "number")
    if old_id and not re.fullmatch(r"\d{9}", old_id):
        raise problem("CCCD_QR_OLD_ID", "old_id")
    if not name or any(ch.isdigit() for ch in name):
        raise problem("CCCD_QR_NAME", "name")
    dob = _date(dob_raw, "dob")
    issued = _date(issued_raw, "issued")
    sex = _SEX.get(sex_raw.lower())
    if sex is None:
        raise problem("CCCD_QR_SEX", "sex")
    if not address:
        raise problem("CCCD_QR_ADDRESS", "address")
    today = today or vn_now().date()
    if dob > today:
        raise problem("CCCD_QR_DOB", "dob")
    if issued > today or issued < dob:
        raise problem("CCCD_QR_ISSUED", "issued")
    # The number itself encodes the birth province, century/sex and birth year.
    check_personal_id(number, sex=sex, dob=dob, field="number")
    return CccdCard(number, old_id, name, dob, sex, address, issued)


def scanned_card(text: str, today: date | None = None) -> dict[str, Any]:
    """What the form and ``headless parse-cccd`` show after a scan: the card's fields, and
    the printed address beside today's two-tier unit (with candidates for staff to pick
    when the former commune was split) — see ``shared.addresses``."""
    from shared.addresses import map_printed_address

    card = parse_cccd_qr(text, today)
    mapped = map_printed_address(card.address_printed)
    return {
        **card.to_dict(),
        "address_mapped": {
            "commune": mapped.commune,
            "province": mapped.province,
            "candidates": list(mapped.candidates),
            "street": mapped.street,
            "status": mapped.status,
        },
    }
