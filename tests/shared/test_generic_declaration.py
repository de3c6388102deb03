"""The generic tờ khai (issue 18): the declaration of an imported procedure without a form
of its own, read back out of the real PDF with pdftotext. Every fixed sentence below is
recorded in docs/legal.md ("The generic tờ khai") with its source, or with the statement
that no source was found and the wording is the project's."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from shared.catalogue import Procedure, parse_procedure
from shared.catalogue_import import plan_import
from shared.documents import generic_declaration
from shared.documents.declaration import DeclarationInput, render_declaration
from shared.documents.official import QUOC_HIEU, TIEU_NGU
from shared.generic_procedure import PLEDGE_VI, REQUEST_FIELD, generic_sample
from shared.procedures import builtin
from shared.validation import validate
from tests.shared.commune import UNIT

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "catalogue" / "commune-procedures.json"
LEGAL = ROOT / "docs" / "legal.md"
TODAY = date(2026, 12, 7)
# The fixed sentences of the generic tờ khai, word for word (docs/legal.md).
FIXED = (
    QUOC_HIEU,
    TIEU_NGU,
    "TỜ KHAI",
    "Kính gửi: Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp",
    "Họ, chữ đệm, tên người yêu cầu:",
    "Nơi cư trú:",
    "Giấy tờ tùy thân:",
    generic_declaration.INTRO,
    "Giấy tờ kèm theo:",
    PLEDGE_VI,
    "Làm tại: Lai Vung, ngày",
    "Người yêu cầu",
    "(Ký, ghi rõ họ, chữ đệm, tên)",
)


def imported(code: str) -> Procedure:
    plan = plan_import(builtin(), CATALOGUE.read_bytes(), CATALOGUE.name)
    doc = next(d for d in plan.documents if d["code"] == code)
    return parse_procedure(doc, code)


def flat(text: str) -> str:
    """pdftotext's text on one line: a justified or wrapped sentence is found whole."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "to-khai.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


@pytest.mark.parametrize("code", ["1.001022", "2.000635", "1.001776"])
def test_the_generic_declaration_prints_its_fixed_sentences(code: str, tmp_path: Path) -> None:
    proc = imported(code)
    assert not proc.has_result_template
    values = validate(proc, generic_sample(proc, TODAY), today=TODAY).raise_if_invalid()
    pdf = render_declaration(DeclarationInput(proc, values, UNIT, today=TODAY))
    text = flat(pdf_text(pdf, tmp_path))
    for sentence in FIXED:
        assert flat(sentence) in text, sentence
    # the title: "TỜ KHAI" and under it the procedure's name as published
    assert f"TỜ KHAI {flat(proc.name.vi)}" in text
    assert f"Thủ tục: {flat(proc.name.vi)} (mã {code})" in text
    # the request in the citizen's words, and each component with its form
    assert flat(str(values[REQUEST_FIELD])) in text
    for i, c in enumerate(proc.components, start=1):
        assert f"{i}. {flat(c.name.vi)} (" in text
    # the place-and-date line in words of the decree (leading zero below 10)
    assert "Làm tại: Lai Vung, ngày 07 tháng 12 năm 2026" in text


def test_every_fixed_sentence_is_in_the_legal_register() -> None:
    """docs/legal.md quotes each fixed sentence of the generic tờ khai and names its
    source (or says that none was found)."""
    register = LEGAL.read_text(encoding="utf-8")
    section = register.split("## The generic tờ khai", 1)[1].split("\n## ", 1)[0]
    for sentence in (generic_declaration.INTRO, PLEDGE_VI, "Giấy tờ kèm theo:", "Kính gửi:"):
        assert flat(sentence) in flat(section), sentence
    assert re.search(r"no source|not found|project wording", section)
    assert "shared/documents/generic_declaration.py" in section
    assert "tests/shared/test_generic_declaration.py" in section
