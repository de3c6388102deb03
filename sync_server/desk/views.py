"""Pure shaping of a dossier for reading at the desk: labelled sections and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.catalogue import Procedure
from shared.model import HistoryEntry
from shared.views import shown
from shared.workdays import VN_TZ
from shared.workflow import role_label
from shared.workflow import timeline as five_stages


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
            text = shown(values.get(f.id), f)
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
    skipped: bool = False  # the dossier ended (refused, withdrawn) before this stage


def timeline(history: list[HistoryEntry]) -> list[Stage]:
    """The five stages of ``shared.workflow.timeline`` (the tablet shows the same), each
    with who did what and when (and why, when a reason was given)."""
    return [
        Stage(
            st.label.vi,
            st.done,
            tuple(
                Step(
                    label=s.label(),
                    who=f"{s.actor} ({role_label(s.role)})",
                    at=when(s.at),
                    reason=s.reason or "",
                )
                for s in st.steps
            ),
            st.skipped,
        )
        for st in five_stages(h.to_dict() for h in history)
    ]


def supplement_reason(reason: str, missing: list[str]) -> str:
    """What the citizen reads: the appraiser's reason, then the list of what to bring."""
    text = reason.strip()
    items = [m.strip() for m in missing if m.strip()]
    if items:
        listed = "; ".join(items)
        text = f"{text}. Cần bổ sung: {listed}" if text else f"Cần bổ sung: {listed}"
    return text
