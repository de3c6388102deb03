"""Issue 21 §8: the procedure picker, the read-back and the receipt state one fee — the
rule ``shared.validation.compute_fee`` applies, in words (shared/fee_text.py)."""

from __future__ import annotations

import pytest

from shared import fee_text
from shared.procedures import builtin
from shared.samples import sample_values
from shared.validation import compute_fee
from shared.workdays import vn_now

RULES = {
    "1.001193": "8.000 đồng × số bản sao Giấy khai sinh yêu cầu cấp",
    "1.000656": "8.000 đồng × số bản sao Trích lục khai tử yêu cầu cấp",
    "2.000815": (
        "(2.000 đồng/trang cho 2 trang đầu, 1.000 đồng/trang từ trang thứ 3, "
        "tối đa 200.000 đồng/bản) × số bản sao cần chứng thực"
    ),
    "2.000884": "10.000 đồng",
    "1.000894": "8.000 đồng × đề nghị cấp bản sao Giấy chứng nhận kết hôn (số bản)",
    "1.004873": "theo Nghị quyết của HĐND tỉnh",  # the province's amount (issue 17)
}


@pytest.mark.parametrize("code,words", sorted(RULES.items()))
def test_the_rule_in_words(code: str, words: str) -> None:
    assert fee_text.rule(builtin().get(code)) == words


def test_english_words() -> None:
    assert fee_text.rule(builtin().get("1.001193"), "en") == (
        "8,000 VND × number of copies of the birth certificate"
    )
    assert fee_text.amount(16000, "en") == "16,000 VND" and fee_text.amount(0, "en") == "free"
    assert fee_text.amount(16000) == "16.000 đồng" and fee_text.amount(0) == "miễn phí"


@pytest.mark.parametrize("code", [p.code for p in builtin().all()])
def test_free_is_said_only_where_nothing_is_charged(code: str) -> None:
    """What the picker said ("miễn phí") while the read-back charged 16.000 đ is gone:
    a procedure whose sample dossiers cost something never reads as free."""
    proc = builtin().get(code)
    charged = {compute_fee(proc, sample_values(code, vn_now().date(), s)) for s in range(8)}
    if charged != {0} or proc.fee_set_by_province:
        assert "miễn phí" not in fee_text.rule(proc)
    else:
        assert fee_text.rule(proc) == "miễn phí"
