"""A procedure's result layout (``result.json`` in its folder), parsed and rendered.

The layout says what the result prints — its title, number line, lines of labels and
values, fixed sentences, conditional lines, the people who sign beside the officer —
and :func:`~shared.documents.result.render_form` draws it with the page helpers every
result shares. The format is documented in docs/procedures.md ("Layouts"); the values
are templates of :mod:`shared.documents.layout_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.documents.layout_text import (
    LayoutError,
    Text,
    TextContext,
    check_condition,
    condition_holds,
    name_checker,
    parse_text,
)
from shared.documents.result import FormSpec, Line, RenderedResult, ResultMeta, render_form

__all__ = ["FixedSentence", "ResultLayout", "parse_result_layout", "parse_sentences"]

_KEYS = {
    "title",
    "doc_title",
    "subject",
    "subtitle",
    "number_line",
    "extra_left",
    "agency_header",
    "page",
    "lines",
    "parties",
    "heading",
    "hint",
    "notes_title",
    "sentences",
    "require_dates",
}
_PAGE_KEYS = {"heading_top", "title_size", "title_gap", "gap", "one_page"}
_STYLES = ("", "B", "I")


@dataclass(frozen=True)
class FixedSentence:
    """A sentence the law (or the house) fixes, with its source: docs/legal.md lists it
    and a test quotes it from the PDF. ``text`` is a template (it may name the officer)."""

    key: str
    text: Text
    raw: str
    source: str


@dataclass(frozen=True)
class _Line:
    kind: str  # "gap" | "para" | "fields"
    when: Mapping[str, Any] | None
    para: Text | None = None
    parts: tuple[tuple[Text, Text, str], ...] = ()


@dataclass(frozen=True)
class ResultLayout:
    """A parsed ``result.json``."""

    title: str
    lines: tuple[_Line, ...]
    sentences: Mapping[str, FixedSentence]
    doc_title: str = ""
    subject: Text | None = None
    subtitle: str | None = None
    number_line: Text | None = None
    extra_left: tuple[Text, ...] = ()
    agency_header: bool = True
    page: Mapping[str, Any] | None = None
    parties: tuple[tuple[str, Text], ...] = ()
    heading: str | None = None
    hint: str | None = None
    notes_title: str | None = None
    # Fields that must hold an ISO date for the result to be issued at all (a Giấy khai
    # sinh without a valid birth date is refused with ValueError, not printed blank).
    require_dates: tuple[str, ...] = ()

    def spec(self, procedure: Any, values: Mapping[str, Any], meta: ResultMeta) -> FormSpec:
        """The :class:`FormSpec` of this layout filled from a dossier."""
        from shared.documents.result import iso_date
        from shared.fees import fee_quote

        for key in self.require_dates:
            iso_date(values, key)  # ValueError for a missing or malformed date
        fee = fee_quote(procedure, values).amount_vnd or 0  # as validation.compute_fee
        ctx = TextContext(procedure, values, meta, fee=fee)
        lines: list[Line] = []
        for line in self.lines:
            if line.when is not None and not condition_holds(line.when, ctx):
                continue
            if line.kind == "gap":
                lines.append(None)
            elif line.para is not None:
                lines.append(line.para.render(ctx))
            else:
                lines.append(tuple((a.render(ctx), b.render(ctx), s) for a, b, s in line.parts))
        page = dict(self.page or {})
        return FormSpec(
            title=self.title,
            lines=tuple(lines),
            heading=self.heading,
            hint=self.hint,
            subtitle=self.subtitle,
            agency_header=self.agency_header,
            number_line=self.number_line.render(ctx) if self.number_line else None,
            extra_left=tuple(t.render(ctx) for t in self.extra_left),
            parties=tuple((h, n.render(ctx)) for h, n in self.parties),
            notes_title=self.notes_title,
            doc_title=self.doc_title,
            subject=self.subject.render(ctx) if self.subject else "",
            **page,
        )

    def render(
        self, procedure: Any, values: Mapping[str, Any], meta: ResultMeta, *, demo: bool = False
    ) -> RenderedResult:
        return render_form(self.spec(procedure, values, meta), meta, demo=demo)


def _str(d: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = d.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise LayoutError(f"{where}.{key}", "must be a non-empty string")
    return value


def parse_sentences(
    data: Any, where: str, names: Callable[[str], bool]
) -> dict[str, FixedSentence]:
    """``{"key": {"text": template, "source": "document, article (in force …)"}}``."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LayoutError(where, "must be an object of sentences")
    out: dict[str, FixedSentence] = {}
    for key, item in data.items():
        at = f"{where}.{key}"
        if not isinstance(item, dict) or set(item) != {"text", "source"}:
            raise LayoutError(at, "a sentence is {'text': …, 'source': …}")
        raw = _str(item, "text", at, required=True)
        source = _str(item, "source", at, required=True)
        assert raw is not None and source is not None
        out[key] = FixedSentence(key, parse_text(raw, f"{at}.text", names), raw, source)
    return out


def _line(
    data: Any,
    where: str,
    names: Callable[[str], bool],
    sentences: Mapping[str, FixedSentence],
) -> _Line:
    if data == "gap":
        return _Line("gap", None)
    if not isinstance(data, dict):
        raise LayoutError(where, 'a line is "gap" or an object')
    when = data.get("show_if")
    if when is not None:
        check_condition(when, f"{where}.show_if", names)
    kinds = set(data) & {"gap", "para", "sentence", "fields"}
    if len(kinds) != 1 or set(data) - kinds - {"show_if"}:
        raise LayoutError(where, "a line has one of 'gap', 'para', 'sentence', 'fields'")
    (kind,) = kinds
    if kind == "gap":
        return _Line("gap", when)
    if kind == "para":
        return _Line("para", when, para=parse_text(data["para"], f"{where}.para", names))
    if kind == "sentence":
        key = data["sentence"]
        if key not in sentences:
            raise LayoutError(f"{where}.sentence", f"unknown sentence '{key}'")
        return _Line("para", when, para=sentences[key].text)
    parts = data["fields"]
    if not isinstance(parts, list) or not parts:
        raise LayoutError(f"{where}.fields", "a non-empty list of [label, value, style]")
    out: list[tuple[Text, Text, str]] = []
    for i, part in enumerate(parts):
        at = f"{where}.fields[{i}]"
        if not isinstance(part, list) or len(part) not in (2, 3):
            raise LayoutError(at, "a part is [label, value] or [label, value, style]")
        style = part[2] if len(part) == 3 else ""
        if style not in _STYLES:
            raise LayoutError(at, f"style must be one of {_STYLES}")
        label = parse_text(part[0], f"{at}[0]", names)
        out.append((label, parse_text(part[1], f"{at}[1]", names), style))
    return _Line("fields", when, parts=tuple(out))


def parse_result_layout(data: Any, procedure: Any, where: str = "$") -> ResultLayout:
    """Parse a ``result.json`` against its procedure; raise :class:`LayoutError`."""
    if not isinstance(data, dict):
        raise LayoutError(where, "a result layout is an object")
    if unknown := set(data) - _KEYS:
        raise LayoutError(where, f"unknown keys {sorted(unknown)}")
    names = name_checker(procedure, meta=True)
    sentences = parse_sentences(data.get("sentences"), f"{where}.sentences", names)
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise LayoutError(f"{where}.lines", "a non-empty list of lines")
    page = data.get("page")
    if page is not None:
        if not isinstance(page, dict) or set(page) - _PAGE_KEYS:
            raise LayoutError(f"{where}.page", f"an object of {sorted(_PAGE_KEYS)}")
        for key, value in page.items():
            ok = isinstance(value, bool) if key == "one_page" else _number(value)
            if not ok and not (key == "heading_top" and value is None):
                raise LayoutError(f"{where}.page.{key}", "a wrong type")
    parties: list[tuple[str, Text]] = []
    for i, party in enumerate(data.get("parties") or []):
        at = f"{where}.parties[{i}]"
        if not isinstance(party, dict) or set(party) != {"heading", "name"}:
            raise LayoutError(at, "a party is {'heading': …, 'name': template}")
        heading = _str(party, "heading", at, required=True)
        assert heading is not None
        parties.append((heading, parse_text(party["name"], f"{at}.name", names)))
    extra = data.get("extra_left") or []
    if not isinstance(extra, list):
        raise LayoutError(f"{where}.extra_left", "a list of templates")
    agency = data.get("agency_header", True)
    if not isinstance(agency, bool):
        raise LayoutError(f"{where}.agency_header", "true or false")
    title = _str(data, "title", where, required=True)
    assert title is not None
    dates = data.get("require_dates") or []
    if not isinstance(dates, list) or not all(isinstance(d, str) and names(d) for d in dates):
        raise LayoutError(f"{where}.require_dates", "a list of the procedure's date fields")

    def text(key: str) -> Text | None:
        return parse_text(data[key], f"{where}.{key}", names) if key in data else None

    return ResultLayout(
        title=title,
        lines=tuple(
            _line(line, f"{where}.lines[{i}]", names, sentences) for i, line in enumerate(lines)
        ),
        sentences=sentences,
        doc_title=_str(data, "doc_title", where) or "",
        subject=text("subject"),
        subtitle=_str(data, "subtitle", where),
        number_line=text("number_line"),
        extra_left=tuple(
            parse_text(t, f"{where}.extra_left[{i}]", names) for i, t in enumerate(extra)
        ),
        agency_header=agency,
        page=page,
        parties=tuple(parties),
        heading=_str(data, "heading", where),
        hint=_str(data, "hint", where),
        notes_title=_str(data, "notes_title", where),
        require_dates=tuple(dates),
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
