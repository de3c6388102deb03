"""Fixed sentences the law prescribes, each declared once with its source.

A result or declaration that prints one of these takes it from here, and the tests quote
them back out of the PDFs (pdftotext). docs/legal.md lists each with its source and says
where a text could not be checked against the official gazette.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SIGNATURE_ONE_STOP",
    "SIGNATURE_PLEDGE",
    "TINH_TRANG_VALIDITY",
    "FixedText",
    "signature_statement",
]


@dataclass(frozen=True)
class FixedText:
    """One sentence of a legal text and where it comes from."""

    text: str
    source: str  # document, article, date in force


# Thông tư 04/2020/TT-BTP, Điều 12 khoản 2 (in force 16/7/2020).
TINH_TRANG_VALIDITY = FixedText(
    "Giấy xác nhận tình trạng hôn nhân có giá trị đến thời điểm thay đổi tình trạng hôn nhân "
    "hoặc 06 tháng kể từ ngày cấp, tùy theo thời điểm nào đến trước.",
    "Thông tư 04/2020/TT-BTP, Điều 12 khoản 2 (hiệu lực 16/7/2020)",
)

# The certification statement of a signature received at the one-stop shop: the template
# of Thông tư 01/2020/TT-BTP (lời chứng chứng thực chữ ký tại bộ phận tiếp nhận và trả kết
# quả), whose wording the issue-17 review requires: the citizen signed before the
# receiving officer, not before the chairman ("trước mặt tôi" would be false).
SIGNATURE_ONE_STOP = FixedText(
    "cam đoan đã hiểu, tự chịu trách nhiệm về nội dung của giấy tờ, văn bản và đã ký vào "
    "giấy tờ, văn bản này trước mặt ông/bà {receiver}, là người tiếp nhận hồ sơ.",
    "Thông tư 01/2020/TT-BTP, mẫu lời chứng chứng thực chữ ký tại bộ phận một cửa "
    "(hiệu lực 05/5/2020); mẫu thay thế của Nghị định 280/2025/NĐ-CP chưa đối chiếu được",
)

# What the signer confirms on the tablet and on the request (the house wording, built from
# the statement's own words, since the procedure has no tờ khai of its own).
SIGNATURE_PLEDGE = FixedText(
    "Tôi cam đoan đã hiểu, tự chịu trách nhiệm về nội dung của giấy tờ, văn bản và ký vào "
    "giấy tờ, văn bản đó trước mặt người tiếp nhận hồ sơ.",
    "Lời của Tại Chỗ theo mẫu lời chứng của Thông tư 01/2020/TT-BTP",
)


def signature_statement(receiver: str) -> str:
    """The one-stop statement naming the officer who saw the citizen sign."""
    return SIGNATURE_ONE_STOP.text.format(receiver=receiver or "…")
