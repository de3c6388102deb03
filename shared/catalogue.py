"""The procedure catalogue: procedures are data files, loaded and checked here.

A new procedure version reaches tablets by sync without an app release, so a file is
distrusted like any input: every problem names the file and the place inside it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from shared.errors import problem
from shared.lists import named_list
from shared.rules import COMMON_KEYS, RULES, Rule, code_fits

FIELD_TYPES = frozenset(
    {
        "text",
        "date",
        "partial_date",
        "year",
        "integer",
        "choice",
        "bool",
        "cccd",
        "phone",
        "derived",
    }
)
DERIVATIONS = frozenset({"date_words"})
# The rule names a file may use: the shared library's (shared.rules).
RULE_KINDS = frozenset(RULES)
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
        "subject",
        "sections",
        "components",
        "result",
        "rules",
        "enabled",
        "record",
    }
)
_SECTION_KEYS = frozenset({"id", "title", "fields", "pair"})
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
        "min_age_years",
        "show_if",
        "default",
        "derive",
        "multiline",
        "choices_from",
        "id_kind_field",
        "id_sex",
        "id_sex_field",
        "id_birth_field",
        "must_accept",
    }
)
_FEE_KEYS = frozenset({"amount_vnd", "note", "per_unit", "pages", "set_by_province"})
_PAGES_KEYS = frozenset(
    {"pages_field", "copies_field", "first_pages", "first_vnd", "then_vnd", "cap_per_copy_vnd"}
)
_RESULT_KEYS = frozenset({"template", "name", "title"})
_COMPONENT_KEYS = frozenset({"id", "name", "form", "required", "photo_required", "required_if"})
BUILTIN_DIR = Path(__file__).with_name("procedures")
# The result "template" of a procedure without a result layout of its own (most of an
# imported catalogue): its result is produced in another system and attached at "stamp"
# as a signed PDF, or issued on paper and its number and date recorded (docs/catalogue.md).
GENERIC_TEMPLATE = "generic"
DEFINITION = "procedure.json"  # a bundle's definition file, in its folder
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
    negate: bool = False  # "not_in": holds when the field holds none of ``values``

    def holds(self, values: Mapping[str, Any]) -> bool:
        return (values.get(self.field) in self.values) != self.negate

    def fields(self) -> tuple[str, ...]:
        return (self.field,)


@dataclass(frozen=True)
class Condition:
    """``{"all": [...]}`` or ``{"any": [...]}`` of conditions, for a component's
    ``required_if``: the parents' marriage certificate is asked for only when they are
    married *and* one of them is a foreigner (Nghị định 07/2025/NĐ-CP)."""

    mode: str  # "all" | "any"
    parts: tuple[ShowIf | Condition, ...]

    def holds(self, values: Mapping[str, Any]) -> bool:
        test = all if self.mode == "all" else any
        return test(p.holds(values) for p in self.parts)

    def fields(self) -> tuple[str, ...]:
        return tuple(f for p in self.parts for f in p.fields())


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
    min_age_years: int | None = None  # the holder must have reached this age (kết hôn)
    show_if: ShowIf | None = None
    default: Any = None
    derived_from: str | None = None
    derivation: str | None = None
    multiline: bool = False
    choices_from: str | None = None  # the shared list the choices came from
    # Identity documents (type ``cccd``): the field holding the document kind ("cccd",
    # "ho_chieu", "khac"; absent = always a personal identification number) and what the
    # number's structure must agree with: the holder's sex (a fixed "nam"/"nu" or a
    # field) and date or year of birth (a date, partial_date or year field).
    id_kind_field: str | None = None
    id_sex: str | None = None
    id_sex_field: str | None = None
    id_birth_field: str | None = None
    must_accept: bool = False  # a bool that must be true (the cam đoan clause)

    @cached_property
    def choice_values(self) -> frozenset[str]:
        """The allowed values, built once: validation checks every choice field of every
        dossier against it (a nationality list holds about 250 countries)."""
        return frozenset(c.value for c in self.choices)

    def choice_label(self, value: Any, lang: str = "vi") -> str:
        for c in self.choices:
            if c.value == value:
                return c.label.get(lang)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    pair: str | None = None  # two-party forms: the section shown beside this one


@dataclass(frozen=True)
class Component:
    id: str
    name: Text
    form: str  # "original" | "copy" | "original_or_copy"
    required: bool
    photo_required: bool
    # Required only when a field holds one of some values (same shape as a field's
    # show_if, or an "all"/"any" of them), e.g. the proof of divorce when the marital
    # status says "divorced".
    required_if: ShowIf | Condition | None = None

    def required_for(self, values: Mapping[str, Any]) -> bool:
        """Whether a dossier with these (visible, cleaned) values must include it."""
        return self.required or (self.required_if is not None and self.required_if.holds(values))

    def applies_to(self, values: Mapping[str, Any]) -> bool:
        """Whether the paper belongs in this dossier at all: a paper required only under
        a condition that does not hold does not (the proof of divorce of a never-married
        person), so the checklist refuses a tick for it and the receipt never lists it."""
        return self.required_if is None or self.required_for(values)


@dataclass(frozen=True)
class PagesFee:
    """A per-page fee per copy (chứng thực bản sao): the first ``first_pages`` pages at
    ``first_vnd``, each further page at ``then_vnd``, at most ``cap_per_copy_vnd`` a copy."""

    pages_field: str
    copies_field: str | None
    first_pages: int
    first_vnd: int
    then_vnd: int
    cap_per_copy_vnd: int | None


@dataclass(frozen=True)
class UnitFee:
    """``vnd`` for each unit counted by an integer field (e.g. 8.000 đ per copy)."""

    field: str
    vnd: int


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
    result_title: str = ""
    per_unit_fees: tuple[UnitFee, ...] = ()
    pages_fee: PagesFee | None = None
    rules: tuple[Rule, ...] = ()
    # What the dossier's title names ("Người được khai sinh", "Giấy tờ được chứng thực"):
    # the receipt and lists say it before the title (issue 21 §9).
    subject: Text | None = None
    # The base fee is the province's (a Nghị quyết of the HĐND tỉnh), kept as a station
    # setting (``admin fee-set``); ``fee_vnd`` is then only a fallback never printed.
    fee_set_by_province: bool = False
    # An imported procedure the office switched off: kept (dossiers filled under it are
    # still judged by it) but no new dossier is taken (``admin`` / desk "Thủ tục").
    enabled: bool = True
    # Where an imported record came from: the national database's fields (lĩnh vực, cấp
    # thực hiện, cơ quan thực hiện, …), its source and the date it was checked, and the
    # province's own time limit and fee (shared.catalogue_import).
    record: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    source: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def has_result_template(self) -> bool:
        """Whether this side can draw the result itself (a bundle), or the result comes
        from another system or on paper (:data:`GENERIC_TEMPLATE`)."""
        return self.result_template != GENERIC_TEMPLATE

    @property
    def checked(self) -> bool:
        """False for an imported record its publisher's text could not be checked against
        (shown as unchecked on the desk's "Thủ tục" page); built-in bundles are checked."""
        return bool(self.record.get("checked", True))

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def fields_in(self, section_id: str) -> list[Field]:
        return [f for f in self.fields if f.section == section_id]

    def subject_label(self, lang: str = "vi") -> str:
        """What the title names, in ``lang``: the file's ``subject``, else the title
        field's own label."""
        if self.subject is not None:
            return self.subject.get(lang)
        return self.field(self.title_field).label.get(lang)


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


def result_templates() -> frozenset[str]:
    """The bundle folder names: the result templates a procedure file may name (the
    registry, ``shared.procedures``, loads the same folders)."""
    return frozenset(p.parent.name for p in BUILTIN_DIR.glob(f"*/{DEFINITION}"))


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
        title = r.text(r.req(s, "title", dict, sw), f"{sw}.title")
        sections.append(Section(sid, title, r.opt(s, "pair", str, sw)))
        for fi, fd in enumerate(r.req(s, "fields", list, sw)):
            fields.append(_parse_field(r, fd, f"{sw}.fields[{fi}]", sid, seen))
    ids = {f.id for f in fields}
    order = {f.id: i for i, f in enumerate(fields)}
    for f in fields:
        where = f"field '{f.id}'"
        if f.show_if and f.show_if.field not in ids:
            raise r.fail(where, f"show_if refers to unknown field '{f.show_if.field}'")
        if f.show_if and order[f.show_if.field] > order[f.id]:
            raise r.fail(where, f"show_if source '{f.show_if.field}' must come before it")
        if f.derived_from and f.derived_from not in ids:
            raise r.fail(where, f"derived from unknown field '{f.derived_from}'")
        for ref in (f.id_kind_field, f.id_sex_field, f.id_birth_field):
            if ref is not None and ref not in ids:
                raise r.fail(where, f"refers to unknown field '{ref}'")
    section_ids = {s.id for s in sections}
    for s in sections:
        if s.pair is not None and s.pair not in section_ids:
            raise r.fail(f"section '{s.id}'", f"pair refers to unknown section '{s.pair}'")
    title_field = r.req(d, "title_field", str, "$")
    if title_field not in ids:
        raise r.fail("$.title_field", f"unknown field '{title_field}'")
    components = []
    component_ids: set[str] = set()
    for ci, c in enumerate(r.opt(d, "components", list, "$") or []):
        cw = f"$.components[{ci}]"
        c = r.obj(c, cw, _COMPONENT_KEYS)
        cid = r.req(c, "id", str, cw)
        if not _ID_RE.match(cid):
            raise r.fail(f"{cw}.id", "component ids are lower_snake_case")
        if cid in component_ids:
            raise r.fail(f"{cw}.id", f"duplicate component id '{cid}'")
        component_ids.add(cid)
        form = r.req(c, "form", str, cw)
        if form not in ("original", "copy", "original_or_copy"):
            raise r.fail(f"{cw}.form", f"unknown form '{form}'")
        required = r.opt(c, "required", bool, cw)
        required_if = None
        if "required_if" in c:
            required_if = _parse_condition(r, c["required_if"], f"{cw}.required_if")
            for ref in required_if.fields():
                if ref not in ids:
                    raise r.fail(f"{cw}.required_if", f"unknown field '{ref}'")
            if required:
                raise r.fail(cw, "'required_if' needs 'required': false")
        components.append(
            Component(
                cid,
                r.text(r.req(c, "name", dict, cw), f"{cw}.name"),
                form,
                (required_if is None) if required is None else required,
                bool(r.opt(c, "photo_required", bool, cw)),
                required_if,
            )
        )
    result = r.obj(r.req(d, "result", dict, "$"), "$.result", _RESULT_KEYS)
    template = r.req(result, "template", str, "$.result")
    if template not in result_templates() and template != GENERIC_TEMPLATE:
        raise r.fail("$.result.template", f"unknown template '{template}'")
    fee = r.obj(d.get("fee", {}), "$.fee", _FEE_KEYS)
    unit_fees, pages_fee = _parse_fee(r, fee, ids)
    limit = r.req(d, "time_limit_working_days", int, "$")
    if limit < 0:
        raise r.fail("$.time_limit_working_days", "must be >= 0")
    rules = tuple(
        _parse_rule(r, rd, f"$.rules[{i}]", ids) for i, rd in enumerate(d.get("rules", []))
    )
    return Procedure(
        code=code,
        version=r.req(d, "version", int, "$"),
        name=r.text(r.req(d, "name", dict, "$"), "$.name"),
        legal_basis=tuple(str(x) for x in d.get("legal_basis", [])),
        time_limit_working_days=limit,
        fee_vnd=_amount(r, fee, "amount_vnd", "$.fee", default=0),
        fee_note=r.text(fee["note"], "$.fee.note") if "note" in fee else None,
        title_field=title_field,
        sections=tuple(sections),
        fields=tuple(fields),
        components=tuple(components),
        result_template=template,
        result_name=r.text(r.req(result, "name", dict, "$.result"), "$.result.name"),
        result_title=str(r.opt(result, "title", str, "$.result") or ""),
        per_unit_fees=unit_fees,
        pages_fee=pages_fee,
        rules=rules,
        subject=r.text(d["subject"], "$.subject") if "subject" in d else None,
        fee_set_by_province=bool(r.opt(fee, "set_by_province", bool, "$.fee")),
        enabled=r.opt(d, "enabled", bool, "$") is not False,
        record=dict(r.opt(d, "record", dict, "$") or {}),
        source=d,
    )


def _amount(r: _Reader, d: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
    if key not in d and default is not None:
        return default
    value = r.req(d, key, int, where)
    if value < 0:
        raise r.fail(f"{where}.{key}", "must be >= 0")
    return int(value)


def _parse_fee(
    r: _Reader, fee: dict[str, Any], ids: set[str]
) -> tuple[tuple[UnitFee, ...], PagesFee | None]:
    units = []
    for i, u in enumerate(fee.get("per_unit", [])):
        uw = f"$.fee.per_unit[{i}]"
        u = r.obj(u, uw, frozenset({"field", "vnd"}))
        fid = r.req(u, "field", str, uw)
        if fid not in ids:
            raise r.fail(uw, f"unknown field '{fid}'")
        units.append(UnitFee(fid, _amount(r, u, "vnd", uw)))
    pages = None
    if "pages" in fee:
        pw = "$.fee.pages"
        p = r.obj(fee["pages"], pw, _PAGES_KEYS)
        pages_field = r.req(p, "pages_field", str, pw)
        copies_field = r.opt(p, "copies_field", str, pw)
        for ref in (pages_field, copies_field):
            if ref is not None and ref not in ids:
                raise r.fail(pw, f"unknown field '{ref}'")
        cap = r.opt(p, "cap_per_copy_vnd", int, pw)
        pages = PagesFee(
            pages_field,
            copies_field,
            _amount(r, p, "first_pages", pw),
            _amount(r, p, "first_vnd", pw),
            _amount(r, p, "then_vnd", pw),
            cap,
        )
    return tuple(units), pages


def _parse_show_if(r: _Reader, data: Any, where: str) -> ShowIf:
    s = r.obj(data, where)
    negate = False
    if "equals" in s:
        vals: tuple[Any, ...] = (s["equals"],)
    elif isinstance(s.get("in"), list):
        vals = tuple(s["in"])
    elif isinstance(s.get("not_in"), list):
        vals, negate = tuple(s["not_in"]), True
    else:
        raise r.fail(where, "needs 'equals', 'in' or 'not_in'")
    return ShowIf(r.req(s, "field", str, where), vals, negate)


def _parse_condition(r: _Reader, data: Any, where: str) -> ShowIf | Condition:
    """A show-if, or ``{"all": [...]}`` / ``{"any": [...]}`` of conditions."""
    s = r.obj(data, where)
    for mode in ("all", "any"):
        if mode in s:
            parts = s[mode]
            if not isinstance(parts, list) or not parts or len(s) != 1:
                raise r.fail(where, f"'{mode}' needs a non-empty list and nothing else")
            return Condition(
                mode,
                tuple(_parse_condition(r, p, f"{where}.{mode}[{i}]") for i, p in enumerate(parts)),
            )
    return _parse_show_if(r, data, where)


def _parse_rule(r: _Reader, data: Any, where: str, ids: set[str]) -> Rule:
    """One entry of ``rules``: a name of the shared library (:mod:`shared.rules`) and its
    parameters, each checked against the library's declaration of it."""
    d = r.obj(data, where)
    kind = r.req(d, "kind", str, where)
    spec = RULES.get(kind)
    if spec is None:
        raise r.fail(
            f"{where}.kind", f"unknown rule '{kind}' (the library has {', '.join(sorted(RULES))})"
        )
    where = f"{where} ('{kind}')"
    r.obj(d, where, COMMON_KEYS | frozenset(spec.params))
    params: dict[str, Any] = {}
    for name, param in spec.params.items():
        pw = f"{where}.{name}"
        if d.get(name) is None:
            if param.required:
                raise r.fail(where, f"'{kind}' needs '{name}'")
            continue
        value = d[name]
        if param.kind == "text":
            params[name] = r.text(value, pw)
            continue
        if param.kind == "int":
            value = r.req(d, name, int, where)
            if value < 0:
                raise r.fail(pw, "must be >= 0")
        else:
            value = r.req(d, name, str, where)
        if param.kind == "field" and value not in ids:
            raise r.fail(pw, f"unknown field '{value}'")
        if param.kind == "name" and not _ID_RE.match(value):
            raise r.fail(pw, "names are lower_snake_case")
        if param.kind == "procedure" and not _CODE_RE.match(value):
            raise r.fail(pw, f"'{value}' is not a national TTHC code like 1.001193")
        if param.kind == "code" and not code_fits(value):
            raise r.fail(pw, f"'{value}' is not an error code whose message needs only a label")
        if param.kind == "sex" and value not in ("nam", "nu"):
            raise r.fail(pw, "must be 'nam' or 'nu'")
        params[name] = value
    when = _parse_condition(r, d["when"], f"{where}.when") if "when" in d else None
    for ref in when.fields() if when else ():
        if ref not in ids:
            raise r.fail(f"{where}.when", f"unknown field '{ref}'")
    if spec.needs_when and when is None:
        raise r.fail(where, f"'{kind}' needs 'when' (without it, it would always refuse)")
    stop = bool(r.opt(d, "stop", bool, where))
    if stop and spec.phase != "dossier":
        raise r.fail(f"{where}.stop", f"'{kind}' compares values; only dossier rules stop")
    return Rule(kind, tuple(params.items()), when, stop)


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
    choices_from = r.opt(d, "choices_from", str, where)
    if choices_from is not None:
        listed = named_list(choices_from)
        if listed is None:
            raise r.fail(f"{where}.choices_from", f"unknown list '{choices_from}'")
        if choices:
            raise r.fail(where, "'choices' and 'choices_from' exclude each other")
        choices = tuple(Choice(v, Text(vi, en)) for v, vi, en in listed)
    if ftype == "choice" and not choices:
        raise r.fail(where, "a choice field needs choices")
    show_if = _parse_show_if(r, d["show_if"], f"{where}.show_if") if "show_if" in d else None
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
    id_sex = r.opt(d, "id_sex", str, where)
    if id_sex is not None and id_sex not in ("nam", "nu"):
        raise r.fail(f"{where}.id_sex", "must be 'nam' or 'nu'")
    if ftype != "cccd" and any(
        k in d for k in ("id_kind_field", "id_sex", "id_sex_field", "id_birth_field")
    ):
        raise r.fail(where, "id_* keys apply to type 'cccd' only")
    must_accept = bool(d.get("must_accept", False))
    if must_accept and ftype != "bool":
        raise r.fail(where, "must_accept applies to type 'bool' only")
    help_text = r.text(d["help"], f"{where}.help") if "help" in d else None
    default = d.get("default")
    if default is not None and ftype == "choice" and default not in {c.value for c in choices}:
        raise r.fail(f"{where}.default", f"'{default}' is not one of the choices")
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
        min_age_years=r.opt(d, "min_age_years", int, where),
        show_if=show_if,
        default=default,
        derived_from=derived_from,
        derivation=derivation,
        multiline=bool(d.get("multiline", False)),
        choices_from=choices_from,
        id_kind_field=r.opt(d, "id_kind_field", str, where),
        id_sex=id_sex,
        id_sex_field=r.opt(d, "id_sex_field", str, where),
        id_birth_field=r.opt(d, "id_birth_field", str, where),
        must_accept=must_accept,
    )


class Catalogue:
    """All procedures known to one side, by national code, with every version kept.

    ``get(code)`` is the current (highest) version, what new dossiers are filled under;
    ``get(code, version)`` is the version a dossier records it was filled under, which
    the station checks it against (docs/procedures.md, "Versions").
    """

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        self._versions: dict[tuple[str, int], Procedure] = {}
        for p in procedures:
            self._versions[(p.code, p.version)] = p  # a later document of a version wins
        self._by_code: dict[str, Procedure] = {}
        for (code, _version), p in sorted(self._versions.items()):
            self._by_code[code] = p

    def adopt(self, other: Catalogue) -> None:
        """Take ``other``'s procedures in place: the running station's one catalogue
        object follows an import or a setting made on the desk or from the command line
        (``sync_server.services.core.station``), without every holder re-reading it."""
        self._versions, self._by_code = dict(other._versions), dict(other._by_code)

    def get(self, code: str, version: int | None = None) -> Procedure:
        if version is not None and code in self._by_code:
            try:
                return self._versions[(code, version)]
            except KeyError:
                raise problem(
                    "PROCEDURE_VERSION_UNKNOWN",
                    "procedure_version",
                    procedure=code,
                    version=version,
                ) from None
        try:
            return self._by_code[code]
        except KeyError:
            raise problem("PROCEDURE_UNKNOWN", "procedure", procedure=code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def all(self) -> list[Procedure]:
        """The current version of every procedure."""
        return [self._by_code[c] for c in self.codes()]

    def versions(self, code: str) -> list[int]:
        return sorted(v for c, v in self._versions if c == code)

    def every_version(self) -> list[Procedure]:
        return [self._versions[k] for k in sorted(self._versions)]

    def with_procedures(self, procedures: Iterable[Procedure]) -> Catalogue:
        """This catalogue plus ``procedures`` (a same-numbered version is replaced)."""
        return Catalogue([*self.every_version(), *procedures])

    @classmethod
    def from_documents(cls, docs: Mapping[str, Any]) -> Catalogue:
        """Build from raw documents (as shipped by sync), keyed by a source name."""
        return cls(parse_procedure(doc, name) for name, doc in docs.items())

    @classmethod
    def load_dir(cls, folder: Path = BUILTIN_DIR) -> Catalogue:
        """Load every procedure file of a folder (the built-in bundles by default).

        A procedure file is ``*.json`` directly in ``folder`` or ``procedure.json`` in
        one of its sub-folders (a bundle, see :mod:`shared.procedures`).
        """
        docs: dict[str, Any] = {}
        paths = sorted(folder.glob("*.json")) + sorted(folder.glob("*/procedure.json"))
        for path in paths:
            name = str(path.relative_to(folder))
            try:
                docs[name] = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise problem(
                    "CATALOGUE_INVALID",
                    None,
                    file=name,
                    where=f"line {exc.lineno}",
                    detail=exc.msg,
                ) from None
        return cls.from_documents(docs)


def document_hash(doc: Any) -> str:
    """SHA-256 of a procedure document's canonical JSON: "the same definition"."""
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_update(
    current: Catalogue, docs: Iterable[Any], source: str = "catalogue"
) -> list[Procedure]:
    """The procedures of a catalogue update, refused as a whole if one is wrong.

    Each document is parsed like a file (``CATALOGUE_INVALID`` naming ``source[i]`` and
    the place); a version lower than the one in use is ``CATALOGUE_DOWNGRADE``: a
    dossier filled under the newer one must never be judged by an older definition. The
    same version with other content replaces it (the station, which judges dossiers,
    has the last word on what a version says).
    """
    out = []
    for i, doc in enumerate(docs):
        proc = parse_procedure(doc, f"{source}[{i}]")
        if proc.code in current:
            in_use = current.get(proc.code).version
            if proc.version < in_use:
                raise problem(
                    "CATALOGUE_DOWNGRADE",
                    "procedures",
                    procedure=proc.code,
                    version=proc.version,
                    current=in_use,
                )
        out.append(proc)
    return out
