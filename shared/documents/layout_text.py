"""The small language a procedure's layouts (``result.json``, ``declaration.json``) write
their values in: templates, formats and conditions. Pure: no drawing here.

A **template** is text with placeholders::

    "{deceased_full_name|upper}"
    "[{death_time|clock}, ]ngày {death_date|date}"
    "{requester_relationship_other||requester_relationship}"
    "{meta.receiver_name||'…'}"

- ``{name|format|format}`` — a field of the dossier (or ``meta.<attribute>`` of the
  result's :class:`~shared.documents.result.ResultMeta`, or ``fee`` — the fee computed
  for the dossier, or ``procedure.fee_vnd``), passed through formats left to right;
- ``a||b||'text'`` inside braces — the first alternative that is not empty;
- ``[ … ]`` — an optional group, written only when every placeholder in it is non-empty
  ("số 12, " before the issuer, or nothing).

Where a template stands, a layout may also give a list of ``{"show_if": condition,
"text": template}``: the first whose condition holds (no condition: always) is used.

A **condition** is the procedure file's show-if (``{"field": f, "equals": v}``,
``"in": [...]``, ``"not_in": [...]``) plus ``"filled": true|false`` (a value other than
missing, "" and false), ``"present": true`` (the key is in the values), ``"min": n`` (an
integer of at least n), and ``{"all": [...]}`` / ``{"any": [...]}`` of conditions.

A placeholder without a format is written as the layout's *plain* format: the value's
text for a result (``text``), the value as the citizen reads it for a declaration
(``read``: choice labels, dd/mm/yyyy dates, "Có"/"Không").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.documents.official import date_line, nfc

__all__ = [
    "FORMATS",
    "LayoutError",
    "Template",
    "TextContext",
    "check_condition",
    "clock_words",
    "condition_holds",
    "parse_template",
]

_CLOCK_RE = re.compile(r"\s*([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)\s*")


def clock_words(hhmm: str) -> str:
    """ "14:05" → "14 giờ 05 phút", as the tờ khai and the Trích lục khai tử of Thông tư
    04/2020/TT-BTP write the time of death ("… giờ … phút"); "" when none was given."""
    m = _CLOCK_RE.fullmatch(hhmm or "")
    return f"{int(m[1]):02d} giờ {m[2]} phút" if m else ""


class LayoutError(ValueError):
    """A layout file that does not parse: ``where`` (a JSON path) and what is wrong."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        self.detail = detail


@dataclass(frozen=True)
class TextContext:
    """What a template reads: the procedure, the dossier's values, the result's meta
    (None for a declaration), the layout's maps and its plain format."""

    procedure: Any
    values: Mapping[str, Any]
    meta: Any = None
    maps: Mapping[str, Mapping[str, str]] | None = None
    plain: str = "text"
    fee: int | None = None

    def lookup(self, name: str) -> Any:
        if name.startswith("meta."):
            return getattr(self.meta, name[5:], None) if self.meta is not None else None
        if name == "fee":
            return self.fee
        if name == "procedure.fee_vnd":
            return self.procedure.fee_vnd
        return self.values.get(name)


# --- formats -----------------------------------------------------------------------------
# Each takes (context, the placeholder's name, the value so far) and returns the value.
Format = Callable[[TextContext, str, Any], Any]


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text(ctx: TextContext, name: str, value: Any) -> str:
    """The value's own text ("" for missing values and booleans)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value).strip())


def read_value(ctx: TextContext, name: str, value: Any) -> str:
    """As the citizen reads it back: choice labels, dd/mm/yyyy dates, "Có"/"Không"."""
    from shared.dates import parse_date, partial_date_text

    if value is None or value == "":
        return ""
    try:
        f = ctx.procedure.field(name)
    except KeyError:
        return nfc(str(value))
    if f.type == "choice":
        return nfc(f.choice_label(value, "vi"))
    if f.type == "bool":
        return "Có" if value else "Không"
    if f.type == "date":
        day = parse_date(value)
        return day.strftime("%d/%m/%Y") if day else str(value)
    if f.type == "partial_date":
        return nfc(partial_date_text(value))
    return nfc(str(value))


def _date(ctx: TextContext, name: str, value: Any) -> str:
    """ISO "2026-11-05" → "05/11/2026"; partial "1996-03" → "03/1996", "1996"."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if not isinstance(value, str) or not value:
        return ""
    return "/".join(reversed(value.split("-")))


def _date_words(ctx: TextContext, name: str, value: Any) -> str:
    from shared.numwords import date_to_words

    day = _as_date(value)
    return date_to_words(day) if day else ""


def _date_line(ctx: TextContext, name: str, value: Any) -> str:
    day = _as_date(value)
    return date_line(day) if day else ""


def _choice(ctx: TextContext, name: str, value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return nfc(ctx.procedure.field(name).choice_label(value))


def _prefix(name: str) -> str:
    return name.removesuffix("_id_number")


def _identity(ctx: TextContext, name: str, value: Any) -> str:
    """A result's identity line from ``<prefix>_id_number`` and its sibling fields:
    "Số định danh cá nhân 087…" or "Hộ chiếu số C1234567, do … cấp ngày …"."""
    from shared.documents.result import identity_text

    return identity_text(ctx.procedure, ctx.values, _prefix(name))


def _identity_read(ctx: TextContext, name: str, value: Any) -> str:
    """A declaration's identity line: as :func:`_identity`, the kind named by the
    document ("Hộ chiếu", "Giấy tờ") and dates as read."""
    prefix = _prefix(name)
    v = ctx.values
    number = read_value(ctx, f"{prefix}_id_number", v.get(f"{prefix}_id_number"))
    if not number:
        return ""
    kind = str(v.get(f"{prefix}_id_type") or "cccd")
    named = (
        read_value(ctx, f"{prefix}_id_type", v.get(f"{prefix}_id_type"))
        if f"{prefix}_id_type" in v
        else ""
    )
    if kind == "cccd" and (not named or named.startswith("Số định danh")):
        return f"Số định danh cá nhân {number}"
    kind_name = {"ho_chieu": "Hộ chiếu", "khac": "Giấy tờ"}.get(kind, named or "Giấy tờ")
    out = f"{kind_name} số {number}"
    if issuer := read_value(ctx, f"{prefix}_id_issuer", v.get(f"{prefix}_id_issuer")):
        out += f", do {issuer} cấp"
    if issued := read_value(ctx, f"{prefix}_id_issue_date", v.get(f"{prefix}_id_issue_date")):
        out += f" ngày {issued}"
    return out


def _clock(ctx: TextContext, name: str, value: Any) -> str:
    return clock_words(value if isinstance(value, str) else "")


def _vnd(ctx: TextContext, name: str, value: Any) -> str:
    """12000 → "12.000 đồng"."""
    if not isinstance(value, int) or isinstance(value, bool):
        return ""
    return f"{value:,} đồng".replace(",", ".")


def _two_digits(ctx: TextContext, name: str, value: Any) -> str:
    """3 → "03" (the forms' "số lượng: 03 bản")."""
    if not isinstance(value, int) or isinstance(value, bool):
        return _text(ctx, name, value)
    return f"{value:02d}"


def _label(ctx: TextContext, name: str, value: Any) -> str:
    """The field's own Vietnamese label (a pledge is its label, word for word)."""
    return nfc(ctx.procedure.field(name).label.vi)


def _position(ctx: TextContext, name: str, value: Any) -> str:
    """The signer's position from the title's last line: "KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"
    → "Phó Chủ tịch" ("… là Phó Chủ tịch Ủy ban nhân dân xã …")."""
    text = str(value or "").strip().splitlines()
    out = text[-1].strip().capitalize() if text else ""
    return out.replace("Phó chủ tịch", "Phó Chủ tịch")


def _before_comma(ctx: TextContext, name: str, value: Any) -> str:
    """ "Ủy ban nhân dân xã Lai Vung, tỉnh Đồng Tháp" → "Ủy ban nhân dân xã Lai Vung"."""
    return str(value or "").split(",")[0].strip()


def _lower_first(ctx: TextContext, name: str, value: Any) -> str:
    text = str(value)
    return text[:1].lower() + text[1:]


def _capitalize_first(ctx: TextContext, name: str, value: Any) -> str:
    """str.capitalize: the first letter up, the rest down ("ngày 07 tháng …" → "Ngày …")."""
    return str(value).capitalize()


# name → (function, takes the raw value). A format that does not take the raw value gets
# the plain text of it first.
FORMATS: dict[str, tuple[Format, bool]] = {
    "text": (_text, True),
    "read": (read_value, True),
    "date": (_date, True),
    "date_words": (_date_words, True),
    "date_line": (_date_line, True),
    "choice": (_choice, True),
    "identity": (_identity, True),
    "identity_read": (_identity_read, True),
    "clock": (_clock, True),
    "vnd": (_vnd, True),
    "02": (_two_digits, True),
    "label": (_label, True),
    "position": (_position, True),
    "before_comma": (_before_comma, True),
    "upper": (lambda c, n, v: str(v).upper(), False),
    "lower": (lambda c, n, v: str(v).lower(), False),
    "lower_first": (_lower_first, False),
    "capitalize": (_capitalize_first, False),
}
_RAW_ONLY = {"identity", "identity_read", "label", "choice"}  # need a field of the procedure
META_NAMES = frozenset(
    {
        "meta.register_number",
        "meta.register_book",
        "meta.registered_on",
        "meta.registration_office",
        "meta.place_name",
        "meta.signer_name",
        "meta.signer_title",
        "meta.receiver_name",
        "meta.dossier_code",
        "meta.province",
    }
)


# --- templates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    name: str  # a field, meta.x, fee, procedure.fee_vnd; or a quoted literal
    formats: tuple[str, ...]
    literal: str | None = None


@dataclass(frozen=True)
class _Slot:
    alternatives: tuple[_Source, ...]


Piece = str | _Slot


@dataclass(frozen=True)
class _Group:
    pieces: tuple[Piece, ...]
    optional: bool


@dataclass(frozen=True)
class Template:
    """A parsed template: groups of literal text and placeholders."""

    groups: tuple[_Group, ...]
    source: str

    def names(self) -> set[str]:
        return {
            s.name
            for g in self.groups
            for p in g.pieces
            if isinstance(p, _Slot)
            for s in p.alternatives
            if s.literal is None
        }

    def render(self, ctx: TextContext) -> str:
        out: list[str] = []
        for group in self.groups:
            parts: list[str] = []
            complete = True
            for piece in group.pieces:
                if isinstance(piece, str):
                    parts.append(piece)
                    continue
                text = _slot_text(ctx, piece)
                complete = complete and bool(text)
                parts.append(text)
            if complete or not group.optional:
                out.append("".join(parts))
        return nfc("".join(out))


def _slot_text(ctx: TextContext, slot: _Slot) -> str:
    for source in slot.alternatives:
        if source.literal is not None:
            return source.literal
        value = ctx.lookup(source.name)
        formats = source.formats or (ctx.plain,)
        raw = True
        for name in formats:
            fn, takes_raw = FORMATS[name]
            if raw and not takes_raw:
                value = FORMATS[ctx.plain][0](ctx, source.name, value)
            value = fn(ctx, source.name, value)
            raw = False
        text = value if isinstance(value, str) else ""
        if text:
            return text
    return ""


_TOKEN = re.compile(r"\{([^{}]*)\}")


def parse_template(text: str, where: str, names: Callable[[str], bool]) -> Template:
    """Parse ``text``; ``names(name)`` says whether a placeholder's name exists."""
    if not isinstance(text, str):
        raise LayoutError(where, "a template must be a string")
    groups: list[_Group] = []
    rest = text
    while rest:
        start = rest.find("[")
        if start < 0:
            groups.append(_Group(_pieces(rest, where, names), False))
            break
        end = rest.find("]", start)
        if end < 0:
            raise LayoutError(where, "'[' without ']'")
        if start:
            groups.append(_Group(_pieces(rest[:start], where, names), False))
        groups.append(_Group(_pieces(rest[start + 1 : end], where, names), True))
        rest = rest[end + 1 :]
    if "]" in "".join(p for g in groups for p in g.pieces if isinstance(p, str)):
        raise LayoutError(where, "']' without '['")
    return Template(tuple(groups), text)


def _pieces(text: str, where: str, names: Callable[[str], bool]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.append(text[pos : m.start()])
        out.append(_slot(m[1], where, names))
        pos = m.end()
    tail = text[pos:]
    if "{" in tail or "}" in tail or any("{" in p or "}" in p for p in out if isinstance(p, str)):
        raise LayoutError(where, "unbalanced '{' or '}'")
    if tail:
        out.append(tail)
    return tuple(out)


def _slot(body: str, where: str, names: Callable[[str], bool]) -> _Slot:
    alternatives: list[_Source] = []
    for alt in body.split("||"):
        alt = alt.strip()
        if len(alt) >= 2 and alt[0] == alt[-1] == "'":
            alternatives.append(_Source("", (), alt[1:-1]))
            continue
        name, *formats = (p.strip() for p in alt.split("|"))
        if not name:
            raise LayoutError(where, f"an empty placeholder in '{{{body}}}'")
        if not names(name):
            raise LayoutError(where, f"unknown field '{name}'")
        for f in formats:
            if f not in FORMATS:
                raise LayoutError(where, f"unknown format '{f}' (known: {', '.join(FORMATS)})")
        if formats and formats[0] in _RAW_ONLY and "." in name:
            raise LayoutError(where, f"format '{formats[0]}' needs a field of the procedure")
        alternatives.append(_Source(name, tuple(formats)))
    return _Slot(tuple(alternatives))


# --- conditions --------------------------------------------------------------------------

_COND_KEYS = {"equals", "in", "not_in", "filled", "present", "min"}


def check_condition(data: Any, where: str, names: Callable[[str], bool]) -> None:
    """Raise :class:`LayoutError` unless ``data`` is a condition over known fields."""
    if not isinstance(data, dict):
        raise LayoutError(where, "a condition must be an object")
    for mode in ("all", "any"):
        if mode in data:
            parts = data[mode]
            if len(data) != 1 or not isinstance(parts, list) or not parts:
                raise LayoutError(where, f"'{mode}' needs a non-empty list and nothing else")
            for i, part in enumerate(parts):
                check_condition(part, f"{where}.{mode}[{i}]", names)
            return
    field = data.get("field")
    if not isinstance(field, str) or not names(field):
        raise LayoutError(where, f"unknown field '{field}'")
    tests = set(data) - {"field"}
    if len(tests) != 1 or not tests <= _COND_KEYS:
        raise LayoutError(where, f"needs exactly one of {', '.join(sorted(_COND_KEYS))}")
    (test,) = tests
    if test in ("in", "not_in") and not isinstance(data[test], list):
        raise LayoutError(f"{where}.{test}", "must be a list")
    if test in ("filled", "present") and not isinstance(data[test], bool):
        raise LayoutError(f"{where}.{test}", "must be true or false")
    if test == "min" and (not isinstance(data[test], int) or isinstance(data[test], bool)):
        raise LayoutError(f"{where}.{test}", "must be an integer")


def condition_holds(data: Mapping[str, Any], ctx: TextContext) -> bool:
    """Whether a (checked) condition holds for the context's values."""
    if "all" in data:
        return all(condition_holds(p, ctx) for p in data["all"])
    if "any" in data:
        return any(condition_holds(p, ctx) for p in data["any"])
    name = data["field"]
    value = ctx.lookup(name)
    if "equals" in data:
        return bool(value == data["equals"])
    if "in" in data:
        return bool(value in data["in"])
    if "not_in" in data:
        return bool(value not in data["not_in"])
    if "filled" in data:
        return bool((value not in (None, "") and value is not False) == data["filled"])
    if "present" in data:
        return bool((name in ctx.values) == data["present"])
    minimum = data["min"]
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


# --- texts: a template or its variants ----------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A template, or variants ``[(condition | None, template), ...]`` (first that holds)."""

    variants: tuple[tuple[Mapping[str, Any] | None, Template], ...]

    def render(self, ctx: TextContext) -> str:
        for when, template in self.variants:
            if when is None or condition_holds(when, ctx):
                return template.render(ctx)
        return ""


def parse_text(data: Any, where: str, names: Callable[[str], bool]) -> Text:
    if isinstance(data, str):
        return Text(((None, parse_template(data, where, names)),))
    if not isinstance(data, list) or not data:
        raise LayoutError(where, "a text is a template or a non-empty list of variants")
    variants: list[tuple[Mapping[str, Any] | None, Template]] = []
    for i, item in enumerate(data):
        at = f"{where}[{i}]"
        if not isinstance(item, dict) or "text" not in item or set(item) - {"text", "show_if"}:
            raise LayoutError(at, "a variant is {'show_if': condition, 'text': template}")
        when = item.get("show_if")
        if when is not None:
            check_condition(when, f"{at}.show_if", names)
        variants.append((when, parse_template(item["text"], f"{at}.text", names)))
    return Text(tuple(variants))


def name_checker(procedure: Any, *, meta: bool) -> Callable[[str], bool]:
    """What a layout of ``procedure`` may name: its fields (and the meta, for a result)."""
    ids = {f.id for f in procedure.fields}
    extra = {"fee", "procedure.fee_vnd"} | (set(META_NAMES) if meta else set())

    def known(name: str) -> bool:
        return name in ids or name in extra

    return known


def render_texts(texts: Sequence[Text], ctx: TextContext) -> list[str]:
    return [t.render(ctx) for t in texts]
