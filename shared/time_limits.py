"""How many working days a dossier has: the procedure's legal limit, plus what the law
lets the office add for this dossier.

- Chứng thực bản sao: "thời hạn được kéo dài nhưng không quá 02 ngày làm việc" for many
  originals, pages or copies, with a phiếu hẹn (Nghị định 23/2015/NĐ-CP, Điều 7 khoản 2)
  — the field ``extension_days`` (0–2) the officer sets at intake.
- A verification (xác minh) opened by a lookup that found nothing: only where a text
  allows it (:func:`shared.lookups.verification_days`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.catalogue import Procedure

__all__ = ["EXTENSION_FIELD", "MAX_EXTENSION_DAYS", "legal_limit_days"]

EXTENSION_FIELD = "extension_days"
MAX_EXTENSION_DAYS = 2


def legal_limit_days(
    procedure: Procedure, values: Mapping[str, Any], *, verifying: bool = False
) -> int:
    """Working days from receipt to the due time (0: the same day)."""
    from shared.lookups import verification_days

    days = procedure.time_limit_working_days
    extra = values.get(EXTENSION_FIELD)
    if any(f.id == EXTENSION_FIELD for f in procedure.fields) and isinstance(extra, int):
        days += max(0, min(extra, MAX_EXTENSION_DAYS))
    if verifying:
        days = max(days, verification_days(procedure.code))
    return days
