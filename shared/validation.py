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
from datetime import date
from typing import Any

from shared.catalogue import Field, Procedure
from shared.errors import Code, TaiChoError, problem

_CCCD_RE = re.compile(r"^\d{12}$")
_PHONE_RE = re.compile(r"^0\d{9}$")
_SPACES = re.compile(r"\s+")


@dataclass
class ValidationResult:
    values: dict[str, Any]
    problems: list[TaiChoError]

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


def parse_date(value: Any) -> date | None:
    """ISO ``YYYY-MM-DD`` or Vietnamese ``dd/mm/yyyy``; None if it is neither."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return date.fromisoformat(s)
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def _age_years(born: date, today: date) -> int:
    """Completed years between two dates, as an age is counted (birthday reached or not)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _err(code: Code, f: Field, **ctx: Any) -> TaiChoError:
    return problem(code, f.id, label=f.label.vi, label_en=f.label.en, **ctx)


def _coerce(f: Field, raw: Any, today: date) -> tuple[Any, TaiChoError | None]:
    """One field's typed value, or the problem with it."""
    t = f.type
    if t == "bool":
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, str) and raw.strip().lower() in (
            "true",
            "false",
            "1",
            "0",
            "có",
            "không",
        ):
            return raw.strip().lower() in ("true", "1", "có"), None
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
        return d.isoformat(), None
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        return None, _err("FIELD_TYPE", f)
    s = clean_text(str(raw))
    if t == "choice":
        if s not in {c.value for c in f.choices}:
            return None, _err("FIELD_CHOICE", f)
        return s, None
    if t == "cccd":
        s = s.replace(" ", "")
        return (s, None) if _CCCD_RE.match(s) else (None, _err("FIELD_CCCD", f))
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
    """
    problems: list[TaiChoError] = []
    known = {f.id for f in procedure.fields}
    for key in raw:
        if key not in known:
            problems.append(problem("FIELD_UNKNOWN", key, name=key))
    values: dict[str, Any] = {}
    # Fields are ordered so that show-if sources come first in every catalogue we ship;
    # evaluate visibility on the cleaned values seen so far plus raw ones for safety.
    for f in procedure.fields:
        if f.type == "derived":
            continue
        merged = {**raw, **values}
        if not is_visible(f, merged):
            continue
        value = raw.get(f.id, f.default if f.id not in raw else None)
        if _is_empty(value):
            if f.required:
                problems.append(_err("FIELD_REQUIRED", f))
            continue
        clean, err = _coerce(f, value, today)
        if err is not None:
            problems.append(err)
        else:
            values[f.id] = clean
    for f in procedure.fields:
        if f.type == "derived" and is_visible(f, values):
            derived = _derive(f, values)
            if derived is not None:
                values[f.id] = derived
    return ValidationResult(values, problems)
