"""Dates as people write them on a form: full (``dd/mm/yyyy`` or ISO) and partial ones
whose day or month is unknown ("1996", "03/1996").

A module of its own, below everything that reads dates: the validation of a dossier and
the document layouts both need it, and the layouts are loaded by the procedure registry
that validation consults (tests/test_import_graph.py keeps that free of cycles).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

__all__ = ["parse_date", "parse_partial_date", "partial_date_text"]


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


def parse_partial_date(value: Any) -> str | None:
    """A date whose day and month may be unknown: "1996", "03/1996", "15/03/1996" or the
    ISO forms "1996", "1996-03", "1996-03-15". Returns the ISO form, or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if re.fullmatch(r"\d{4}", s):
        return s
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", s) or re.fullmatch(r"(\d{4})-(\d{2})", s)
    if m:
        a, b = m.group(1), m.group(2)
        year, month = (int(b), int(a)) if len(b) == 4 else (int(a), int(b))
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    d = parse_date(s)
    return d.isoformat() if d else None


def partial_date_text(value: Any) -> str:
    """A partial date as people write it: "15/03/1996", "03/1996" or "1996" (the stored
    form is ISO, which a citizen reading back should not have to decode)."""
    iso = parse_partial_date(value)
    if iso is None:
        return "" if value is None else str(value)
    return "/".join(reversed(iso.split("-")))
