"""The error catalogue: typed codes, and each language's message free of the other's words."""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path
from typing import get_args

import pytest

from shared.errors import CATALOGUE, Code, TaiChoError, is_code, problem
from shared.policy import PIN_MAX_DIGITS, PIN_MIN_DIGITS, check_pin_format
from shared.workflow import ROLE_LABELS, Role, Status, next_status

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "mobile", "sync_server")
# Vietnamese letters outside ASCII: their presence marks a Vietnamese string.
_VI_CHAR = re.compile(r"[À-ỹĐđ]")
# What an English identifier looks like inside a sentence: snake_case or a code name.
_IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[A-Z]+_[A-Z_]+\b")


def test_code_type_and_catalogue_name_the_same_codes() -> None:
    assert set(get_args(Code)) == set(CATALOGUE)
    assert is_code("AUTH_FAILED") and not is_code("AUTH_FAILD") and not is_code(3)


def test_unknown_code_is_refused_at_runtime_too() -> None:
    with pytest.raises(ValueError):
        TaiChoError("NO_SUCH_CODE")  # type: ignore[arg-type]


@pytest.mark.parametrize("entry", list(CATALOGUE.values()), ids=lambda e: e.code)
def test_templates_keep_to_their_language(entry: object) -> None:
    from shared.errors import ErrorCode

    assert isinstance(entry, ErrorCode)
    assert not _VI_CHAR.search(entry.en), f"{entry.code}: Vietnamese in the English message"
    placeholders_vi = set(re.findall(r"\{(\w+)\}", entry.vi))
    assert "detail" not in placeholders_vi, f"{entry.code}: English detail in Vietnamese"
    assert not any(p.endswith("_en") for p in placeholders_vi)
    assert not _IDENTIFIER.search(re.sub(r"\{\w+\}", "", entry.vi)), entry.code
    assert unicodedata.is_normalized("NFC", entry.vi)


def test_rendered_messages_never_show_a_raw_placeholder() -> None:
    for code in CATALOGUE:
        err = problem(code)
        for lang in ("vi", "en"):
            text = err.message(lang)
            assert "{" not in text and "[" not in text, (code, lang, text)


def test_optional_detail_appears_only_in_its_language() -> None:
    err = problem("REQUEST_INVALID", "code", detail="dossier code 'X'", detail_vi="mã hồ sơ 'X'")
    assert err.message("vi") == "Yêu cầu không hợp lệ: mã hồ sơ 'X'."
    assert err.message("en") == "Invalid request: dossier code 'X'."
    plain = problem("REQUEST_INVALID", "after", detail="after must be an integer >= 0")
    assert plain.message("vi") == "Yêu cầu không hợp lệ."


def test_role_and_action_are_named_with_labels_in_both_languages() -> None:
    with pytest.raises(TaiChoError) as exc:
        next_status(Status.APPRAISED, "approve", Role.APPRAISER)
    vi, en = exc.value.message("vi"), exc.value.message("en")
    assert vi == "Công chức chuyên môn không được phép 'Phê duyệt'."
    assert en == "Appraising officer may not 'Approve'."
    assert "appraiser" not in vi and "approve" not in vi
    with pytest.raises(TaiChoError) as exc:
        next_status(Status.RETURNED, "return", Role.CLERK)
    assert exc.value.message("vi") == (
        "Không thể 'Trả kết quả' hồ sơ đang ở trạng thái 'Đã trả kết quả'."
    )
    assert "returned" not in exc.value.message("vi")
    assert "'Result returned'" in exc.value.message("en")


def test_wire_params_let_the_other_side_render_both_languages() -> None:
    with pytest.raises(TaiChoError) as exc:
        next_status(Status.APPRAISED, "approve", Role.INTAKE)
    wire = exc.value.to_problem()
    again = TaiChoError(wire["code"], wire["field"], wire["params"])
    assert again.message("vi") == wire["message"] and again.message("en") == wire["message_en"]
    assert wire["params"]["role"] == ROLE_LABELS[Role.INTAKE].vi


def test_pin_format_names_the_policy_lengths() -> None:
    with pytest.raises(TaiChoError) as exc:
        check_pin_format("1234")
    assert exc.value.ctx == {"min": PIN_MIN_DIGITS, "max": PIN_MAX_DIGITS}
    assert exc.value.message("vi") == "Mã PIN phải gồm 6 đến 12 chữ số."
    for bad in ("12345", "abcdef", "１２３４５６", "1234567890123", 123456):
        with pytest.raises(TaiChoError):
            check_pin_format(bad)
    check_pin_format("123456")


def _problem_calls() -> list[tuple[str, ast.Call]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "problem"
                ):
                    out.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return out


def _literal_text(node: ast.expr) -> str:
    """The constant parts of a string or f-string argument."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(v) for v in node.values if isinstance(v, ast.Constant))
    return ""


def test_call_sites_pass_english_detail_and_vietnamese_detail_vi() -> None:
    """``detail`` is English (logs, developers); Vietnamese text goes in ``detail_vi``."""
    calls = _problem_calls()
    assert len(calls) > 50
    for where, call in calls:
        for kw in call.keywords:
            text = _literal_text(kw.value)
            if kw.arg == "detail":
                assert not _VI_CHAR.search(text), f"{where}: Vietnamese in detail="
            if kw.arg == "detail_vi":
                assert not _IDENTIFIER.search(text), f"{where}: identifier in detail_vi="
