"""What a result needs before it is signed and sealed.

A Giấy khai sinh carries the child's số định danh cá nhân, issued at registration by the
national population database (Luật Căn cước 2023, Điều 12; Thông tư 04/2020/TT-BTP as
amended by Thông tư 04/2024/TT-BTP, the Giấy khai sinh form): the appraiser records it
(by hand until the provincial system answers), and the leader cannot sign — nor the clerk
seal — a certificate without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.catalogue import Procedure
from shared.errors import problem

__all__ = ["PERSONAL_ID_FIELD", "ready_to_issue"]

PERSONAL_ID_FIELD = "child_personal_id"


def ready_to_issue(procedure: Procedure, values: Mapping[str, Any]) -> None:
    """Raise ``PERSONAL_ID_MISSING`` when the result would print a blank number."""
    field = next((f for f in procedure.fields if f.id == PERSONAL_ID_FIELD), None)
    if field is not None and not str(values.get(PERSONAL_ID_FIELD) or "").strip():
        raise problem(
            "PERSONAL_ID_MISSING", PERSONAL_ID_FIELD, label=field.label.vi, label_en=field.label.en
        )
