"""The desk's work queues as pure data: which tab holds which statuses, filters, urgency.

No Flet and no database here, so the rules a clerk relies on every morning (what is
overdue, what is due today, what a search finds) are tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from shared.permissions import Verb, can
from shared.text import fold as fold
from shared.views import DossierRow
from shared.workdays import parse_vn
from shared.workflow import Role, Status

OVERDUE = "overdue"
DUE_TODAY = "today"


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    statuses: frozenset[Status]
    # The verb of this queue's work: its tab opens first for whoever holds it
    # (shared.permissions); None: a tab nobody starts on.
    verb: Verb | None


TABS: tuple[Tab, ...] = (
    Tab(
        "appraise",
        "Thẩm định",
        frozenset({Status.RECEIVED, Status.APPRAISING}),
        Verb.DOSSIER_ACCEPT,
    ),
    Tab("approve", "Phê duyệt", frozenset({Status.APPRAISED}), Verb.DOSSIER_APPROVE),
    Tab("stamp", "Đóng dấu", frozenset({Status.APPROVED}), Verb.DOSSIER_STAMP),
    Tab("return", "Trả kết quả", frozenset({Status.STAMPED}), Verb.DOSSIER_RETURN),
    Tab("supplement", "Chờ bổ sung", frozenset({Status.SUPPLEMENT_REQUESTED}), None),
    Tab("all", "Tất cả", frozenset(Status), None),
)
TAB_BY_KEY = {t.key: t for t in TABS}


def default_tab(role: Role) -> str:
    """The queue a person opens on: the first one whose work their role may do."""
    for t in TABS:
        if t.verb is not None and can(role, t.verb):
            return t.key
    return "all"


def urgency(row: DossierRow, now: datetime) -> str:
    """``overdue`` past its due time, ``today`` if due later today, else ``""``.

    Finished dossiers (returned, refused, withdrawn) are never urgent.
    """
    due = parse_vn(row.due_at)
    if due is None or row.status in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN):
        return ""
    here = now.astimezone(due.tzinfo) if due.tzinfo else now
    if due < here:
        return OVERDUE
    if due.date() == here.date():
        return DUE_TODAY
    return ""


def _due_key(row: DossierRow) -> tuple[int, str, str]:
    due = parse_vn(row.due_at)
    # Sort by the instant (offsets may differ), dossiers without a due time last.
    return (1, "", row.code) if due is None else (0, due.isoformat(), row.code)


def in_tab(rows: Iterable[DossierRow], tab: str) -> list[DossierRow]:
    statuses = TAB_BY_KEY[tab].statuses
    return [r for r in rows if r.status in statuses]


def counts(rows: Iterable[DossierRow]) -> dict[str, int]:
    items = list(rows)
    return {t.key: len(in_tab(items, t.key)) for t in TABS}


def select(
    rows: Iterable[DossierRow],
    *,
    tab: str,
    procedure: str = "",
    status: str = "",
    query: str = "",
) -> list[DossierRow]:
    """The rows of one tab after the filters, earliest due first."""
    picked = in_tab(rows, tab)
    if procedure:
        picked = [r for r in picked if r.procedure == procedure]
    if status:
        picked = [r for r in picked if r.status.value == status]
    needle = fold(query)
    if needle:
        picked = [r for r in picked if needle in fold(r.code) or needle in fold(r.title)]
    return sorted(picked, key=_due_key)


def due_day_label(row: DossierRow, today: date) -> str:
    due = parse_vn(row.due_at)
    if due is None:
        return "—"
    if due.date() == today:
        return f"Hôm nay {due:%H:%M}"
    return f"{due:%H:%M} {due:%d/%m/%Y}"
