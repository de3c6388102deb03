"""Layouts as data (issue 18, item 1): every procedure's result and declaration render
from its folder's JSON alone, and a bad layout is refused with where and what.

The first test runs in a fresh interpreter and checks that no module of a procedure
folder was imported: the documents come from ``procedure.json``, ``result.json`` and
``declaration.json`` only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.documents.declaration_layout import parse_declaration_layout
from shared.documents.layout_text import LayoutError, TextContext, clock_words, parse_template
from shared.documents.result_layout import parse_result_layout
from shared.numwords import date_to_words
from shared.procedures import BUNDLE_DIR, builtin
from shared.samples import sample_values
from tests.shared.layout_cases import TODAY, pdf_text

ROOT = Path(__file__).resolve().parents[2]
KT = "1.000656"

_DATA_ALONE = r"""
import json, sys
from datetime import date
from pathlib import Path
from shared.procedures import BUNDLE_DIR, bundles
from shared.documents.declaration import DeclarationInput, render_declaration
from tests.shared.commune import UNIT as unit
from tests.shared.layout_cases import META

values = json.loads(sys.stdin.read())
out = {}
for code, b in sorted(bundles().items()):
    result = b.render(values[code], META)
    declaration = render_declaration(DeclarationInput(b.procedure, values[code], unit))
    out[code] = [result.pdf.hex(), declaration.hex()]
folders = {p.name for p in BUNDLE_DIR.iterdir() if p.is_dir()}
imported = sorted(m for m in sys.modules if m.split(".")[:2] == ["shared", "procedures"]
                  and len(m.split(".")) > 2 and m.split(".")[2] in folders)
print(json.dumps({"imported": imported, "pdfs": out}))
"""


def test_every_result_and_declaration_renders_from_data_alone() -> None:
    values = {code: sample_values(code, TODAY, 2) for code in sorted(builtin().codes())}
    run = subprocess.run(
        [sys.executable, "-c", _DATA_ALONE],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    out = json.loads(run.stdout)
    assert out["imported"] == []  # no folder's Python was needed
    assert len(out["pdfs"]) == 6
    for code, (result, declaration) in out["pdfs"].items():
        proc = builtin().get(code)
        assert proc.result_title.split()[0] in pdf_text(bytes.fromhex(result)), code
        assert "Kính gửi" in pdf_text(bytes.fromhex(declaration)), code


def test_every_folder_holds_its_two_layouts() -> None:
    for folder in sorted(p.parent.name for p in BUNDLE_DIR.glob("*/procedure.json")):
        for name in ("result.json", "declaration.json"):
            assert (BUNDLE_DIR / folder / name).is_file(), (folder, name)


def _layout(folder: str, name: str = "result.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BUNDLE_DIR / folder / name).read_text(encoding="utf-8"))
    data.pop("scanned_copy", None)
    return data


@pytest.mark.parametrize(
    ("change", "where", "detail"),
    [
        (
            {"lines": [{"fields": [["Họ", "{no_such_field}"]]}]},
            "$.lines[0].fields[0][1]",
            "unknown field 'no_such_field'",
        ),
        (
            {"lines": [{"fields": [["Họ", "{deceased_full_name|shout}"]]}]},
            "$.lines[0].fields[0][1]",
            "unknown format 'shout'",
        ),
        ({"lines": [{"para": "[{death_time}"}]}, "$.lines[0].para", "'[' without ']'"),
        ({"lines": [{"para": "{death_time"}]}, "$.lines[0].para", "unbalanced"),
        ({"lines": [{"sentence": "missing"}]}, "$.lines[0].sentence", "unknown sentence 'missing'"),
        ({"lines": [{"fields": [["A", "b", "X"]]}]}, "$.lines[0].fields[0]", "style"),
        (
            {"lines": [{"para": "x", "show_if": {"field": "death_time", "gt": 1}}]},
            "$.lines[0].show_if",
            "needs exactly one",
        ),
        (
            {"lines": [{"para": "x", "show_if": {"field": "nowhere", "equals": 1}}]},
            "$.lines[0].show_if",
            "unknown field 'nowhere'",
        ),
        ({"lines": []}, "$.lines", "non-empty"),
        ({"colour": "red"}, "$", "unknown keys"),
        ({"page": {"one_page": "yes"}}, "$.page.one_page", "wrong type"),
        ({"parties": [{"heading": "VỢ"}]}, "$.parties[0]", "a party is"),
    ],
)
def test_a_bad_result_layout_says_where_and_what(
    change: dict[str, Any], where: str, detail: str
) -> None:
    data = {**_layout("khai_tu"), **change}
    with pytest.raises(LayoutError) as err:
        parse_result_layout(data, builtin().get(KT))
    assert err.value.where == where
    assert detail in err.value.detail


@pytest.mark.parametrize(
    ("change", "where", "detail"),
    [
        ({"title": ""}, "$.title", "non-empty"),
        ({"lines": [{"row": [["Tên"]]}]}, "$.lines[0].row[0]", "[label, value]"),
        ({"lines": [{"gap": "big"}]}, "$.lines[0].gap", "height"),
        (
            {"lines": [{"row": [["A", "{meta.signer_name}"]]}]},
            "$.lines[0].row[0][1]",
            "unknown field 'meta.signer_name'",
        ),
        (
            {"lines": [{"table": {"widths": [10, 20], "header": ["a"], "rows": [["x", "y"]]}}]},
            "$.lines[0].table.header",
            "2 headings",
        ),
        ({"lines": [{"para": [{"text": "a", "when": {}}]}]}, "$.lines[0].para[0]", "a variant is"),
    ],
)
def test_a_bad_declaration_layout_says_where_and_what(
    change: dict[str, Any], where: str, detail: str
) -> None:
    data = {**_layout("khai_tu", "declaration.json"), **change}
    with pytest.raises(LayoutError) as err:
        parse_declaration_layout(data, builtin().get(KT))
    assert err.value.where == where
    assert detail in err.value.detail


def _render(template: str, values: dict[str, Any]) -> str:
    proc = builtin().get(KT)
    known = {f.id for f in proc.fields}
    return parse_template(template, "$", known.__contains__).render(TextContext(proc, values))


def test_optional_groups_alternatives_and_formats() -> None:
    values = {"death_time": "07:05", "death_date": "2026-12-01", "death_notice_number": ""}
    assert _render("[{death_time|clock}, ngày ]{death_date|date}", values) == (
        "07 giờ 05 phút, ngày 01/12/2026"
    )
    assert _render(
        "[{death_time|clock}, ngày ]{death_date|date}", {**values, "death_time": ""}
    ) == ("01/12/2026")
    assert _render("[số {death_notice_number}, ]do", values) == "do"
    assert _render("{death_notice_number||death_date|date_words}", values) == date_to_words(
        date(2026, 12, 1)
    )
    assert _render("{death_notice_number||'Giấy báo tử'}", values) == "Giấy báo tử"
    assert _render("{deceased_sex|choice|upper}", {"deceased_sex": "nu"}) == "NỮ"


def test_the_clock_words_of_the_forms() -> None:
    assert clock_words("14:05") == "14 giờ 05 phút"
    assert clock_words("7:05") == "07 giờ 05 phút"
    assert clock_words("") == clock_words("25:00") == ""


def test_every_fixed_sentence_of_a_layout_is_cited_in_legal_md() -> None:
    """A sentence moved into a layout keeps its citation: docs/legal.md quotes it word for
    word (a placeholder read as "…") in the row that names its layout."""
    import re

    legal = (ROOT / "docs" / "legal.md").read_text(encoding="utf-8")
    seen = 0
    for path in sorted(BUNDLE_DIR.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, item in (data.get("sentences") or {}).items() if isinstance(data, dict) else ():
            seen += 1
            quoted = re.sub(r"\{[^}]*\}", "…", item["text"])
            rows = [row for row in legal.splitlines() if f"{path.parent.name}/{path.name}" in row]
            assert any(key in row for row in rows), (path, key)
            assert quoted.split("…")[0] in legal, (path, key)
            assert item["source"], (path, key)
    assert seen >= 5
