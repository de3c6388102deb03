"""A procedure's declaration layout (``declaration.json`` in its folder), parsed.

The tờ khai's lines as data: rows of "label: value" pairs (an empty value is the blank
form's dotted leader), paragraphs, fixed sentences, gaps, a table (the two columns of
the kết hôn form), each with an optional ``show_if``; the title, and the heading over a
single signer's column. :mod:`shared.documents.declaration` draws it. Values are
templates of :mod:`shared.documents.layout_text` whose plain format is ``read`` (as the
citizen reads them back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.documents.layout_text import (
    LayoutError,
    Text,
    check_condition,
    name_checker,
    parse_text,
)
from shared.documents.result_layout import FixedSentence, parse_sentences

__all__ = ["DeclLine", "DeclTable", "DeclarationLayout", "parse_declaration_layout"]

_KEYS = {"title", "signature_heading", "sentences", "lines"}
_STYLES = ("", "B", "I")


@dataclass(frozen=True)
class DeclTable:
    widths: tuple[float, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]
    size: float = 12.0
    line_height: float = 6.0


@dataclass(frozen=True)
class DeclLine:
    kind: str  # "row" | "para" | "gap" | "table"
    when: Mapping[str, Any] | None = None
    pairs: tuple[tuple[Text, Text], ...] = ()
    text: Text | None = None
    style: str = ""
    gap: float = 0.0
    table: DeclTable | None = None


@dataclass(frozen=True)
class DeclarationLayout:
    title: str
    lines: tuple[DeclLine, ...]
    sentences: Mapping[str, FixedSentence]
    signature_heading: str | None = None


def _table(data: Any, where: str, names: Callable[[str], bool]) -> DeclTable:
    if not isinstance(data, dict) or set(data) - {
        "widths",
        "header",
        "rows",
        "size",
        "line_height",
    }:
        raise LayoutError(where, "a table is {widths, header, rows, size?, line_height?}")
    widths, header, rows = data.get("widths"), data.get("header"), data.get("rows")
    if not isinstance(widths, list) or not all(isinstance(w, int | float) for w in widths):
        raise LayoutError(f"{where}.widths", "a list of column widths (mm)")
    n = len(widths)
    if (
        not isinstance(header, list)
        or len(header) != n
        or not all(isinstance(h, str) for h in header)
    ):
        raise LayoutError(f"{where}.header", f"{n} headings")
    if not isinstance(rows, list) or not rows:
        raise LayoutError(f"{where}.rows", "a non-empty list of rows")
    parsed: list[tuple[Text, ...]] = []
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != n:
            raise LayoutError(f"{where}.rows[{i}]", f"{n} cells")
        parsed.append(
            tuple(parse_text(c, f"{where}.rows[{i}][{j}]", names) for j, c in enumerate(row))
        )
    return DeclTable(
        tuple(float(w) for w in widths),
        tuple(header),
        tuple(parsed),
        float(data.get("size", 12.0)),
        float(data.get("line_height", 6.0)),
    )


def _line(
    data: Any, where: str, names: Callable[[str], bool], sentences: Mapping[str, FixedSentence]
) -> DeclLine:
    if not isinstance(data, dict):
        raise LayoutError(where, "a line is an object")
    when = data.get("show_if")
    if when is not None:
        check_condition(when, f"{where}.show_if", names)
    kinds = set(data) & {"row", "para", "sentence", "gap", "table"}
    if len(kinds) != 1 or set(data) - kinds - {"show_if", "style"}:
        raise LayoutError(where, "a line has one of 'row', 'para', 'sentence', 'gap', 'table'")
    (kind,) = kinds
    style = data.get("style", "")
    if style not in _STYLES:
        raise LayoutError(f"{where}.style", f"one of {_STYLES}")
    if kind == "gap":
        if not isinstance(data["gap"], int | float):
            raise LayoutError(f"{where}.gap", "a height in mm")
        return DeclLine("gap", when, gap=float(data["gap"]))
    if kind == "table":
        return DeclLine("table", when, table=_table(data["table"], f"{where}.table", names))
    if kind == "para":
        return DeclLine(
            "para", when, text=parse_text(data["para"], f"{where}.para", names), style=style
        )
    if kind == "sentence":
        key = data["sentence"]
        if key not in sentences:
            raise LayoutError(f"{where}.sentence", f"unknown sentence '{key}'")
        return DeclLine("para", when, text=sentences[key].text, style=style)
    pairs = data["row"]
    if not isinstance(pairs, list) or not pairs:
        raise LayoutError(f"{where}.row", "a non-empty list of [label, value]")
    out: list[tuple[Text, Text]] = []
    for i, pair in enumerate(pairs):
        at = f"{where}.row[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise LayoutError(at, "a pair is [label, value]")
        out.append((parse_text(pair[0], f"{at}[0]", names), parse_text(pair[1], f"{at}[1]", names)))
    return DeclLine("row", when, pairs=tuple(out))


def parse_declaration_layout(data: Any, procedure: Any, where: str = "$") -> DeclarationLayout:
    """Parse a ``declaration.json`` against its procedure; raise :class:`LayoutError`."""
    if not isinstance(data, dict):
        raise LayoutError(where, "a declaration layout is an object")
    if unknown := set(data) - _KEYS:
        raise LayoutError(where, f"unknown keys {sorted(unknown)}")
    names = name_checker(procedure, meta=False)
    sentences = parse_sentences(data.get("sentences"), f"{where}.sentences", names)
    title = data.get("title")
    if not isinstance(title, str) or not title:
        raise LayoutError(f"{where}.title", "a non-empty string")
    heading = data.get("signature_heading")
    if heading is not None and not isinstance(heading, str):
        raise LayoutError(f"{where}.signature_heading", "a string")
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise LayoutError(f"{where}.lines", "a non-empty list of lines")
    return DeclarationLayout(
        title,
        tuple(_line(x, f"{where}.lines[{i}]", names, sentences) for i, x in enumerate(lines)),
        sentences,
        heading,
    )
