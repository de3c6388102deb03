"""The enrolment code: one-time secret plus the certificate pin, typed loosely."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from shared import enrol_code


def test_code_with_pin_parses_back_and_matches_only_its_certificate() -> None:
    fp = hashlib.sha256(b"certificate").digest()
    code = enrol_code.with_pin("7KQ4-M2XD-PZ9A", fp)
    assert code.startswith("7KQ4-M2XD-PZ9A-") and code.count("-") == 7
    typed = enrol_code.parse(code.lower().replace("-", " ").replace("0", "o"))
    assert typed is not None and typed.secret == "7KQ4-M2XD-PZ9A"
    assert typed.matches(fp)
    assert not typed.matches(hashlib.sha256(b"another").digest())


def test_secret_alone_parses_without_pin_and_matches_nothing() -> None:
    typed = enrol_code.parse("7kq4 m2xd pz9a")
    assert typed is not None and typed.pin is None
    assert not typed.matches(hashlib.sha256(b"x").digest())


def test_wrong_lengths_and_symbols_do_not_parse() -> None:
    assert enrol_code.parse("7KQ4-M2XD") is None
    assert enrol_code.parse("7KQ4-M2XD-PZ9A-1") is None
    assert enrol_code.parse("7KQ4-M2XD-PZ9U") is None  # U is not in the alphabet


@given(st.binary(min_size=32, max_size=32), st.binary(min_size=32, max_size=32))
def test_pin_is_the_first_100_bits(a: bytes, b: bytes) -> None:
    same_top = (int.from_bytes(a, "big") >> 156) == (int.from_bytes(b, "big") >> 156)
    assert (enrol_code.pin_symbols(a) == enrol_code.pin_symbols(b)) == same_top
    assert len(enrol_code.pin_symbols(a)) == 20
