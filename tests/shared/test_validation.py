"""The validation engine against the khai sinh catalogue: good paths and every bad one."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import TaiChoError
from shared.procedures import builtin
from shared.samples import sample_values
from shared.validation import validate

TODAY = date(2026, 11, 25)
KS = builtin().get("1.001193")


def sample(**changes: Any) -> dict[str, Any]:
    values = sample_values("1.001193", TODAY)
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def codes(values: dict[str, Any]) -> dict[str, str]:
    return {p.field or "": p.code for p in validate(KS, values, TODAY).problems}


def test_sample_is_valid_and_derives_date_in_words() -> None:
    result = validate(KS, sample(child_birth_date="05/11/2026"), TODAY)
    assert result.ok, [p.to_problem() for p in result.problems]
    assert result.values["child_birth_date"] == "2026-11-05"
    assert "hai nghìn không trăm hai mươi sáu" in result.values["child_birth_date_words"]


def test_empty_form_lists_every_required_field_in_vietnamese() -> None:
    result = validate(KS, {}, TODAY)
    by_field = result.by_field()
    assert by_field["child_full_name"].message("vi") == "Vui lòng nhập Họ, chữ đệm, tên."
    assert by_field["child_full_name"].message("en") == "Full name is required."
    # Defaults fill ethnicity, nationality, father_known and copies.
    assert "child_ethnicity" not in by_field and "copies_requested" not in by_field
    assert by_field["father_full_name"].code == "FIELD_REQUIRED"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"child_birth_date": "2026-12-01"}, "child_birth_date", "FIELD_DATE_FUTURE"),
        ({"child_birth_date": "31/02/2026"}, "child_birth_date", "FIELD_TYPE"),
        ({"child_birth_date": "1800-01-01"}, "child_birth_date", "FIELD_DATE_TOO_OLD"),
        ({"child_sex": "x"}, "child_sex", "FIELD_CHOICE"),
        ({"requester_id_number": "12345"}, "requester_id_number", "FIELD_CCCD"),
        ({"requester_phone": "12"}, "requester_phone", "FIELD_PHONE"),
        ({"mother_birth_date": "3000"}, "mother_birth_date", "FIELD_DATE_FUTURE"),
        ({"mother_birth_date": "năm"}, "mother_birth_date", "FIELD_TYPE"),
        ({"mother_birth_date": "13/1990"}, "mother_birth_date", "FIELD_TYPE"),
        ({"requester_id_number": "099192001234"}, "requester_id_number", "FIELD_ID_PROVINCE"),
        ({"requester_pledge": False}, "requester_pledge", "FIELD_MUST_ACCEPT"),
        ({"child_nationality": "Việt Nam"}, "child_nationality", "FIELD_CHOICE"),
        ({"copies_requested": -1}, "copies_requested", "FIELD_MIN"),
        ({"copies_requested": True}, "copies_requested", "FIELD_TYPE"),
        ({"child_full_name": "Nguyễn Văn 3"}, "child_full_name", "FIELD_PATTERN"),
        ({"child_full_name": "A" * 101}, "child_full_name", "FIELD_TOO_LONG"),
        ({"child_full_name": "   "}, "child_full_name", "FIELD_REQUIRED"),
        ({"child_full_name": ["list"]}, "child_full_name", "FIELD_TYPE"),
        ({"nickname": "Bé Na"}, "nickname", "FIELD_UNKNOWN"),
        ({"requester_relationship": "khac"}, "requester_relationship_other", "FIELD_REQUIRED"),
    ],
)
def test_bad_values_give_precise_problems(changes: dict[str, Any], field: str, code: str) -> None:
    assert codes(sample(**changes)).get(field) == code


def test_show_if_hides_and_drops_father_fields() -> None:
    values = sample(father_known=False)
    mother_family = values["mother_full_name"].split()[0]
    values["child_full_name"] = f"{mother_family} Thị Mai Anh"
    result = validate(KS, values, TODAY)
    assert result.ok, [p.to_problem() for p in result.problems]
    assert not any(k.startswith("father_") and k != "father_known" for k in result.values)


def test_max_age_counts_completed_years() -> None:
    # Turns 121 tomorrow: still 120 today, allowed; turned 121 today: over the limit.
    # (no mother's birth date: the child may not be born before the mother)
    assert "child_birth_date" not in codes(
        sample(child_birth_date="1905-11-26", mother_birth_date=None)
    )
    too_old = codes(sample(child_birth_date="1905-11-25", mother_birth_date=None))
    assert too_old["child_birth_date"] == "FIELD_DATE_TOO_OLD"


def test_derived_field_cannot_be_forged_by_the_client() -> None:
    result = validate(KS, sample(child_birth_date_words="ngày giả"), TODAY)
    assert result.values["child_birth_date_words"] != "ngày giả"


def test_text_is_normalised_to_nfc_and_trimmed() -> None:
    decomposed = unicodedata.normalize("NFD", "  Lê   Hoàng Phúc ")
    result = validate(KS, sample(child_full_name=decomposed), TODAY)
    assert result.values["child_full_name"] == unicodedata.normalize("NFC", "Lê Hoàng Phúc")


def test_raise_if_invalid_carries_every_problem() -> None:
    with pytest.raises(TaiChoError) as exc:
        validate(KS, {}, TODAY).raise_if_invalid()
    assert exc.value.code == "DOSSIER_INVALID"
    assert exc.value.details and all("field" in d for d in exc.value.details)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f.id for f in KS.fields]),
        st.one_of(
            st.none(), st.booleans(), st.integers(), st.text(max_size=40), st.lists(st.integers())
        ),
    )
)
def test_arbitrary_input_never_crashes(junk: dict[str, Any]) -> None:
    result = validate(KS, {**sample(), **junk}, TODAY)
    for p in result.problems:
        assert p.field and p.message("vi")


def test_partial_dates_read_back_as_people_write_them() -> None:
    from shared.validation import partial_date_text

    assert partial_date_text("1998-01-05") == "05/01/1998"
    assert partial_date_text("1998-01") == "01/1998"
    assert partial_date_text("1998") == "1998"
    assert partial_date_text("5/1/1998") == "05/01/1998"
    assert partial_date_text(1998) == "1998"
    assert partial_date_text(None) == ""


def test_every_sample_of_every_procedure_is_valid_on_any_day() -> None:
    """Samples feed the demo and many tests: a seed that yields an invalid dossier (a
    marriage dated in the future, once) would make those fail at random."""
    from datetime import timedelta

    cat = builtin()
    for proc in cat.all():
        for shift in (0, 90, 200, 330):
            today = date(2026, 1, 1) + timedelta(days=shift)
            for seed in range(120):
                values = sample_values(proc.code, today, seed)
                result = validate(proc, values, today)
                assert not result.problems, (proc.code, today, seed, result.problems[0])
