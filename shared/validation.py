"""The validation engine: turns what staff typed into clean, typed dossier values.

The same function runs on the tablet (to show per-field messages before a dossier is
received) and on the station (which never trusts the tablet). It normalises as it checks
(NFC text, ISO dates, integers) so both sides store identical values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any

from shared.catalogue import Field, Procedure
from shared.dates import parse_date as parse_date
from shared.dates import parse_partial_date as parse_partial_date
from shared.dates import partial_date_text as partial_date_text
from shared.errors import Code, TaiChoError, problem
from shared.fees import fee_quote
from shared.fees import page_fee as page_fee  # the per-page rule, where it was before
from shared.personal_id import personal_id_fault
from shared.rules import Flag as Flag  # a rule's flag, where callers found it before
from shared.rules import run_rule

_CCCD_RE = re.compile(r"^\d{12}$")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,12}$")
_OTHER_DOC_RE = re.compile(r"^[0-9A-Z][0-9A-Z./\- ]{2,29}$")
_PHONE_RE = re.compile(r"^0\d{9}$")
_SPACES = re.compile(r"\s+")


@dataclass
class ValidationResult:
    values: dict[str, Any]
    problems: list[TaiChoError]
    flags: list[Flag] = dataclass_field(default_factory=list)
    fee_vnd: int = 0  # what the dossier costs (lệ phí + phí), from the procedure's fee rule

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_field(self) -> dict[str, TaiChoError]:
        """First problem per field: what a form shows under each input."""
        out: dict[str, TaiChoError] = {}
        for p in self.problems:
            if p.field and p.field not in out:
                out[p.field] = p
        return out

    def raise_if_invalid(self) -> dict[str, Any]:
        if self.problems:
            raise TaiChoError(
                "DOSSIER_INVALID",
                self.problems[0].field,
                {"count": len(self.problems)},
                [p.to_problem() for p in self.problems],
            )
        return self.values


def clean_text(value: str) -> str:
    """NFC, trimmed, inner whitespace collapsed: what a careful clerk would type."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def _year_of(value: Any) -> int | None:
    """The year of a date, partial date or year value."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.match(r"^\d{4}", value):
        return int(value[:4])
    return None


def personal_id_problem(
    number: str, today: date, *, sex: str | None = None, birth_year: int | None = None
) -> Code | None:
    """Why a 12-digit personal identification number cannot be right, or None.

    The structure rule lives in ``shared.personal_id``; here its fault becomes the form's
    field codes: "FIELD_CCCD" (not 12 digits), "FIELD_ID_PROVINCE" or "FIELD_ID_MISMATCH"
    (sex digit or birth year disagree with the person, or a birth year in the future).
    ``sex`` is the form's choice value ("nam" / "nu").
    """
    fault = personal_id_fault(
        number,
        female=None if sex is None else sex == "nu",
        birth_year=birth_year,
        today=today,
    )
    if fault is None:
        return None
    return {"format": "FIELD_CCCD", "province": "FIELD_ID_PROVINCE"}.get(fault, "FIELD_ID_MISMATCH")  # type: ignore[return-value]


def _age_years(born: date, today: date) -> int:
    """Completed years between two dates, as an age is counted (birthday reached or not)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _err(code: Code, f: Field, **ctx: Any) -> TaiChoError:
    return problem(code, f.id, label=f.label.vi, label_en=f.label.en, **ctx)


def _coerce(
    f: Field, raw: Any, today: date, seen: Mapping[str, Any]
) -> tuple[Any, TaiChoError | None]:
    """One field's typed value, or the problem with it (``seen``: the values cleaned so
    far, for checks that depend on an earlier field)."""
    t = f.type
    if t == "bool":
        if isinstance(raw, bool):
            if f.must_accept and raw is not True:
                return None, _err("FIELD_MUST_ACCEPT", f)
            return raw, None
        if isinstance(raw, str) and raw.strip().lower() in (
            "true",
            "false",
            "1",
            "0",
            "có",
            "không",
        ):
            accepted = raw.strip().lower() in ("true", "1", "có")
            if f.must_accept and not accepted:
                return None, _err("FIELD_MUST_ACCEPT", f)
            return accepted, None
        return None, _err("FIELD_TYPE", f)
    if t in ("integer", "year"):
        if isinstance(raw, bool):
            return None, _err("FIELD_TYPE", f)
        if isinstance(raw, int):
            n = raw
        elif isinstance(raw, str) and re.fullmatch(r"\s*-?\d+\s*", raw):
            n = int(raw)
        else:
            return None, _err("FIELD_TYPE", f)
        lo = f.minimum if f.minimum is not None else (1900 if t == "year" else None)
        hi = f.maximum if f.maximum is not None else (today.year if t == "year" else None)
        if lo is not None and n < lo:
            return None, _err("FIELD_MIN", f, min=lo)
        if hi is not None and n > hi:
            return None, _err("FIELD_MAX", f, max=hi)
        return n, None
    if t == "date":
        d = parse_date(raw)
        if d is None:
            return None, _err("FIELD_TYPE", f)
        if f.not_future and d > today:
            return None, _err("FIELD_DATE_FUTURE", f)
        if f.max_age_years is not None and _age_years(d, today) > f.max_age_years:
            return None, _err("FIELD_DATE_TOO_OLD", f)
        if f.min_age_years is not None and _age_years(d, today) < f.min_age_years:
            return None, _err("FIELD_MIN_AGE", f, min=f.min_age_years)
        return d.isoformat(), None
    if t == "partial_date":
        iso = parse_partial_date(raw)
        if iso is None:
            return None, _err("FIELD_TYPE", f)
        if f.not_future and iso > today.isoformat()[: len(iso)]:
            return None, _err("FIELD_DATE_FUTURE", f)
        lo = f.minimum if f.minimum is not None else 1900
        if int(iso[:4]) < lo:
            return None, _err("FIELD_MIN", f, min=lo)
        return iso, None
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        return None, _err("FIELD_TYPE", f)
    s = clean_text(str(raw))
    if t == "choice":
        if s not in f.choice_values:
            return None, _err("FIELD_CHOICE", f)
        return s, None
    if t == "cccd":
        return _identity_number(f, s, today, seen)
    if t == "phone":
        s = re.sub(r"[\s.\-]", "", s)
        if s.startswith("+84"):
            s = "0" + s[3:]
        return (s, None) if _PHONE_RE.match(s) else (None, _err("FIELD_PHONE", f))
    if f.max_length is not None and len(s) > f.max_length:
        return None, _err("FIELD_TOO_LONG", f, max=f.max_length)
    if f.min_length is not None and len(s) < f.min_length:
        return None, _err("FIELD_TOO_SHORT", f, min=f.min_length)
    if f.pattern and not re.fullmatch(f.pattern, s):
        return None, _err("FIELD_PATTERN", f)
    return s, None


def _identity_number(
    f: Field, s: str, today: date, seen: Mapping[str, Any]
) -> tuple[Any, TaiChoError | None]:
    kind = seen.get(f.id_kind_field) if f.id_kind_field else None
    if kind in ("ho_chieu", "khac"):
        number = s.upper()
        pattern = _PASSPORT_RE if kind == "ho_chieu" else _OTHER_DOC_RE
        if kind == "ho_chieu":
            number = number.replace(" ", "")
        if not pattern.match(number):
            return None, _err("FIELD_DOCUMENT_NUMBER", f)
        return number, None
    number = s.replace(" ", "")
    sex = f.id_sex or (seen.get(f.id_sex_field) if f.id_sex_field else None)
    birth_year = _year_of(seen.get(f.id_birth_field)) if f.id_birth_field else None
    code = personal_id_problem(
        number, today, sex=sex if isinstance(sex, str) else None, birth_year=birth_year
    )
    if code is None:
        return number, None
    return None, _err(code, f, prefix=number[:3])


def _derive(f: Field, values: Mapping[str, Any]) -> Any:
    source = values.get(f.derived_from or "")
    if source is None:
        return None
    if f.derivation == "date_words":
        from shared.numwords import date_to_words

        d = parse_date(source)
        return date_to_words(d) if d else None
    return None


def is_visible(f: Field, values: Mapping[str, Any]) -> bool:
    return f.show_if is None or f.show_if.holds(values)


def validate(procedure: Procedure, raw: Mapping[str, Any], today: date) -> ValidationResult:
    """Check and normalise all values of one dossier against its procedure.

    Unknown keys are errors (a typo must not silently lose data); hidden fields
    (show-if false) are dropped; derived fields are recomputed, never taken from input.
    Show-if is evaluated on the values cleaned so far (the loader makes sure a show-if
    source comes first), so a stale hidden value in the input never unhides a field.
    Then the procedure's named rules run (:func:`_apply_rules`), and the fee is computed.
    """
    problems: list[TaiChoError] = []
    if not procedure.enabled:  # an imported procedure the office switched off
        problems.append(problem("PROCEDURE_DISABLED", "procedure", procedure=procedure.code))
    known = {f.id for f in procedure.fields}
    for key in raw:
        if key not in known:
            problems.append(problem("FIELD_UNKNOWN", key, name=key))
    values: dict[str, Any] = {}
    for f in procedure.fields:
        if f.type == "derived":
            continue
        if not is_visible(f, values):
            continue
        value = raw.get(f.id, f.default if f.id not in raw else None)
        if _is_empty(value):
            if f.required:
                problems.append(_err("FIELD_REQUIRED", f))
            continue
        clean, err = _coerce(f, value, today, values)
        if err is not None:
            problems.append(err)
        else:
            values[f.id] = clean
    for f in procedure.fields:
        if f.type == "derived" and is_visible(f, values):
            derived = _derive(f, values)
            if derived is not None:
                values[f.id] = derived
    flags: list[Flag] = []
    _apply_rules(procedure, values, today, problems, flags)
    return ValidationResult(values, problems, flags, compute_fee(procedure, values))


def _apply_rules(
    procedure: Procedure,
    values: Mapping[str, Any],
    today: date,
    problems: list[TaiChoError],
    flags: list[Flag],
) -> None:
    """The procedure's named rules (:mod:`shared.rules`): every ``values`` rule whose
    fields have no problem yet; then, if the dossier has no problem at all, the ``dossier``
    rules in the file's order, until one marked ``stop`` finds a problem."""
    failed = {p.field for p in problems}
    for rule in procedure.rules:
        if rule.spec.phase != "values" or failed.intersection(rule.fields):
            continue
        for found in run_rule(procedure, rule, values, today):
            if isinstance(found, Flag):
                flags.append(found)
            else:
                problems.append(found)
    if problems:
        return
    for rule in procedure.rules:
        if rule.spec.phase != "dossier":
            continue
        findings = run_rule(procedure, rule, values, today)
        flags.extend(f for f in findings if isinstance(f, Flag))
        errors = [f for f in findings if isinstance(f, TaiChoError)]
        problems.extend(errors)
        if errors and rule.stop:
            return


def compute_fee(
    procedure: Procedure,
    values: Mapping[str, Any],
    province_fees: Mapping[str, int] | None = None,
) -> int:
    """What the dossier costs in đồng: the base amount (the province's, when the
    procedure's fee is set by province; waived for a person exempt under Luật Hộ tịch,
    Điều 11), per-unit amounts (copies) and the per-page fee of each copy, as the
    procedure file declares them (:func:`shared.fees.fee_quote`, which also says when a
    province's amount is not set: 0 here)."""
    amount = fee_quote(procedure, values, province_fees).amount_vnd
    return 0 if amount is None else amount
