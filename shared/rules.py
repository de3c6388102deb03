"""The shared library of named rules: the cross-field checks a procedure file names.

A procedure's ``rules`` (procedure.json) are entries of this library, each referred to by
name (``"kind"``) with its parameters beside it::

    {"kind": "parent_age_at_birth", "field": "mother_birth_date",
     "child": "child_birth_date", "min": 13, "max": 60,
     "parent": {"vi": "mẹ", "en": "mother"}}

so a check that used to be Python in a procedure folder is data an office can read, copy
to another procedure and change without code. The loader (:func:`shared.catalogue.parse_procedure`)
checks every name and parameter against :data:`RULES` and refuses a wrong one with
``CATALOGUE_INVALID`` naming the file, the rule's place and what is wrong.

Each rule returns the error catalogue's problems (code, field, message context) — the very
problems the folders' Python returned before it moved here — or a flag. Rules come in two
phases, because the law's checks do not all make sense on a half-filled form:

- ``values`` rules compare two values (or a value and today) and run next to the field
  checks: a form shows "must be the same as the mother's" under the child's ethnicity
  while other fields are still empty;
- ``dossier`` rules judge the dossier as a whole (a father named without a marriage is a
  different procedure; two spouses of the same sex) and run only once every field and
  every values rule is right, in the order the file writes them. One with ``"stop":
  true`` that finds a problem ends the checking: its reason is then the only one said.

Pure: no I/O; the functions read the cleaned values ``shared.validation`` hands them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from shared.dates import parse_date
from shared.errors import CATALOGUE, Code, TaiChoError, problem

__all__ = [
    "COMMON_KEYS",
    "RULES",
    "Flag",
    "Param",
    "Rule",
    "RuleSpec",
    "code_fits",
    "run_rule",
]

ParamKind = Literal["field", "int", "text", "name", "procedure", "code", "sex"]
Phase = Literal["values", "dossier"]


# What a rule reads of the catalogue's records, as shapes: ``shared.catalogue`` parses
# rules against this library, so the library does not import it back.
class Text(Protocol):
    @property
    def vi(self) -> str: ...
    @property
    def en(self) -> str: ...


class _Field(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> Text: ...
    @property
    def id_kind_field(self) -> str | None: ...


class Procedure(Protocol):
    def field(self, field_id: str) -> _Field: ...


class Condition(Protocol):
    """A show-if or an all/any of them (``shared.catalogue.ShowIf``, ``Condition``)."""

    def holds(self, values: Mapping[str, Any]) -> bool: ...
    def fields(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Flag:
    """Something an officer must notice but that does not refuse the dossier
    (e.g. a late registration)."""

    id: str
    label: Text


Finding = TaiChoError | Flag


@dataclass(frozen=True)
class Param:
    """One parameter of a rule: what the file writes and how the loader checks it.

    ``field`` — a field id of the procedure; ``int`` — a whole number ≥ 0; ``text`` — a
    ``{vi, en}`` text; ``name`` — a lower_snake_case id (a flag's); ``procedure`` — a
    national TTHC code; ``code`` — an error code of the catalogue whose message needs no
    value but the field's label; ``sex`` — ``"nam"`` or ``"nu"``.
    """

    kind: ParamKind
    required: bool = True
    doc: str = ""


@dataclass(frozen=True)
class Rule:
    """A rule as a procedure file declares it: the library entry's name, its checked
    parameters (field ids, numbers, texts), an optional condition, and whether a problem
    it finds ends the checking (``dossier`` rules only)."""

    kind: str
    # (name, value) pairs in the library's order: a tuple, so a Procedure stays hashable
    params: tuple[tuple[str, Any], ...]
    when: Condition | None = None
    stop: bool = False

    @property
    def spec(self) -> RuleSpec:
        return RULES[self.kind]

    @property
    def fields(self) -> tuple[str, ...]:
        """The field ids the rule reads (its ``field`` parameters)."""
        kinds = self.spec.params
        return tuple(str(v) for k, v in self.params if kinds[k].kind == "field")

    def get(self, name: str) -> Any:
        """The parameter ``name``'s value, None if the file leaves an optional one out."""
        for key, value in self.params:
            if key == name:
                return value
        return None


Check = Callable[[Procedure, Rule, Mapping[str, Any], date], list[Finding]]


@dataclass(frozen=True)
class RuleSpec:
    """A library entry: its name, parameters, phase and the check itself."""

    name: str
    phase: Phase
    params: Mapping[str, Param]
    check: Check
    summary: str
    needs_when: bool = False  # meaningless without a condition (it would always fire)


RULES: dict[str, RuleSpec] = {}


def _rule(
    name: str, phase: Phase, summary: str, /, *, needs_when: bool = False, **params: Param
) -> Callable[[Check], Check]:
    """Register the decorated check as the library's rule ``name``."""

    def register(fn: Check) -> Check:
        RULES[name] = RuleSpec(name, phase, params, fn, summary, needs_when)
        return fn

    return register


def run_rule(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    """The problems and flags of one rule on one dossier's cleaned values (nothing when
    its condition does not hold)."""
    if rule.when is not None and not rule.when.holds(values):
        return []
    return rule.spec.check(procedure, rule, values, today)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def code_fits(code: str) -> bool:
    """Whether ``code`` is a catalogued error whose messages need nothing but the field's
    label: what a ``refuse_when`` rule may raise."""
    entry = CATALOGUE.get(code)  # type: ignore[call-overload]
    if entry is None:
        return False
    names = set(_PLACEHOLDER.findall(entry.vi)) | set(_PLACEHOLDER.findall(entry.en))
    return names <= {"label", "label_en"}


def _labelled(code: Code, procedure: Procedure, field_id: str, **ctx: Any) -> TaiChoError:
    f = procedure.field(field_id)
    return problem(code, f.id, label=f.label.vi, label_en=f.label.en, **ctx)


def _pair(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any]
) -> tuple[Any, Any, dict[str, str]] | None:
    """``field``'s and ``other``'s values and the other's label, or None if one is missing."""
    value, other_value = values.get(rule.get("field")), values.get(rule.get("other"))
    if value is None or other_value is None:
        return None
    other = procedure.field(rule.get("other"))
    return value, other_value, {"other": other.label.vi, "other_en": other.label.en}


# --- values rules: two values compared, next to the field checks -------------------------


@_rule(
    "same_as",
    "values",
    "`field` must equal `other` → `FIELD_MUST_MATCH` on `field`",
    field=Param("field"),
    other=Param("field"),
)
def _same_as(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    pair = _pair(procedure, rule, values)
    if pair is None or pair[0] == pair[1]:
        return []
    return [_labelled("FIELD_MUST_MATCH", procedure, rule.get("field"), **pair[2])]


def _family_name(full_name: Any) -> str:
    return str(full_name).split(" ")[0].casefold() if full_name else ""


@_rule(
    "same_family_name",
    "values",
    "the first word of the two names must agree → `FIELD_MUST_MATCH` on `field`",
    field=Param("field"),
    other=Param("field"),
)
def _same_family_name(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    pair = _pair(procedure, rule, values)
    if pair is None or _family_name(pair[0]) == _family_name(pair[1]):
        return []
    return [_labelled("FIELD_MUST_MATCH", procedure, rule.get("field"), **pair[2])]


@_rule(
    "not_before",
    "values",
    "the date in `field` is not before `other` (partial dates compare on what both know)"
    " → `FIELD_DATE_ORDER` on `field`",
    field=Param("field"),
    other=Param("field"),
)
def _not_before(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    pair = _pair(procedure, rule, values)
    if pair is None:
        return []
    a, b = str(pair[0]), str(pair[1])
    n = min(len(a), len(b))  # partial dates compare on what both know
    if a[:n] < b[:n]:
        return [_labelled("FIELD_DATE_ORDER", procedure, rule.get("field"), **pair[2])]
    return []


@_rule(
    "flag_days_after",
    "values",
    "more than `days` days between the date in `field` and today → the flag `flag` with"
    " `label` (`ValidationResult.flags`), not a refusal",
    field=Param("field"),
    days=Param("int"),
    flag=Param("name"),
    label=Param("text"),
)
def _flag_days_after(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    d = parse_date(values.get(rule.get("field")))
    if d is not None and (today - d).days > rule.get("days"):
        return [Flag(rule.get("flag"), rule.get("label"))]
    return []


def age_at(birth: Any, day: date | None) -> int | None:
    """Whole years from ``birth`` (a full or partial date: "1996", "1996-03") to ``day``;
    with the year alone (or year and month), the difference of the years."""
    if day is None or not birth:
        return None
    text = str(birth)
    full = parse_date(text)
    if full is not None:
        return day.year - full.year - ((day.month, day.day) < (full.month, full.day))
    return day.year - int(text[:4]) if text[:4].isdigit() else None


@_rule(
    "age_at_least",
    "values",
    "the person born on `field` is at least `min` years old on the date in `at` (today"
    " without `at`) → `FIELD_MIN_AGE` on `field`",
    field=Param("field"),
    min=Param("int"),
    at=Param("field", required=False, doc="the day the age counts at; today without it"),
)
def _age_at_least(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    born = values.get(rule.get("field"))
    day = parse_date(values.get(rule.get("at"))) if rule.get("at") else today
    age = age_at(born, day)
    if age is None or age >= rule.get("min"):
        return []
    return [_labelled("FIELD_MIN_AGE", procedure, rule.get("field"), min=rule.get("min"))]


# --- dossier rules: the dossier as a whole, once every field is right --------------------


@_rule(
    "use_other_procedure",
    "dossier",
    "when `when` holds the case is another procedure's (`procedure`, named `name`)"
    " → `USE_OTHER_PROCEDURE` on `field`",
    needs_when=True,
    field=Param("field"),
    procedure=Param("procedure"),
    name=Param("text"),
)
def _use_other_procedure(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    name: Text = rule.get("name")
    return [
        problem(
            "USE_OTHER_PROCEDURE",
            rule.get("field"),
            procedure=rule.get("procedure"),
            procedure_name=name.vi,
            procedure_name_en=name.en,
        )
    ]


@_rule(
    "refuse_when",
    "dossier",
    "when `when` holds the dossier is refused with the catalogue's `code` (a message that"
    " needs no value) on `field`",
    needs_when=True,
    field=Param("field"),
    code=Param("code"),
)
def _refuse_when(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    return [problem(rule.get("code"), rule.get("field"))]


@_rule(
    "parent_age_at_birth",
    "dossier",
    "the parent born on `field` is `min`–`max` years old on the child's birth date `child`"
    " (a plausibility check: outside it a date was mistyped) → `PARENT_AGE_IMPLAUSIBLE` on"
    " `field`, naming `parent`",
    field=Param("field"),
    child=Param("field"),
    min=Param("int"),
    max=Param("int"),
    parent=Param("text"),
)
def _parent_age_at_birth(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    age = age_at(values.get(rule.get("field")), parse_date(values.get(rule.get("child"))))
    if age is None or rule.get("min") <= age <= rule.get("max"):
        return []
    parent: Text = rule.get("parent")
    return [
        _labelled(
            "PARENT_AGE_IMPLAUSIBLE",
            procedure,
            rule.get("field"),
            parent=parent.vi,
            parent_en=parent.en,
            age=age,
        )
    ]


def id_number_female(procedure: Procedure, field_id: str, values: Mapping[str, Any]) -> bool | None:
    """The sex a personal identification number in ``field_id`` encodes (its fourth digit:
    odd is female), or None when the field holds a passport or another document (its
    ``id_kind_field`` says so) or no 12-digit number."""
    kind_field = procedure.field(field_id).id_kind_field
    if kind_field is not None and values.get(kind_field) in ("ho_chieu", "khac"):
        return None
    number = str(values.get(field_id) or "")
    if len(number) != 12 or not number.isdigit():
        return None
    return int(number[3]) % 2 == 1


@_rule(
    "distinct_id_numbers",
    "dossier",
    "two people of one dossier (the spouses) do not carry the same identity number"
    " → `FIELD_DOCUMENT_NUMBER` on `field`",
    field=Param("field"),
    other=Param("field"),
)
def _distinct_id_numbers(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    a, b = values.get(rule.get("other")), values.get(rule.get("field"))
    if a and a == b:
        return [_labelled("FIELD_DOCUMENT_NUMBER", procedure, rule.get("field"))]
    return []


@_rule(
    "opposite_sexes",
    "dossier",
    "the personal identification numbers in `female` and `male` do not encode the same sex"
    " (read from the numbers; a passport says nothing) → `MARRIAGE_SAME_SEX` on the column"
    " the numbers contradict",
    female=Param("field"),
    male=Param("field"),
)
def _opposite_sexes(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    female_side = id_number_female(procedure, rule.get("female"), values)
    male_side = id_number_female(procedure, rule.get("male"), values)
    if female_side is None or female_side != male_side:
        return []
    return [problem("MARRIAGE_SAME_SEX", rule.get("male") if female_side else rule.get("female"))]


@_rule(
    "id_number_sex",
    "dossier",
    "the personal identification number in `field` encodes the sex `sex` (`nam`/`nu`;"
    " a passport says nothing) → `FIELD_ID_MISMATCH` on `field`",
    field=Param("field"),
    sex=Param("sex"),
)
def _id_number_sex(
    procedure: Procedure, rule: Rule, values: Mapping[str, Any], today: date
) -> list[Finding]:
    female = id_number_female(procedure, rule.get("field"), values)
    if female is None or female == (rule.get("sex") == "nu"):
        return []
    return [_labelled("FIELD_ID_MISMATCH", procedure, rule.get("field"))]


# Keys every rule may carry besides its parameters.
COMMON_KEYS = frozenset({"kind", "when", "stop"})
