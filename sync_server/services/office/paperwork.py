"""The one-stop shop's papers for a dossier, and the apology a late dossier needs.

Each paper is rendered on request from what the station already keeps (the dossier, its
procedure, the unit, the staff table, the calendar): nothing is stored, so a paper is
always consistent with the dossier's history. A paper that does not apply to the
dossier's state (a refusal slip for a dossier that was not refused, …) is
``PAPER_NOT_APPLICABLE`` (409).

Recording an apology (Phiếu xin lỗi và hẹn lại ngày trả kết quả) is a station action like
the workflow's: one transaction writes the apology row (reason encrypted), a history
entry ``apologize`` (status unchanged), the audit row and the tablet's feed item.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue, Procedure
from shared.documents.paperwork import (
    PaperDossier,
    Stage,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_supplement_request,
)
from shared.documents.paperwork.of_dossier import (
    as_receipt,
    paper_of,
    with_supplement_request,
)
from shared.errors import TaiChoError, problem
from shared.model import Dossier, HistoryEntry
from shared.permissions import Verb, require
from shared.views import Apology, ApologyView
from shared.workdays import (
    OFFICE_CLOSE,
    VN_TZ,
    CalendarOverrides,
    due_at,
    is_working_day,
    parse_vn,
    timeliness,
    to_vn,
)
from shared.workflow import (
    FINAL_STATUSES,
    ROLE_LABEL_VI,
    STATUS_LABEL_VI,
    TRANSITIONS,
    Action,
    Status,
    transition_not_allowed,
)
from sync_server.services.core import audit
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office import stamping
from sync_server.services.office.actions import PERSONAL_ID_ACTION, record_change
from sync_server.services.office.changes import append_note
from sync_server.services.setup.calendar import calendar_overrides
from sync_server.services.setup.fee_settings import province_fees
from sync_server.services.setup.staff import Staff, get_staff
from sync_server.services.setup.units import require_unit
from sync_server.store import calendar as q
from sync_server.store.db import transaction

APOLOGY_ACTION = Action.APOLOGIZE
PAPERS = ("receipt", "supplement-request", "refusal", "apology", "control-sheet")

_TIMELINESS_VI = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
_PAPER_VI = {
    "receipt": "giấy tiếp nhận",
    "supplement-request": "phiếu yêu cầu bổ sung",
    "refusal": "phiếu từ chối",
    "apology": "phiếu xin lỗi",
    "control-sheet": "phiếu kiểm soát",
}


def _name(db: Database, username: str) -> tuple[str, str]:
    """(full name, what they are) of a staff member; the username if unknown."""
    s = get_staff(db, username) if username else None
    if s is None:
        return username, ""
    return s.full_name, s.title or ROLE_LABEL_VI[s.role]


def _person(db: Database, username: str) -> str:
    name, what = _name(db, username)
    return f"{name} – {what}" if what else name


def _last(d: Dossier, action: str) -> HistoryEntry | None:
    return next((h for h in reversed(d.history) if h.action == action), None)


def _stages(
    db: Database, d: Dossier, proc: Procedure, citizen: str, cal: CalendarOverrides
) -> tuple[Stage, ...]:
    """One row per step of the history: who handed over, who took it, on time or late.

    The due time in force is recomputed along the way: a supplement restarts it.
    """
    received = parse_vn(d.received_at)
    due = due_at(received, proc.time_limit_working_days, overrides=cal) if received else None
    stages: list[Stage] = []
    prev_actor: str | None = None
    for h in d.history:
        at = parse_vn(h.at)
        if at is None or h.action == PERSONAL_ID_ACTION:  # an entry, not a handover
            continue
        if h.action == "supplement":
            due = due_at(at, proc.time_limit_working_days, overrides=cal)
        handed = (
            f"Ông/bà {citizen} (người nộp hồ sơ)"
            if prev_actor is None or h.action == "supplement"
            else _person(db, prev_actor)
        )
        taker = _person(db, h.actor)
        if h.action in ("return", APOLOGY_ACTION):
            # To the citizen: the result, or the apology and the new date.
            handed, taker = _person(db, h.actor), f"Ông/bà {citizen}"
        t = TRANSITIONS.get(h.action)
        step = t.label_vi if t else ("Xin lỗi, hẹn lại" if h.action == APOLOGY_ACTION else h.action)
        result = _TIMELINESS_VI[timeliness(due, at)] if due else ""
        note = h.reason or ""
        stages.append(Stage(step, handed, taker, at, result, note[:200]))
        if h.action != APOLOGY_ACTION:  # an apology does not move the dossier
            prev_actor = h.actor
    return tuple(stages)


def _paper(
    db: Database, keys: StationKeys, catalogue: Catalogue, d: Dossier
) -> tuple[PaperDossier, Procedure]:
    unit = require_unit(db)
    try:  # the version the dossier was filled under (its fee rule, its components)
        proc = catalogue.get(d.procedure, d.procedure_version)
    except TaiChoError:
        proc = catalogue.get(d.procedure)
    # Filled as the tablet fills its own copy (shared.documents.paperwork.of_dossier).
    fees = province_fees(db)
    return paper_of(d, proc, unit, lambda username: _name(db, username), fees), proc


def _not_applicable(d: Dossier, paper: str) -> Exception:
    return problem(
        "PAPER_NOT_APPLICABLE", "paper", status=STATUS_LABEL_VI[d.status], paper=_PAPER_VI[paper]
    )


def _with(p: PaperDossier, **changes: Any) -> PaperDossier:
    return replace(p, **changes)


def render_paper(
    db: Database, keys: StationKeys, catalogue: Catalogue, dossier_id: str, paper: str
) -> tuple[bytes, str]:
    """The PDF of ``paper`` (one of :data:`PAPERS`) for a dossier, and its file name."""
    if paper not in PAPERS:
        raise problem(
            "REQUEST_INVALID",
            "paper",
            detail=f"paper '{paper}'",
            detail_vi=f"không có loại giấy tờ '{paper}'",
        )
    d = dossier_store.load(db, keys, dossier_id)
    if d.status is Status.DRAFT:
        raise _not_applicable(d, paper)
    p, proc = _paper(db, keys, catalogue, d)
    render: Callable[[PaperDossier], bytes]
    if paper == "receipt":
        render = render_receipt
        p = as_receipt(p)
    elif paper == "supplement-request":
        asked = with_supplement_request(p, d, lambda username: _name(db, username))
        if asked is None:
            raise _not_applicable(d, paper)
        p, render = asked, render_supplement_request
    elif paper == "refusal":
        h = _last(d, "refuse")
        if d.status is not Status.REFUSED or h is None:
            raise _not_applicable(d, paper)
        by, title = _name(db, h.actor)
        p = _with(
            p,
            reason=h.reason or "",
            by=by,
            by_title=title,
            at=parse_vn(h.at),
            refused_at_intake=h.from_status in (None, Status.DRAFT.value),
        )
        render = render_refusal
    elif paper == "apology":
        row = q.latest_apology(db, d.id)
        if row is None:
            raise _not_applicable(d, paper)
        data = keys.decrypt_json(q.APOLOGY_TABLE, d.id, int(row["version"]), row["reason_enc"])
        by, title = _name(db, str(row["actor"]))
        p = _with(
            p,
            reason=str(data.get("reason", "")),
            by=by,
            by_title=title.upper() if title else "",
            at=parse_vn(row["at"]),
            due_at=parse_vn(row["previous_due_at"]),
            new_due_at=parse_vn(row["new_due_at"]),
        )
        render = render_apology
    else:
        cal = calendar_overrides(db)
        with transaction(db):
            # Issue 11 §6: a signed checkpoint of the audit head with every control sheet.
            signed = audit.anchor(db, keys, vn_now_iso())
        p = _with(
            p,
            stages=_stages(db, d, proc, p.citizen, cal),
            audit_anchor=json.dumps(signed, separators=(",", ":")),
        )
        render = render_control_sheet
    return render(p), f"{d.code}-{paper}.pdf"


def _parse_new_due(text: str, cal: CalendarOverrides) -> datetime:
    """ "YYYY-MM-DD" (→ 17:00 that day) or an ISO date-time, on a working day."""
    try:
        if len(text.strip()) == 10:
            day = datetime.fromisoformat(text.strip()).date()
            moment = datetime.combine(day, OFFICE_CLOSE, VN_TZ)
        else:
            moment = to_vn(datetime.fromisoformat(text.strip()))
    except (ValueError, TypeError):
        raise problem(
            "REQUEST_INVALID",
            "new_due_at",
            detail="new_due_at: ISO 8601",
            detail_vi="hạn trả mới phải theo ISO 8601",
        ) from None
    if not is_working_day(moment.date(), cal):
        raise problem(
            "CALENDAR_INVALID",
            "new_due_at",
            day=moment.date().isoformat(),
            detail="a day off",
            detail_vi="ngày nghỉ",
        )
    return moment


def record_apology(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    new_due_at: str,
    reason: str | None,
) -> ApologyView:
    """Record an apology with a new return date for a dossier that is or will be late."""
    require(staff, Verb.DOSSIER_APOLOGIZE)
    reason = (reason or "").strip()
    if not reason:
        raise problem("REASON_REQUIRED", "reason")
    with transaction(db):
        d = dossier_store.load(db, keys, dossier_id)
        if d.status in FINAL_STATUSES or d.status is Status.DRAFT:
            raise transition_not_allowed(APOLOGY_ACTION, d.status)
        cal = calendar_overrides(db)
        new_due = _parse_new_due(new_due_at, cal)
        old_due = parse_vn(d.due_at)
        if old_due is not None and new_due <= old_due:
            raise problem(
                "REQUEST_INVALID",
                "new_due_at",
                detail="the new date must be after the old one",
                detail_vi="ngày hẹn lại phải sau ngày hẹn cũ",
            )
        at = vn_now_iso()
        append_note(d, staff, APOLOGY_ACTION, at, reason)
        new_iso = new_due.isoformat(timespec="seconds")
        q.insert_apology(
            db,
            {
                "dossier_id": d.id,
                "version": d.version,
                "previous_due_at": d.due_at,
                "new_due_at": new_iso,
                "reason_enc": keys.encrypt_json(
                    q.APOLOGY_TABLE, d.id, d.version, {"reason": reason}
                ),
                "actor": staff.username,
                "at": at,
            },
        )
        proc = catalogue.get(d.procedure)
        result = stamping.result_for_feed(db, keys, d, proc.result_name.vi)
        dossier_store.save(db, keys, d)
        record_change(
            db,
            keys,
            d,
            staff,
            action=APOLOGY_ACTION,
            at=at,
            before=d.status,
            reason=reason,
            result=result,
        )
    return ApologyView(
        dossier_store.detail(d, catalogue, staff.role), Apology(new_iso, d.due_at, reason)
    )
