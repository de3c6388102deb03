"""A result made outside Tại Chỗ, recorded at "stamp" for a procedure without a result
layout (:data:`shared.catalogue.GENERIC_TEMPLATE`): a signed PDF produced in another
system and attached, or a paper result whose number and date are recorded.

The shape and the checks that need no PDF library live here; the station checks a PDF's
signatures with pyHanko (``sync_server/services/office/external_results.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from shared.errors import problem

__all__ = ["MAX_PDF_BYTES", "ExternalResult", "paper_result"]

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


def paper_result(number: object, issued_on: object, today: date) -> tuple[str, str]:
    """The paper result's number ("Số 12/QĐ-UBND") and date checked: a number of
    letters, digits and ./- (at most 60), a real date not after today."""
    text = number.strip() if isinstance(number, str) else ""
    if not _NUMBER_RE.match(text):
        raise problem(
            "RESULT_PAPER_INVALID",
            "paper_number",
            detail="the number: 1–60 letters, digits, '.', '/', '-'",
            detail_vi="số của kết quả: 1–60 chữ, số, dấu '.', '/', '-'",
        )
    try:
        day = date.fromisoformat(issued_on) if isinstance(issued_on, str) else None
    except ValueError:
        day = None
    if day is None:
        raise problem(
            "RESULT_PAPER_INVALID",
            "paper_issued_on",
            detail="the date: YYYY-MM-DD",
            detail_vi="ngày ký kết quả: dạng năm-tháng-ngày",
        )
    if day > today:
        raise problem(
            "RESULT_PAPER_INVALID",
            "paper_issued_on",
            detail="the date is in the future",
            detail_vi="ngày ký kết quả ở tương lai",
        )
    return text, day.isoformat()
