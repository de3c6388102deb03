"""Pure formatting of dates, statuses and history lines for the tablet screens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.workflow import ROLE_LABEL_VI, STATUS_LABEL_VI, TRANSITIONS, Role, Status


def _parse(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def when(iso: str | None, *, with_date: bool = True) -> str:
    """``2026-10-27T17:00:00+07:00`` → ``17:00 27/10/2026`` (Vietnamese order)."""
    moment = _parse(iso)
    if moment is None:
        return "—"
    return f"{moment:%H:%M} {moment:%d/%m/%Y}" if with_date else f"{moment:%H:%M}"


def due_text(iso: str | None) -> str:
    moment = _parse(iso)
    if moment is None:
        return "—"
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def date_vi(iso: str | None) -> str:
    """``2026-10-05`` → ``05/10/2026``; anything else unchanged."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def status_label(status: str) -> str:
    try:
        return STATUS_LABEL_VI[Status(status)]
    except ValueError:
        return status


def role_label(role: str) -> str:
    try:
        return ROLE_LABEL_VI[Role(role)]
    except ValueError:
        return role


def action_label(action: str) -> str:
    t = TRANSITIONS.get(action)
    return t.label_vi if t else action


def history_line(entry: dict[str, Any]) -> str:
    """One history entry as a sentence: when — what — who (role) → new status (reason)."""
    text = (
        f"{when(entry.get('at'))} — {action_label(str(entry.get('action', '')))} — "
        f"{entry.get('actor', '')} ({role_label(str(entry.get('role', '')))}) → "
        f"{status_label(str(entry.get('to_status', '')))}"
    )
    if entry.get("reason"):
        text += f". Lý do: {entry['reason']}"
    return text


def size_text(n_bytes: int) -> str:
    kb = n_bytes / 1024
    return f"{kb:.0f} KB" if kb >= 10 else f"{kb:.1f} KB"
