"""The shared library of named rules (issue 18): each rule on a small procedure of its
own, good and bad values; the two phases (values rules beside the field checks, dossier
rules once all is right, ``stop``); and every wrong reference to a rule refused by the
loader with the file, the place and what is wrong."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.catalogue import Procedure, parse_procedure
from shared.errors import TaiChoError
from shared.procedures import BUNDLE_DIR, builtin
from shared.rules import RULES, code_fits
from shared.validation import validate

TODAY = date(2026, 12, 7)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "procedures.md"


def _field(fid: str, ftype: str, **extra: Any) -> dict[str, Any]:
    return {"id": fid, "label": {"vi": f"Nhãn {fid}", "en": f"Label {fid}"}, "type": ftype, **extra}


_ID_KINDS = [
    {"value": "cccd", "label": {"vi": "CCCD", "en": "ID card"}},
    {"value": "ho_chieu", "label": {"vi": "Hộ chiếu", "en": "Passport"}},
]


def _doc(*rules: dict[str, Any]) -> dict[str, Any]:
    """A procedure of two people and a few dates, with ``rules``."""
    return {
        "code": "9.000001",
        "version": 1,
        "name": {"vi": "Thủ tục thử", "en": "Test procedure"},
        "time_limit_working_days": 0,
        "title_field": "a_name",
        "sections": [
            {
                "id": "main",
                "title": {"vi": "Chính", "en": "Main"},
                "fields": [
                    _field("a_name", "text"),
                    _field("b_name", "text"),
                    _field("a_born", "partial_date"),
                    _field("b_born", "date"),
                    _field("event", "date"),
                    _field("known", "bool"),
                    _field("a_id_type", "choice", choices=_ID_KINDS),
                    _field("a_id", "cccd", id_kind_field="a_id_type"),
                    _field("b_id", "cccd"),
                ],
            }
        ],
        "rules": list(rules),
        "result": {"template": "generic", "name": {"vi": "Kết quả", "en": "Result"}},
    }


def _problems(rules: list[dict[str, Any]], **values: Any) -> list[tuple[str | None, str]]:
    proc = parse_procedure(_doc(*rules), "test.json")
    return [(p.field, p.code) for p in validate(proc, values, TODAY).problems]


def _refused(rule: dict[str, Any]) -> TaiChoError:
    with pytest.raises(TaiChoError) as err:
        parse_procedure(_doc(rule), "office/thu.json")
    assert err.value.code == "CATALOGUE_INVALID"
    assert err.value.ctx["file"] == "office/thu.json"
    return err.value


# --- the values rules --------------------------------------------------------------------


def test_same_as_and_same_family_name() -> None:
    same = [{"kind": "same_as", "field": "a_name", "other": "b_name"}]
    assert _problems(same, a_name="Lê A", b_name="Lê A") == []
    assert _problems(same, a_name="Lê A", b_name="Lê B") == [("a_name", "FIELD_MUST_MATCH")]
    assert _problems(same, a_name="Lê A") == []  # one value missing: nothing to compare
    family = [{"kind": "same_family_name", "field": "a_name", "other": "b_name"}]
    assert _problems(family, a_name="lê Văn A", b_name="Lê Thị B") == []
    assert _problems(family, a_name="Trần A", b_name="Lê B") == [("a_name", "FIELD_MUST_MATCH")]


def test_the_message_names_the_other_field() -> None:
    rules = [{"kind": "not_before", "field": "event", "other": "b_born"}]
    proc = parse_procedure(_doc(*rules), "t")
    err = validate(proc, {"event": "2020-01-01", "b_born": "2020-01-02"}, TODAY).problems[0]
    assert err.code == "FIELD_DATE_ORDER"
    assert err.message("vi") == "Nhãn event không được trước Nhãn b_born."
    assert err.message("en") == "Label event cannot be before Label b_born."


def test_not_before_compares_partial_dates_on_what_both_know() -> None:
    rules = [{"kind": "not_before", "field": "event", "other": "a_born"}]
    assert _problems(rules, event="1996-03-01", a_born="1996") == []
    assert _problems(rules, event="1995-12-31", a_born="1996") == [("event", "FIELD_DATE_ORDER")]


def test_flag_days_after_flags_and_does_not_refuse() -> None:
    rule = {
        "kind": "flag_days_after",
        "field": "event",
        "days": 15,
        "flag": "late",
        "label": {"vi": "Quá hạn", "en": "Late"},
    }
    proc = parse_procedure(_doc(rule), "t")
    late = validate(proc, {"event": "2026-11-21"}, TODAY)
    assert late.ok and [f.id for f in late.flags] == ["late"]
    assert validate(proc, {"event": "2026-11-22"}, TODAY).flags == []


def test_age_at_least_today_or_at_a_date() -> None:
    today = [{"kind": "age_at_least", "field": "b_born", "min": 18}]
    assert _problems(today, b_born="2008-12-07") == []
    assert _problems(today, b_born="2008-12-08") == [("b_born", "FIELD_MIN_AGE")]
    at = [{"kind": "age_at_least", "field": "b_born", "min": 18, "at": "event"}]
    assert _problems(at, b_born="2000-06-01", event="2018-05-31") == [("b_born", "FIELD_MIN_AGE")]
    assert _problems(at, b_born="2000-06-01", event="2018-06-01") == []


def test_a_values_rule_on_a_field_with_a_problem_is_skipped() -> None:
    rules = [{"kind": "not_before", "field": "event", "other": "b_born"}]
    assert _problems(rules, event="hôm qua", b_born="2020-01-02") == [("event", "FIELD_TYPE")]


# --- the dossier rules ---------------------------------------------------------------------

_OTHER = {
    "kind": "use_other_procedure",
    "field": "known",
    "when": {"field": "known", "equals": False},
    "procedure": "1.000689",
    "name": {"vi": "Thủ tục khác", "en": "another procedure"},
    "stop": True,
}
_AGE = {
    "kind": "parent_age_at_birth",
    "field": "a_born",
    "child": "event",
    "min": 13,
    "max": 60,
    "parent": {"vi": "mẹ", "en": "mother"},
}


def test_use_other_procedure_names_the_procedure() -> None:
    proc = parse_procedure(_doc(_OTHER), "t")
    err = validate(proc, {"known": False}, TODAY).problems[0]
    assert (err.field, err.code) == ("known", "USE_OTHER_PROCEDURE")
    assert err.message("vi") == "Trường hợp này thuộc thủ tục 1.000689 – Thủ tục khác."
    assert err.message("en") == "This case belongs to procedure 1.000689 (another procedure)."
    assert validate(proc, {"known": True}, TODAY).ok


def test_parent_age_at_birth_with_a_year_or_a_full_date() -> None:
    assert _problems([_AGE], a_born="2000", event="2013-01-01") == []
    assert _problems([_AGE], a_born="2005", event="2014-05-01") == [
        ("a_born", "PARENT_AGE_IMPLAUSIBLE")
    ]
    assert _problems([_AGE], a_born="1950-06-01", event="2011-05-31") == []  # still 60
    assert _problems([_AGE], a_born="1950-06-01", event="2011-06-01") == [
        ("a_born", "PARENT_AGE_IMPLAUSIBLE")
    ]
    proc = parse_procedure(_doc(_AGE), "t")
    err = validate(proc, {"a_born": "2005", "event": "2014-05-01"}, TODAY).problems[0]
    assert "người mẹ mới 9 tuổi" in err.message("vi")
    assert "the mother would have been 9" in err.message("en")


def test_dossier_rules_wait_for_a_dossier_without_problems() -> None:
    # an unparseable date elsewhere: the parent's age is not judged yet
    assert _problems([_AGE], a_born="2005", event="2014-05-01", b_born="x") == [
        ("b_born", "FIELD_TYPE")
    ]


def test_a_stopping_rule_is_the_only_reason_given() -> None:
    values = {"known": False, "a_born": "2005", "event": "2014-05-01"}
    assert _problems([_OTHER, _AGE], **values) == [("known", "USE_OTHER_PROCEDURE")]
    both = [{**_OTHER, "stop": False}, _AGE]
    assert _problems(both, **values) == [
        ("known", "USE_OTHER_PROCEDURE"),
        ("a_born", "PARENT_AGE_IMPLAUSIBLE"),
    ]
    # rules without stop all speak: two mismatched columns are both shown
    sexes = [
        {"kind": "id_number_sex", "field": "a_id", "sex": "nu"},
        {"kind": "id_number_sex", "field": "b_id", "sex": "nam"},
    ]
    assert _problems(sexes, a_id="087096001234", b_id="087196004321") == [
        ("a_id", "FIELD_ID_MISMATCH"),
        ("b_id", "FIELD_ID_MISMATCH"),
    ]


def test_refuse_when_raises_the_catalogues_code() -> None:
    rule = {
        "kind": "refuse_when",
        "field": "known",
        "when": {"field": "known", "equals": True},
        "code": "SIGNATURE_IS_CONTRACT",
    }
    assert _problems([rule], known=True) == [("known", "SIGNATURE_IS_CONTRACT")]
    assert _problems([rule], known=False) == []


def test_two_people_two_numbers_of_opposite_sexes() -> None:
    distinct = {"kind": "distinct_id_numbers", "field": "b_id", "other": "a_id", "stop": True}
    sexes = {"kind": "opposite_sexes", "female": "a_id", "male": "b_id", "stop": True}
    woman, man = "087196004321", "087096001234"
    assert _problems([distinct, sexes], a_id=woman, b_id=woman) == [
        ("b_id", "FIELD_DOCUMENT_NUMBER")
    ]
    assert _problems([sexes], a_id=woman, b_id="087196001111") == [("b_id", "MARRIAGE_SAME_SEX")]
    assert _problems([sexes], a_id="087096002222", b_id=man) == [("a_id", "MARRIAGE_SAME_SEX")]
    assert _problems([distinct, sexes], a_id=woman, b_id=man) == []
    # a passport says nothing about its holder's sex
    assert _problems([sexes], a_id_type="ho_chieu", a_id="C1234567", b_id=man) == []


# --- the converted procedures name their rules -------------------------------------------


def test_no_procedure_folder_checks_in_python() -> None:
    for folder in sorted(p.parent.name for p in BUNDLE_DIR.glob("*/procedure.json")):
        init = BUNDLE_DIR / folder / "__init__.py"
        assert not init.exists() or "def check(" not in init.read_text("utf-8"), folder
    kinds = {code: [r.kind for r in builtin().get(code).rules] for code in builtin().codes()}
    assert kinds["1.001193"][-3:] == [
        "use_other_procedure",
        "parent_age_at_birth",
        "parent_age_at_birth",
    ]
    assert kinds["1.000894"] == [
        "distinct_id_numbers",
        "opposite_sexes",
        "id_number_sex",
        "id_number_sex",
    ]
    assert kinds["2.000884"] == ["refuse_when"]


def test_every_rule_of_the_library_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, spec in RULES.items():
        assert f"| `{name}` |" in text, name
        for param in spec.params:
            assert f"`{param}`" in text, (name, param)


# --- a wrong reference is refused, saying where and what ---------------------------------


@pytest.mark.parametrize(
    ("rule", "where", "detail"),
    [
        (
            {"kind": "same_ass", "field": "a_name", "other": "b_name"},
            "$.rules[0].kind",
            "unknown rule 'same_ass'",
        ),
        ({"field": "a_name"}, "$.rules[0]", "missing 'kind'"),
        (
            {"kind": "same_as", "field": "a_name"},
            "$.rules[0] ('same_as')",
            "'same_as' needs 'other'",
        ),
        (
            {"kind": "same_as", "field": "a_name", "other": "b_name", "days": 3},
            "$.rules[0] ('same_as')",
            "unknown key(s) days",
        ),
        (
            {"kind": "same_as", "field": "a_name", "other": "nobody"},
            "$.rules[0] ('same_as').other",
            "unknown field 'nobody'",
        ),
        (
            {**_AGE, "min": "13"},
            "$.rules[0] ('parent_age_at_birth').min",
            "wrong type str",
        ),
        ({**_AGE, "max": -1}, "$.rules[0] ('parent_age_at_birth').max", "must be >= 0"),
        (
            {**_AGE, "parent": {"vi": "mẹ"}},
            "$.rules[0] ('parent_age_at_birth').parent",
            "missing 'en'",
        ),
        (
            {**_OTHER, "procedure": "1000689"},
            "$.rules[0] ('use_other_procedure').procedure",
            "not a national TTHC code",
        ),
        (
            {k: v for k, v in _OTHER.items() if k != "when"},
            "$.rules[0] ('use_other_procedure')",
            "needs 'when'",
        ),
        (
            {**_OTHER, "when": {"field": "ghost", "equals": True}},
            "$.rules[0] ('use_other_procedure').when",
            "unknown field 'ghost'",
        ),
        (
            {
                "kind": "refuse_when",
                "field": "known",
                "when": {"field": "known", "equals": True},
                "code": "FIELD_MIN_AGE",
            },
            "$.rules[0] ('refuse_when').code",
            "needs only a label",
        ),
        (
            {
                "kind": "refuse_when",
                "field": "known",
                "when": {"field": "known", "equals": True},
                "code": "NO_SUCH_CODE",
            },
            "$.rules[0] ('refuse_when').code",
            "not an error code",
        ),
        (
            {"kind": "id_number_sex", "field": "a_id", "sex": "female"},
            "$.rules[0] ('id_number_sex').sex",
            "'nam' or 'nu'",
        ),
        (
            {"kind": "not_before", "field": "event", "other": "b_born", "stop": True},
            "$.rules[0] ('not_before').stop",
            "only dossier rules stop",
        ),
        (
            {
                "kind": "flag_days_after",
                "field": "event",
                "days": 1,
                "flag": "Late!",
                "label": {"vi": "a", "en": "b"},
            },
            "$.rules[0] ('flag_days_after').flag",
            "lower_snake_case",
        ),
    ],
)
def test_a_bad_rule_reference_says_where_and_what(
    rule: dict[str, Any], where: str, detail: str
) -> None:
    err = _refused(rule)
    assert err.ctx["where"] == where
    assert detail in err.ctx["detail"]
    assert "office/thu.json" in err.message("vi") and where in err.message("vi")


def test_a_shipped_procedure_with_a_misspelt_rule_is_refused() -> None:
    doc = json.loads((BUNDLE_DIR / "ket_hon" / "procedure.json").read_text("utf-8"))
    bad = copy.deepcopy(doc)
    bad["rules"][1]["kind"] = "opposite_sex"
    with pytest.raises(TaiChoError) as err:
        parse_procedure(bad, "ket_hon/procedure.json")
    assert err.value.ctx["where"] == "$.rules[1].kind"
    assert "opposite_sexes" in err.value.ctx["detail"]  # the library's names are listed
    assert isinstance(parse_procedure(doc, "ket_hon/procedure.json"), Procedure)


def test_refuse_when_takes_only_codes_whose_message_needs_a_label() -> None:
    assert code_fits("SIGNATURE_IS_CONTRACT") and code_fits("FIELD_REQUIRED")
    assert not code_fits("PARENT_AGE_IMPLAUSIBLE") and not code_fits("NOPE")


def test_a_procedure_with_rules_stays_hashable_and_comparable() -> None:
    """Rules hold their parameters as pairs, so a Procedure is still a value (hash, ==)."""
    for p in builtin().all():
        assert hash(p) == hash(parse_procedure(p.source, "again"))
        assert p == parse_procedure(p.source, "again")
