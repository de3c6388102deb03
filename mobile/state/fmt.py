"""Pure formatting of dates, statuses and history lines for the tablet screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile.i18n import tr
from shared.catalogue import Procedure
from shared.model import DossierSummary
from shared.policy import PIN_LOCKOUT, PIN_MAX_FAILURES
from shared.text import fold as fold
from shared.workdays import parse_vn
from shared.workflow import (
    action_label,
    role_label,
    status_label,
)
from shared.workflow import timeline as five_stages


def when(iso: str | None, *, with_date: bool = True) -> str:
    """``2026-10-27T17:00:00+07:00`` → ``17:00 27/10/2026`` (Vietnamese order)."""
    moment = parse_vn(iso)
    if moment is None:
        return "—"
    return f"{moment:%H:%M} {moment:%d/%m/%Y}" if with_date else f"{moment:%H:%M}"


def due_text(iso: str | None, lang: str = "vi") -> str:
    """``17:00 ngày 27/10/2026``; in English ``17:00 on 27/10/2026``."""
    moment = parse_vn(iso)
    if moment is None:
        return "—"
    word = "ngày" if lang == "vi" else "on"
    return f"{moment:%H:%M} {word} {moment:%d/%m/%Y}"


def history_line(entry: dict[str, Any], lang: str = "vi") -> str:
    """One history entry as a sentence: when — what — who (role) — new status (reason),
    in the app's language (the reason is the office's own words)."""
    text = tr(
        lang,
        "{at} — {action} — {who} ({role}) — chuyển sang: {status}",
        at=when(entry.get("at")),
        action=action_label(str(entry.get("action", "")), lang),
        who=entry.get("actor", ""),
        role=role_label(str(entry.get("role", "")), lang),
        status=status_label(str(entry.get("to_status", "")), lang),
    )
    if entry.get("reason"):
        text += tr(lang, ". Lý do: {why}", why=entry["reason"])
    return text


def size_text(n_bytes: int) -> str:
    kb = n_bytes / 1024
    return f"{kb:.0f} KB" if kb >= 10 else f"{kb:.1f} KB"


@dataclass(frozen=True)
class StepLine:
    """One step of a stage as the tablet shows it: when, what, who (role), why."""

    at: str
    action: str
    who: str
    reason: str = ""


@dataclass(frozen=True)
class Stage:
    """One of the five stages a citizen understands, with its steps."""

    name: str
    done: bool
    skipped: bool = False  # the dossier ended (refused, withdrawn) before this stage
    steps: tuple[StepLine, ...] = ()


def timeline(history: list[dict[str, Any]], lang: str = "vi") -> list[Stage]:
    """The five stages of ``shared.workflow.timeline`` (the desk shows the same), with
    times, actions and roles in the tablet's words."""
    return [
        Stage(
            st.label.get(lang),
            st.done,
            st.skipped,
            tuple(
                StepLine(
                    when(s.at),
                    s.label(lang),
                    f"{s.actor} ({role_label(s.role, lang)})",
                    s.reason or "",
                )
                for s in st.steps
            ),
        )
        for st in five_stages(history)
    ]


def supplement_reason(history: list[dict[str, Any]]) -> str:
    """Why the office sent the dossier back (the latest such entry's reason)."""
    for h in reversed(history):
        if h.get("to_status") == "supplement_requested":
            return str(h.get("reason") or "")
    return ""


# Dossiers that need the intake officer first: sent back, or result ready to hand over.
NEEDS_ACTION = ("supplement_requested", "stamped")
STATUS_FILTERS: tuple[tuple[str, str], ...] = (
    ("", "Tất cả"),
    ("action", "Cần xử lý"),
    ("received", "Đã tiếp nhận"),
    ("processing", "Đang giải quyết"),
    ("returned", "Đã trả"),
)
_PROCESSING = {"appraising", "appraised", "approved"}


def home_rows(
    dossiers: list[DossierSummary], query: str = "", status: str = ""
) -> list[DossierSummary]:
    """The home list: filtered by status group and accent-insensitive search, dossiers
    needing action first, then the newest."""
    q = fold(query.strip())
    out = []
    for d in dossiers:
        if status == "action" and d.status not in NEEDS_ACTION:
            continue
        if status == "processing" and d.status not in _PROCESSING:
            continue
        if status in ("received", "returned") and d.status != status:
            continue
        if q and q not in fold(f"{d.title} {d.code}"):
            continue
        out.append(d)
    out.sort(key=lambda d: d.received_at or "", reverse=True)
    out.sort(key=lambda d: d.status not in NEEDS_ACTION)
    return out


def procedure_rows(procedures: list[Procedure], query: str = "") -> list[Procedure]:
    """The procedures the picker shows for ``query``: every word of it (accents, case and
    order ignored) found in the code, the name in either language or the lĩnh vực. A
    commune counter holds 100+ procedures once the catalogue is imported: found by typing
    "giam ho" or "1.0010", not by scrolling."""
    words = fold(query).split()
    if not words:
        return list(procedures)
    out = []
    for p in procedures:
        hay = fold(f"{p.code} {p.name.vi} {p.name.en} {p.record.get('linh_vuc', '')}")
        if all(w in hay for w in words):
            out.append(p)
    return out


def station_pin_hint(failures: int, lang: str = "vi") -> str:
    """What to say under the PIN after the station refused a first unlock ``failures``
    times in a row on this tablet.

    The station answers a wrong PIN, an unknown name and a locked account alike (so it
    cannot be probed for names), so it cannot say how many tries remain; this tablet
    can count its own tries and say what the lockout rule is and what to do.
    """
    minutes = int(PIN_LOCKOUT.total_seconds() // 60)
    left = PIN_MAX_FAILURES - failures
    if left > 0:
        return tr(lang, PIN_TRIES, n=failures, left=left, max=PIN_MAX_FAILURES, minutes=minutes)
    return tr(lang, PIN_LOCKED, minutes=minutes)


PIN_TRIES = (
    "Đã nhập sai {n} lần trên máy này; còn tối đa {left} lần. Sau {max} lần sai liên tiếp, "
    "tài khoản bị khoá {minutes} phút."
)
PIN_LOCKED = (
    "Tài khoản có thể đang bị khoá {minutes} phút. Hãy đợi rồi thử lại, hoặc nhờ quản trị viên "
    "mở khoá ngay trên bàn làm việc của văn phòng (mục Cán bộ, nút Mở khoá)."
)
