"""A result made outside Tại Chỗ, recorded at "stamp" for a procedure without a result
layout (:data:`shared.catalogue.GENERIC_TEMPLATE`): a signed PDF produced in another
system and attached, or a paper result whose number and date are recorded.

The shape and the checks that need no PDF library live here; the station checks a PDF's
signatures with pyHanko (``sync_server/services/office/external_results.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared import wire
from shared.errors import problem

__all__ = [
    "MAX_PDF_BYTES",
    "CheckedSignature",
    "ExternalResult",
    "RecordedResult",
    "paper_result",
]

MAX_PDF_BYTES = 5 * 1024 * 1024  # a signed decision or extract is far smaller
_NUMBER_RE = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ./\- ]{1,60}$")


@dataclass(frozen=True)
class ExternalResult:
    """What the clerk hands over at "stamp": ``pdf`` bytes, or a paper ``number`` and
    ``issued_on`` (ISO date)."""

    pdf: bytes | None = None
    number: str | None = None
    issued_on: str | None = None

    @property
    def kind(self) -> str:
        return "pdf" if self.pdf is not None else "paper"


@dataclass(frozen=True)
class CheckedSignature:
    """One signature of an attached PDF as pyHanko found it at "stamp" (the station
    refuses a PDF with a broken one, so ``intact`` and ``valid`` are always true here;
    ``trusted`` says whether the signer's CA is one this station trusts)."""

    field: str
    signer: str
    organisation: str
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    signed_at: str


@dataclass(frozen=True)
class RecordedResult:
    """What the station recorded at "stamp" for a result made elsewhere
    (``GET /v1/dossiers/{id}/external-result``, the desk's dossier page): a PDF (its hash
    and checked signatures) or a paper result (its number and date)."""

    kind: str  # "pdf" or "paper"
    recorded_by: str
    sha256: str | None = None
    number: str | None = None
    issued_on: str | None = None
    signatures: list[CheckedSignature] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out

    @classmethod
    def from_dict(cls, data: Any) -> RecordedResult:
        return wire.decode(cls, data, "external_result")


_VN_DAY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _day(text: object) -> date | None:
    """``2026-12-07`` or, as a Vietnamese paper prints it, ``07/12/2026`` (day first)."""
    if not isinstance(text, str):
        return None
    t = text.strip()
    vn = _VN_DAY_RE.match(t)
    try:
        if vn:
            return date(int(vn[3]), int(vn[2]), int(vn[1]))
        return date.fromisoformat(t) if len(t) == 10 else None
    except ValueError:
        return None


def paper_result(number: object, issued_on: object, today: date) -> tuple[str, str]:
    """The paper result's number ("Số 12/QĐ-UBND") and date checked: a number of
    letters, digits and ./- (at most 60), a real date not after today, given as
    ``YYYY-MM-DD`` or ``dd/mm/yyyy``; returns the number and the ISO date."""
    text = number.strip() if isinstance(number, str) else ""
    if not _NUMBER_RE.match(text):
        raise problem(
            "RESULT_PAPER_INVALID",
            "paper_number",
            detail="the number: 1–60 letters, digits, '.', '/', '-'",
            detail_vi="số của kết quả: 1–60 chữ, số, dấu '.', '/', '-'",
        )
    day = _day(issued_on)
    if day is None:
        raise problem(
            "RESULT_PAPER_INVALID",
            "paper_issued_on",
            detail="the date: YYYY-MM-DD or dd/mm/yyyy",
            detail_vi="ngày ký kết quả: dạng ngày/tháng/năm (vd. 07/12/2026)",
        )
    if day > today:
        raise problem(
            "RESULT_PAPER_INVALID",
            "paper_issued_on",
            detail="the date is in the future",
            detail_vi="ngày ký kết quả ở tương lai",
        )
    return text, day.isoformat()
