"""Pure shaping of a dossier for reading at the desk: labelled sections and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.catalogue import Procedure
from shared.workdays import VN_TZ
from shared.workflow import (
    action_label,
    role_label,
)

# The five stages of "5 tại chỗ" and the actions that belong to each.
STAGES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Tiếp nhận", frozenset({"receive"})),
    (
        "Thẩm định",
        frozenset(
            {
                "start_appraisal",
                "record_personal_id",
                "accept",
                "request_supplement",
                "refuse",
                "supplement",
            }
        ),
    ),
    ("Phê duyệt", frozenset({"approve"})),
    ("Đóng dấu", frozenset({"stamp"})),
    ("Trả kết quả", frozenset({"return"})),
)


def when(iso: str | None) -> str:
    """``2026-10-27T17:00:00+07:00`` → ``17:00 27/10/2026``."""
    if not iso:
        return "—"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)  # device and lock times are stored in UTC
    return f"{moment:%H:%M} {moment:%d/%m/%Y}"


def _shown(value: Any, field_type: str, choice: str) -> str:
    if value is None or value == "":
        return ""
    if field_type == "bool":
        return "Có" if value else "Không"
    if field_type == "date" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return choice or str(value)


def sections(
    values: dict[str, Any], proc: Procedure | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The dossier's values under the catalogue's section titles and field labels."""
    if proc is None:
        return [("Thông tin", [(k, str(v)) for k, v in values.items() if v not in (None, "")])]
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for sec in proc.sections:
        rows = []
        for f in proc.fields_in(sec.id):
            v = values.get(f.id)
            text = _shown(v, f.type, f.choice_label(v) if f.choices else "")
            if text:
                rows.append((f.label.vi, text))
        if rows:
            out.append((sec.title.vi, rows))
    return out


@dataclass(frozen=True)
class Step:
    """One history entry as the timeline shows it."""

    label: str
    who: str
    at: str
    reason: str


@dataclass(frozen=True)
class Stage:
    name: str
    done: bool
    steps: tuple[Step, ...]


def timeline(history: list[dict[str, Any]]) -> list[Stage]:
    """The five stages, each with who did what and when (and why, when a reason was given)."""
    out = []
    for name, acts in STAGES:
        steps = tuple(
            Step(
                label=action_label(str(h.get("action", ""))),
                who=f"{h.get('actor', '')} ({role_label(str(h.get('role', '')))})",
                at=when(h.get("at")),
                reason=str(h.get("reason") or ""),
            )
            for h in history
            if h.get("action") in acts
        )
        out.append(Stage(name, bool(steps), steps))
    return out


def supplement_reason(reason: str, missing: list[str]) -> str:
    """What the citizen reads: the appraiser's reason, then the list of what to bring."""
    text = reason.strip()
    items = [m.strip() for m in missing if m.strip()]
    if items:
        listed = "; ".join(items)
        text = f"{text}. Cần bổ sung: {listed}" if text else f"Cần bổ sung: {listed}"
    return text
