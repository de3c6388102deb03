"""The procedure catalogue: procedures are data files, loaded and checked here.

A new procedure version reaches tablets by sync without an app release, so a file is
distrusted like any input: every problem names the file and the place inside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.errors import problem

FIELD_TYPES = frozenset(
    {"text", "date", "year", "integer", "choice", "bool", "cccd", "phone", "derived"}
)
DERIVATIONS = frozenset({"date_words"})
RESULT_TEMPLATES = frozenset({"birth_result"})
# Every key a procedure file may use: a typo ("requried") must fail loudly, not vanish.
_PROCEDURE_KEYS = frozenset(
    {
        "code",
        "version",
        "name",
        "legal_basis",
        "time_limit_working_days",
        "fee",
        "title_field",
        "sections",
        "components",
        "result",
    }
)
_SECTION_KEYS = frozenset({"id", "title", "fields"})
_FIELD_KEYS = frozenset(
    {
        "id",
        "label",
        "type",
        "required",
        "help",
        "choices",
        "min_length",
        "max_length",
        "pattern",
        "min",
        "max",
        "not_future",
        "max_age_years",
        "show_if",
        "default",
        "derive",
        "multiline",
    }
)
_COMPONENT_KEYS = frozenset({"id", "name", "form", "required", "photo_required"})
BUILTIN_DIR = Path(__file__).with_name("procedures")
_CODE_RE = re.compile(r"^\d\.\d{6}$")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Text:
    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dataclass(frozen=True)
class ShowIf:
    field: str
    values: tuple[Any, ...]

    def holds(self, values: Mapping[str, Any]) -> bool:
        return values.get(self.field) in self.values


@dataclass(frozen=True)
class Field:
    id: str
    label: Text
    type: str
    section: str
    required: bool = False
    help: Text | None = None
    choices: tuple[Choice, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    not_future: bool = False
    max_age_years: int | None = None
    show_if: ShowIf | None = None
    default: Any = None
    derived_from: str | None = None
    derivation: str | None = None
    multiline: bool = False

    def choice_label(self, value: Any, lang: str = "vi") -> str:
        for c in self.choices:
            if c.value == value:
                return c.label.get(lang)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text


@dataclass(frozen=True)
class Component:
    id: str
    name: Text
    form: str  # "original" | "copy" | "original_or_copy"
    required: bool
    photo_required: bool


@dataclass(frozen=True)
class Procedure:
    code: str
    version: int
    name: Text
    legal_basis: tuple[str, ...]
    time_limit_working_days: int
    fee_vnd: int
    fee_note: Text | None
    title_field: str
    sections: tuple[Section, ...]
    fields: tuple[Field, ...]
    components: tuple[Component, ...]
    result_template: str
    result_name: Text
    source: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def fields_in(self, section_id: str) -> list[Field]:
        return [f for f in self.fields if f.section == section_id]


class _Reader:
    """Reads one procedure document, raising CATALOGUE_INVALID with file and location."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, detail: str) -> Exception:
        return problem("CATALOGUE_INVALID", None, file=self.source, where=where, detail=detail)

    def obj(self, data: Any, where: str, keys: frozenset[str] | None = None) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "expected an object")
        if keys is not None and (unknown := sorted(set(data) - keys)):
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)}")
        return data

    def req(self, data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if key not in data:
            raise self.fail(where, f"missing '{key}'")
        value = data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise self.fail(f"{where}.{key}", f"wrong type {type(value).__name__}")
        return value

    def opt(self, data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if data.get(key) is None:
            return None
        return self.req(data, key, kind, where)

    def text(self, data: Any, where: str) -> Text:
        d = self.obj(data, where)
        vi, en = self.req(d, "vi", str, where), self.req(d, "en", str, where)
        if not vi.strip() or not en.strip():
            raise self.fail(where, "empty text")
        return Text(vi, en)


def parse_procedure(data: Any, source: str = "<memory>") -> Procedure:
    """Turn a procedure document into a ``Procedure``, checking everything it refers to."""
    r = _Reader(source)
    d = r.obj(data, "$", _PROCEDURE_KEYS)
    code = r.req(d, "code", str, "$")
    if not _CODE_RE.match(code):
        raise r.fail("$.code", f"'{code}' is not a national TTHC code like 1.001193")
    sections: list[Section] = []
    fields: list[Field] = []
    seen: set[str] = set()
    for si, s in enumerate(r.req(d, "sections", list, "$")):
        sw = f"$.sections[{si}]"
        s = r.obj(s, sw, _SECTION_KEYS)
        sid = r.req(s, "id", str, sw)
        sections.append(Section(sid, r.text(r.req(s, "title", dict, sw), f"{sw}.title")))
        for fi, fd in enumerate(r.req(s, "fields", list, sw)):
            fields.append(_parse_field(r, fd, f"{sw}.fields[{fi}]", sid, seen))
    ids = {f.id for f in fields}
    for f in fields:
        where = f"field '{f.id}'"
        if f.show_if and f.show_if.field not in ids:
            raise r.fail(where, f"show_if refers to unknown field '{f.show_if.field}'")
        if f.derived_from and f.derived_from not in ids:
            raise r.fail(where, f"derived from unknown field '{f.derived_from}'")
    title_field = r.req(d, "title_field", str, "$")
    if title_field not in ids:
        raise r.fail("$.title_field", f"unknown field '{title_field}'")
    components = []
    for ci, c in enumerate(d.get("components", [])):
        cw = f"$.components[{ci}]"
        c = r.obj(c, cw, _COMPONENT_KEYS)
        form = r.req(c, "form", str, cw)
        if form not in ("original", "copy", "original_or_copy"):
            raise r.fail(f"{cw}.form", f"unknown form '{form}'")
        components.append(
            Component(
                r.req(c, "id", str, cw),
                r.text(r.req(c, "name", dict, cw), f"{cw}.name"),
                form,
                bool(c.get("required", True)),
                bool(c.get("photo_required", False)),
            )
        )
    result = r.obj(r.req(d, "result", dict, "$"), "$.result")
    if result.get("template") not in RESULT_TEMPLATES:
        raise r.fail("$.result.template", f"unknown template '{result.get('template')}'")
    fee = r.obj(d.get("fee", {}), "$.fee")
    limit = r.req(d, "time_limit_working_days", int, "$")
    if limit < 0:
        raise r.fail("$.time_limit_working_days", "must be >= 0")
    return Procedure(
        code=code,
        version=r.req(d, "version", int, "$"),
        name=r.text(r.req(d, "name", dict, "$"), "$.name"),
        legal_basis=tuple(str(x) for x in d.get("legal_basis", [])),
        time_limit_working_days=limit,
        fee_vnd=int(fee.get("amount_vnd", 0)),
        fee_note=r.text(fee["note"], "$.fee.note") if "note" in fee else None,
        title_field=title_field,
        sections=tuple(sections),
        fields=tuple(fields),
        components=tuple(components),
        result_template=r.req(result, "template", str, "$.result"),
        result_name=r.text(r.req(result, "name", dict, "$.result"), "$.result.name"),
        source=d,
    )


def _parse_field(r: _Reader, data: Any, where: str, section: str, seen: set[str]) -> Field:
    d = r.obj(data, where)
    fid = r.req(d, "id", str, where)
    where = f"{where} ('{fid}')"
    r.obj(d, where, _FIELD_KEYS)
    if not _ID_RE.match(fid):
        raise r.fail(where, "field ids are lower_snake_case")
    if fid in seen:
        raise r.fail(where, "duplicate field id")
    seen.add(fid)
    ftype = r.req(d, "type", str, where)
    if ftype not in FIELD_TYPES:
        raise r.fail(where, f"unknown type '{ftype}'")
    choices = tuple(
        Choice(str(r.req(c, "value", str, where)), r.text(r.req(c, "label", dict, where), where))
        for c in (r.obj(c, where) for c in d.get("choices", []))
    )
    if ftype == "choice" and not choices:
        raise r.fail(where, "a choice field needs choices")
    show_if = None
    if "show_if" in d:
        s = r.obj(d["show_if"], f"{where}.show_if")
        if "equals" in s:
            vals: tuple[Any, ...] = (s["equals"],)
        elif isinstance(s.get("in"), list):
            vals = tuple(s["in"])
        else:
            raise r.fail(f"{where}.show_if", "needs 'equals' or 'in'")
        show_if = ShowIf(r.req(s, "field", str, f"{where}.show_if"), vals)
    derived_from = derivation = None
    if ftype == "derived":
        dv = r.obj(r.req(d, "derive", dict, where), f"{where}.derive")
        derived_from = r.req(dv, "from", str, f"{where}.derive")
        derivation = r.req(dv, "fn", str, f"{where}.derive")
        if derivation not in DERIVATIONS:
            raise r.fail(f"{where}.derive", f"unknown derivation '{derivation}'")
    pattern = r.opt(d, "pattern", str, where)
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise r.fail(f"{where}.pattern", str(exc)) from None
    help_text = r.text(d["help"], f"{where}.help") if "help" in d else None
    return Field(
        id=fid,
        label=r.text(r.req(d, "label", dict, where), f"{where}.label"),
        type=ftype,
        section=section,
        required=bool(d.get("required", False)),
        help=help_text,
        choices=choices,
        min_length=r.opt(d, "min_length", int, where),
        max_length=r.opt(d, "max_length", int, where),
        pattern=pattern,
        minimum=r.opt(d, "min", int, where),
        maximum=r.opt(d, "max", int, where),
        not_future=bool(d.get("not_future", False)),
        max_age_years=r.opt(d, "max_age_years", int, where),
        show_if=show_if,
        default=d.get("default"),
        derived_from=derived_from,
        derivation=derivation,
        multiline=bool(d.get("multiline", False)),
    )


class Catalogue:
    """All procedures known to one side, by national code."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        self._by_code = {p.code: p for p in procedures}

    def get(self, code: str) -> Procedure:
        try:
            return self._by_code[code]
        except KeyError:
            raise problem("PROCEDURE_UNKNOWN", "procedure", procedure=code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def all(self) -> list[Procedure]:
        return [self._by_code[c] for c in self.codes()]

    @classmethod
    def from_documents(cls, docs: Mapping[str, Any]) -> Catalogue:
        """Build from raw documents (as shipped by sync), keyed by a source name."""
        return cls(parse_procedure(doc, name) for name, doc in docs.items())

    @classmethod
    def load_dir(cls, folder: Path = BUILTIN_DIR) -> Catalogue:
        """Load every ``*.json`` procedure file of a folder (the built-in one by default)."""
        docs: dict[str, Any] = {}
        for path in sorted(folder.glob("*.json")):
            try:
                docs[path.name] = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise problem(
                    "CATALOGUE_INVALID",
                    None,
                    file=path.name,
                    where=f"line {exc.lineno}",
                    detail=exc.msg,
                ) from None
        return cls.from_documents(docs)


_builtin: Catalogue | None = None


def builtin() -> Catalogue:
    """The catalogue shipped with the code, parsed once per process."""
    global _builtin
    if _builtin is None:
        _builtin = Catalogue.load_dir()
    return _builtin
