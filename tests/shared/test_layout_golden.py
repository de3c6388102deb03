"""The six procedures' PDFs keep their text when their layouts are data (issue 18, item 1).

The golden files were written by the Python renderers before the layouts moved into the
procedure folders (``tests/shared/layout_cases.py`` lists the cases: four sample seeds
of every procedure and the branches — an unknown father, a passport, another purpose, a
copy of several pages, a signature certified outside the office, a deputy signing). The
result and the declaration of every case are rendered now and read back with
``pdftotext -layout``: the same lines, in the same order, the same words.
"""

from __future__ import annotations

import pytest

from shared.documents.declaration import render_declaration
from shared.procedures import render_result
from tests.shared.layout_cases import CASES, GOLDEN, Case, golden_name, render_texts


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.name}")
def test_result_and_declaration_text_are_unchanged(case: Case) -> None:
    texts = render_texts(case, render_result, render_declaration)
    for kind, text in texts.items():
        golden = (GOLDEN / golden_name(case, kind)).read_text(encoding="utf-8")
        assert text == golden, f"{kind} of {case.code} ({case.name}) changed"
