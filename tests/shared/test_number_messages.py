"""The messages of number blocks and catalogue updates decode strictly (shared.messages)."""

from __future__ import annotations

from typing import Any

import pytest

from shared import messages as m
from shared.errors import TaiChoError
from shared.procedures import builtin

BLOCK = {"type": "numbers", "unit": "000.31.22.H20", "day": "2026-11-25", "lo": 51, "hi": 100}


def test_a_number_block_round_trips() -> None:
    item = m.decode_feed_item(BLOCK)
    assert isinstance(item, m.NumberBlock) and (item.lo, item.hi) == (51, 100)
    assert m.to_dict(item) == BLOCK


@pytest.mark.parametrize(
    "bad",
    [
        {**BLOCK, "hi": 50},  # below lo
        {**BLOCK, "lo": 0},
        {**BLOCK, "hi": 10_001},  # past the day's 10 000 numbers
        {**BLOCK, "day": "25/11/2026"},
        {**BLOCK, "unit": "x y"},
        {**BLOCK, "extra": 1},
    ],
)
def test_a_wrong_number_block_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(TaiChoError) as exc:
        m.decode_feed_item(bad)
    assert exc.value.code == "REQUEST_INVALID"


def test_pull_request_carries_an_optional_numbers_report() -> None:
    plain = m.decode(m.PullRequest, {"device_id": "d", "after": 3})
    assert plain.numbers is None
    req = m.decode(m.PullRequest, {"device_id": "d", "numbers": [{"day": "2026-11-25", "left": 7}]})
    assert req.numbers == [m.NumbersLeft("2026-11-25", 7)]
    with pytest.raises(TaiChoError):
        m.decode(m.PullRequest, {"device_id": "d", "numbers": [{"day": "x", "left": -1}]})


def test_a_catalogue_update_carries_whole_definitions() -> None:
    docs = [p.source for p in builtin().all()]
    item = m.decode_feed_item({"type": "catalogue", "procedures": docs, "catalogue_version": 2})
    assert isinstance(item, m.CatalogueUpdate) and item.catalogue_version == 2
    assert [d["code"] for d in item.procedures] == builtin().codes()
    older = m.decode_feed_item({"type": "catalogue", "procedures": []})  # before versions
    assert isinstance(older, m.CatalogueUpdate) and older.catalogue_version == 0
