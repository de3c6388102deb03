"""The generic sample's request fits its procedure (issue 18): "the request in the
citizen's words" is made from each imported record — its name says what is asked, its
cơ quan thực hiện whom, its kết quả what the citizen receives — not one sentence for all."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from shared.catalogue import Procedure, Text, parse_procedure
from shared.catalogue_import import parse_catalogue_file
from shared.generic_procedure import REQUEST_FIELD, generic_sample, request_text
from shared.validation import validate

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)


def _starter() -> list[Procedure]:
    data = (ROOT / "data" / "catalogue" / "commune-procedures.json").read_bytes()
    docs, _ = parse_catalogue_file(data, "commune-procedures.json")
    return [parse_procedure(d, f"starter[{i}]") for i, d in enumerate(docs)]


PROCEDURES = {p.code: p for p in _starter()}


def test_the_three_ways_of_asking_name_the_procedure_and_whom_and_what() -> None:
    p = PROCEDURES["2.000635"]  # Cấp bản sao Trích lục hộ tịch
    assert [request_text(p, v) for v in range(3)] == [
        "Tôi đề nghị Ủy ban nhân dân xã giải quyết cho tôi việc cấp bản sao Trích lục hộ tịch.",
        "Tôi làm đơn này đề nghị được cấp bản sao Trích lục hộ tịch; kết quả xin nhận: "
        "Bản sao Trích lục hộ tịch.",
        "Kính đề nghị Ủy ban nhân dân xã xem xét, cấp bản sao Trích lục hộ tịch theo hồ sơ "
        "kèm theo.",
    ]


def test_a_leading_thu_tuc_is_dropped_and_the_agency_is_the_records() -> None:
    guardianship = PROCEDURES["1.004837"]  # "Thủ tục đăng ký giám hộ"
    assert request_text(guardianship, 0) == (
        "Tôi đề nghị Ủy ban nhân dân xã giải quyết cho tôi việc đăng ký giám hộ."
    )
    disability = PROCEDURES["1.001699"]  # done by the chairman
    assert request_text(disability, 2).startswith("Kính đề nghị Chủ tịch Ủy ban nhân dân xã ")


def test_without_a_result_in_the_record_none_is_named() -> None:
    p = PROCEDURES["2.000635"]
    bare = replace(
        p, result_name=Text("Kết quả giải quyết thủ tục hành chính", "Result of the procedure")
    )
    assert request_text(bare, 1) == "Tôi làm đơn này đề nghị được cấp bản sao Trích lục hộ tịch."


@pytest.mark.parametrize("code", sorted(PROCEDURES))
def test_every_starter_procedures_sample_asks_for_that_procedure(code: str) -> None:
    p = PROCEDURES[code]
    for seed in range(3):
        values = generic_sample(p, TODAY, seed)
        text = values[REQUEST_FIELD]
        assert unicodedata.is_normalized("NFC", text)
        assert text in {request_text(p, v) for v in range(3)}
        name = p.name.vi.removeprefix("Thủ tục ")
        assert name[1:] in text  # the procedure's own words
        assert validate(p, values, TODAY).ok


def test_two_procedures_samples_ask_for_different_things() -> None:
    texts = {request_text(p, 0) for p in PROCEDURES.values()}
    assert len(texts) == len(PROCEDURES) >= 30
