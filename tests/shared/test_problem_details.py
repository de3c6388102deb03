"""No problem reaches a person without its field and reason (issue 21): every call that
builds a catalogued problem whose Vietnamese message has an optional ``{detail_vi}``
passes ``detail_vi`` beside its English ``detail`` — otherwise Vietnamese staff read a
bare "Yêu cầu không hợp lệ." — and the message names the field."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest

from shared.checklist import check_refs
from shared.errors import CATALOGUE, TaiChoError
from shared.model import AttachmentRef
from shared.procedures import builtin
from shared.wire import decode

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "mobile", "sync_server", "storekit", "province_hub")
# codes whose Vietnamese text shows a detail only when ``detail_vi`` is given
WITH_DETAIL = {code for code, e in CATALOGUE.items() if "{detail_vi}" in e.vi}


def _calls() -> list[tuple[str, int, str, set[str | None]]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "problem"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    continue
                code = str(node.args[0].value)
                kws = {k.arg for k in node.keywords}
                out.append((str(path.relative_to(ROOT)), node.lineno, code, kws))
    return out


def test_the_walk_finds_the_calls() -> None:
    calls = _calls()
    assert "REQUEST_INVALID" in WITH_DETAIL
    assert sum(1 for c in calls if c[2] == "REQUEST_INVALID") > 30


def test_every_detail_has_its_vietnamese() -> None:
    bare = [
        f"{path}:{line} {code}"
        for path, line, code, kws in _calls()
        if code in WITH_DETAIL and "detail" in kws and "detail_vi" not in kws and None not in kws
    ]
    assert bare == [], "problem(...) with an English-only detail:\n" + "\n".join(bare)


def test_a_photo_listed_twice_says_which_in_vietnamese() -> None:
    proc = builtin().get("1.001193")
    ref = AttachmentRef("a" * 64, "birth_certificate_medical", "image/jpeg", 10, 1, 1, "")
    with pytest.raises(TaiChoError) as exc:
        check_refs(proc, [ref, ref])
    vi = exc.value.message("vi")
    assert vi != "Yêu cầu không hợp lệ." and "ảnh thứ 2" in vi and "hai lần" in vi
    assert vi == unicodedata.normalize("NFC", vi)
    assert exc.value.field == "attachments[1]"


def test_a_wire_decode_problem_names_the_field_in_vietnamese() -> None:
    with pytest.raises(TaiChoError) as exc:
        decode(AttachmentRef, {"sha256": "x"}, "attachments[0]")
    vi = exc.value.message("vi")
    assert vi.startswith("Yêu cầu không hợp lệ: ") and "attachments[0]" in vi
    assert vi == unicodedata.normalize("NFC", vi)
