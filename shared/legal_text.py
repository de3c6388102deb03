"""Fixed sentences the law prescribes, each declared once with its source.

The sentences a result or a declaration prints are data: each procedure folder's
``result.json`` / ``declaration.json`` holds them under ``"sentences"`` with their source,
and the layouts print them from there. This module names the ones other code and the
tests quote (:func:`fixed_sentence`); docs/legal.md lists each with its source and says
where a text could not be checked against the official gazette.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = [
    "SIGNATURE_ONE_STOP",
    "SIGNATURE_PLEDGE",
    "TINH_TRANG_VALIDITY",
    "VALID_MONTHS",
    "FixedText",
    "fixed_sentence",
    "signature_statement",
    "valid_until",
]

_FOLDERS = Path(__file__).resolve().parent / "procedures"


@dataclass(frozen=True)
class FixedText:
    """One sentence of a legal text and where it comes from."""

    text: str
    source: str  # document, article, date in force


def fixed_sentence(folder: str, key: str, layout: str = "result.json") -> FixedText:
    """The sentence ``key`` of a procedure folder's layout, as written there (a template:
    ``{meta.receiver_name||'…'}`` names the receiving officer)."""
    data = json.loads((_FOLDERS / folder / layout).read_text(encoding="utf-8"))
    item = data["sentences"][key]
    return FixedText(item["text"], item["source"])


# Thông tư 04/2020/TT-BTP, Điều 12 khoản 2 (in force 16/7/2020).
TINH_TRANG_VALIDITY = fixed_sentence("tinh_trang_hon_nhan", "validity")
VALID_MONTHS = 6  # the same article: "06 tháng kể từ ngày cấp"

# The certification statement of a signature received at the one-stop shop: the template
# of Thông tư 01/2020/TT-BTP (lời chứng chứng thực chữ ký tại bộ phận tiếp nhận và trả kết
# quả), whose wording the issue-17 review requires: the citizen signed before the
# receiving officer, not before the chairman ("trước mặt tôi" would be false).
SIGNATURE_ONE_STOP = fixed_sentence("chung_thuc_chu_ky", "one_stop")
_RECEIVER = "{meta.receiver_name||'…'}"


# What the signer confirms on the tablet and on the request (the house wording, built from
# the statement's own words, since the procedure has no tờ khai of its own).
SIGNATURE_PLEDGE = FixedText(
    "Tôi cam đoan đã hiểu, tự chịu trách nhiệm về nội dung của giấy tờ, văn bản và ký vào "
    "giấy tờ, văn bản đó trước mặt người tiếp nhận hồ sơ.",
    "Lời của Tại Chỗ theo mẫu lời chứng của Thông tư 01/2020/TT-BTP",
)


def signature_statement(receiver: str) -> str:
    """The one-stop statement naming the officer who saw the citizen sign."""
    return SIGNATURE_ONE_STOP.text.replace(_RECEIVER, receiver or "…")


def valid_until(issued: date, months: int = VALID_MONTHS) -> date:
    """The last day a Giấy xác nhận tình trạng hôn nhân may be used: ``months`` after
    issue, the day before the same day of the month (clamped to the month's end)."""
    m = issued.month - 1 + months
    year, month = issued.year + m // 12, m % 12 + 1
    day = min(issued.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)
