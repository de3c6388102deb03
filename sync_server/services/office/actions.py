"""Workflow actions taken at the station (appraise, approve, stamp, return), and the
child's personal identification number the appraiser enters.

One action = one transaction: the new status and version, the history entry, the audit
row, the result document (signed on approve, sealed on stamp) and the feed item for the
originating tablet either all land or none does.

Approve and stamp render and sign (tens of milliseconds) *before* that transaction, from
the dossier as read then: SQLite has a single writer, and every tablet sync and desk
action would otherwise wait behind the signature. The transaction re-reads the dossier;
if its version moved meanwhile (another action, a tablet's supplement), the signed
document is dropped and ``ACTION_CONFLICT`` says so — nothing is half-saved, nothing
that the other change wrote is lost. If only the register number moved (another result
approved at the same moment), the document is rendered again with the next number.
"""

from __future__ import annotations

import contextlib
import threading
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.errors import problem
from shared.external_result import ExternalResult
from shared.issuing import ready_to_issue, require_parties_signed, result_parties
from shared.model import Dossier, HistoryEntry
from shared.permissions import Verb, require
from shared.validation import personal_id_problem
from shared.views import DossierView, Rating
from shared.workdays import vn_now
from shared.workflow import (
    ACTION_LABELS,
    STATION_ACTIONS,
    TRANSITIONS,
    Action,
    Status,
    next_status,
    transition_not_allowed,
)
from sync_server.services.core import audit, feed
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.keys import StationKeys
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office import external_results, lookups, stamping
from sync_server.services.office import relay_links as relay
from sync_server.services.reports import reports
from sync_server.services.setup.staff import Staff
from sync_server.store import reports as reports_q
from sync_server.store.db import transaction

# The citizen's satisfaction at return (the one-stop-shop survey's three answers).
RATINGS: dict[str, str] = {
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "unsatisfied": "Không hài lòng",
}
_COMMENT_MAX = 1000
# Rendering again after a concurrent approval took the register number: a few tries.
# Within this process approvals of one register take turns (``_register_turn``), so a
# retry is needed only when another process (an admin command) approved meanwhile.
_RENUMBER_TRIES = 5
_turns_lock = threading.Lock()
_turns: dict[str, threading.Lock] = {}


def _register_turn(register: str) -> threading.Lock:
    """The lock under which one approval of ``register`` renders, signs and commits.

    A result prints its register number, so two approvals of one register rendered at
    the same moment print the same number and all but one must render again; twelve
    parallel approvals used up every retry (issue 22: 500s on a busy desk). Taking turns
    costs the later ones a wait of one signature each (about 0.1 s) instead.
    """
    with _turns_lock:
        return _turns.setdefault(register, threading.Lock())


PERSONAL_ID_ACTION = Action.RECORD_PERSONAL_ID
PERSONAL_ID_FIELD = "child_personal_id"
# From receipt until the leader approves: the number is printed on the result.
PERSONAL_ID_STATUSES = frozenset({Status.RECEIVED, Status.APPRAISING, Status.APPRAISED})


def apply_action(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    action: str,
    reason: str | None,
    *,
    rating: str | None = None,
    comment: str | None = None,
    external: ExternalResult | None = None,
) -> DossierView:
    """Run one transition for ``staff``; returns the updated dossier view.

    ``rating`` (and its optional ``comment``) is the citizen's satisfaction, recorded in
    the same transaction as a ``return``; any other action refuses it. ``external`` is
    the result of a procedure without a result layout, given at ``stamp`` (a signed PDF
    or a paper result's number and date); approving such a procedure renders nothing.
    """
    if action not in TRANSITIONS or action not in STATION_ACTIONS:
        # Tablet-side actions (receive, supplement, withdraw) arrive by sync, not here.
        raise problem("ACTION_UNKNOWN", "action", action=action)
    reason = reason.strip() if isinstance(reason, str) and reason.strip() else None
    comment = comment.strip() if isinstance(comment, str) and comment.strip() else None
    if rating is not None and (action != "return" or rating not in RATINGS):
        raise problem(
            "REQUEST_INVALID",
            "rating",
            detail=f"rating: {', '.join(RATINGS)}",
            detail_vi=f"mức đánh giá phải là một trong {', '.join(RATINGS)}",
        )
    if comment is not None and (rating is None or len(comment) > _COMMENT_MAX):
        raise problem(
            "REQUEST_INVALID",
            "comment",
            detail=f"comment: ≤ {_COMMENT_MAX}",
            detail_vi=f"ý kiến tối đa {_COMMENT_MAX} ký tự",
        )
    relay.guard(db, dossier_id, action)  # a dossier of the relay: decided at B, returned at A
    if action == "accept":
        lookups.require_settled(db, keys, catalogue, dossier_id)
    if external is not None and action != "stamp":
        raise problem(
            "REQUEST_INVALID",
            "result",
            detail="a result is given only at stamp",
            detail_vi="chỉ ghi kết quả khi đóng dấu",
        )
    for _ in range(_RENUMBER_TRIES):
        # Outside the write transaction: the checks that can fail early, and the signing.
        signed: (
            stamping.SignedApproval | stamping.SignedSeal | external_results.CheckedResult | None
        ) = None
        base: Dossier | None = None
        turn: AbstractContextManager[object] = contextlib.nullcontext()
        if action in ("approve", "stamp"):
            base = dossier_store.load(db, keys, dossier_id)
            next_status(base.status, action, staff.role, reason)
            proc = catalogue.get(base.procedure)
            ready_to_issue(proc, base.values)  # the Giấy khai sinh carries its number
            if action == "stamp" and result_parties(proc):
                # The spouses sign the Giấy chứng nhận kết hôn before the seal.
                require_parties_signed(proc, stamping.signed_fields_of(db, keys, base.id))
            if external is not None and proc.has_result_template:
                raise problem(
                    "REQUEST_INVALID",
                    "result",
                    detail="this procedure's result is drawn and signed here",
                    detail_vi="kết quả của thủ tục này do hệ thống lập và ký",
                )
            if action == "approve" and proc.has_result_template:
                turn = _register_turn(proc.result_template)
        with turn:
            if base is not None and not proc.has_result_template:
                # Made elsewhere: nothing to render; at stamp the result handed over.
                signed = external_results.check(external) if action == "stamp" else None
            elif base is not None and action == "approve":
                signed = stamping.sign_approval(db, keys, base, proc.result_template, staff)
            elif base is not None:
                signed = stamping.sign_seal(db, keys, base, proc.result_name.vi)
            try:
                survey = (rating, comment)
                return _commit(
                    db, keys, catalogue, staff, dossier_id, action, reason, survey, base, signed
                )
            except stamping.RegisterMoved:
                continue
    raise problem("INTERNAL", detail="register numbers kept moving; try again")


def _commit(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    action: str,
    reason: str | None,
    survey: tuple[str | None, str | None],
    base: Dossier | None,
    signed: stamping.SignedApproval | stamping.SignedSeal | external_results.CheckedResult | None,
) -> DossierView:
    """The action's one short write transaction (``signed``: made from ``base``;
    ``survey``: the return's rating and comment)."""
    rating, comment = survey
    with transaction(db):
        d = dossier_store.load(db, keys, dossier_id)
        if base is not None and d.version != base.version:
            label = ACTION_LABELS[action]
            raise problem(
                "ACTION_CONFLICT",
                "version",
                action=label.vi,
                action_en=label.en,
                base=base.version,
                server=d.version,
            )
        before = d.status
        after = next_status(before, action, staff.role, reason)
        at = vn_now_iso()
        d.status = after
        d.version += 1
        d.history.append(
            HistoryEntry(
                Action(action),
                before.value,
                after.value,
                staff.username,
                staff.role.value,
                at,
                reason,
            )
        )
        proc = catalogue.get(d.procedure)
        result: dict[str, Any] | None
        if isinstance(signed, stamping.SignedApproval):
            # Signed by the approving leader (above); issued when sealed.
            stamping.record_approval(db, keys, d, signed)
            result = None
        elif isinstance(signed, stamping.SignedSeal):
            result = stamping.record_seal(db, keys, d, signed)
        elif isinstance(signed, external_results.CheckedResult):
            name = proc.result_name.vi
            result = external_results.record(db, keys, d, signed, name, staff.username)
        else:
            result = stamping.result_for_feed(db, keys, d, proc.result_name.vi)
        dossier_store.save(db, keys, d)
        if rating is not None:
            _record_rating(db, keys, d.id, rating, comment, staff.username, at)
        record_change(
            db,
            keys,
            d,
            staff,
            action=Action(action),
            at=at,
            before=before,
            reason=reason,
            result=result,
        )
    return dossier_store.detail(d, catalogue, staff.role)


def record_change(
    db: Database,
    keys: StationKeys,
    d: Dossier,
    staff: Staff,
    *,
    action: Action,
    at: str,
    before: Status,
    reason: str | None,
    result: dict[str, Any] | None = None,
) -> None:
    """The audit entry and the tablet's feed item for a desk change to ``d`` (saved, its
    version bumped), in the caller's transaction: every desk change (action, personal-ID
    correction, apology) is logged and told the same way."""
    audit.append(
        db,
        keys,
        action=action,
        actor=staff.username,
        role=staff.role.value,
        at=at,
        dossier_id=d.id,
        device_id=d.device_id,
        from_status=before.value,
        to_status=d.status.value,
        reason=reason,
    )
    if not relay.note_change(db, d):  # at B the dossier's tablet is A's: tell A instead
        feed.append_state(db, keys, d, result)


def _record_rating(
    db: Database,
    keys: StationKeys,
    dossier_id: str,
    rating: str,
    comment: str | None,
    by: str,
    at: str,
) -> None:
    """Inside the return's transaction; the reports' one ratings table (comment encrypted)."""
    reports.record_rating(
        db, keys, dossier_id=dossier_id, level=rating, comment=comment, actor=by, at=at
    )


def rating_of(db: Database, keys: StationKeys, dossier_id: str) -> Rating | None:
    """The rating recorded at return, with its Vietnamese label; None if none was given."""
    row = reports_q.rating_of(db, dossier_id)
    if row is None:
        return None
    comment = (
        None
        if row["comment_enc"] is None
        else keys.decrypt(reports.RATINGS_TABLE, dossier_id, 1, row["comment_enc"]).decode()
    )
    return Rating(
        rating=row["level"],
        label=RATINGS.get(row["level"], row["level"]),
        comment=comment,
        recorded_by=row["actor"],
        recorded_at=row["at"],
    )


def record_personal_id(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    staff: Staff,
    dossier_id: str,
    number: str,
    *,
    today: date | None = None,
) -> DossierView:
    """The appraiser enters the child's personal identification number (số định danh cá
    nhân), issued by the national civil-status system, before the leader approves; the
    Giấy khai sinh prints it. Checked like the form's numbers (12 digits, a province
    code, the sex digit and the birth year of the child as declared); recorded with a
    history entry (status unchanged) and an audit row. Returns the dossier view.
    """
    require(staff, Verb.DOSSIER_RECORD_PERSONAL_ID)
    number = "".join(str(number or "").split())
    with transaction(db):
        d = dossier_store.load(db, keys, dossier_id)
        proc = catalogue.get(d.procedure)
        field = next((f for f in proc.fields if f.id == PERSONAL_ID_FIELD), None)
        if field is None:
            raise problem(
                "REQUEST_INVALID",
                PERSONAL_ID_FIELD,
                detail=f"{proc.code} has no {PERSONAL_ID_FIELD}",
                detail_vi="thủ tục này không có số định danh cá nhân của trẻ",
            )
        if d.status not in PERSONAL_ID_STATUSES:
            raise transition_not_allowed(PERSONAL_ID_ACTION, d.status, PERSONAL_ID_FIELD)
        labels = {"label": field.label.vi, "label_en": field.label.en}
        if not number:
            raise problem("FIELD_REQUIRED", PERSONAL_ID_FIELD, **labels)
        sex = d.values.get(field.id_sex_field or "")
        born = str(d.values.get(field.id_birth_field or "") or "")
        code = personal_id_problem(
            number,
            today or vn_now().date(),
            sex=sex if isinstance(sex, str) else None,
            birth_year=int(born[:4]) if born[:4].isdigit() else None,
        )
        if code is not None:
            raise problem(code, PERSONAL_ID_FIELD, prefix=number[:3], **labels)
        at = vn_now_iso()
        previous = d.values.get(PERSONAL_ID_FIELD)
        d.values[PERSONAL_ID_FIELD] = number
        d.version += 1
        note = None if not previous else f"Thay số {previous}"
        d.history.append(
            HistoryEntry(
                PERSONAL_ID_ACTION,
                d.status.value,
                d.status.value,
                staff.username,
                staff.role.value,
                at,
                note,
            )
        )
        dossier_store.save(db, keys, d)
        record_change(
            db, keys, d, staff, action=PERSONAL_ID_ACTION, at=at, before=d.status, reason=note
        )
    return dossier_store.detail(d, catalogue, staff.role)
