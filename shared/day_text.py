"""Dates as a person in Viet Nam reads them: dd/mm/yyyy (issue 21 §11).

Dossiers store ISO 8601 — "1997-06-17", a partial "1997-06" or "1997", a moment
"2026-12-07T05:16:00+00:00" — which nobody at the counter should have to decode. Every
place a person reads a date (desk, verify page, history) writes it through here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.validation import parse_partial_date
from shared.workdays import VN_TZ

__all__ = ["day_text"]


def day_text(value: Any) -> str:
    """``"1997-06-17"`` → ``"17/06/1997"``, ``"1997-06"`` → ``"06/1997"``, ``"1997"`` →
    ``"1997"``; a moment → its day in Viet Nam; anything else unchanged ("" for None)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        moment = value.astimezone(VN_TZ) if value.tzinfo else value
        return f"{moment:%d/%m/%Y}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = str(value).strip()
    if len(text) > 10 and text[4:5] == "-":
        try:
            return day_text(datetime.fromisoformat(text))
        except ValueError:
            return text
    iso = parse_partial_date(text)
    if iso is None or not text[:4].isdigit():  # already "17/06/1997", or not a date
        return text
    return "/".join(reversed(iso.split("-")))
