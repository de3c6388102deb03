"""Push: verify, open, validate and apply a tablet's batch of changes in one transaction.

The station, not the tablet, owns a dossier's history and who received it: the
``received_by`` a tablet sends must be a staff member with the intake role who unlocked
that tablet through the station, and the history it sends is never stored — the station
writes the "receive" / "supplement" entries itself, so a forged "approve" entry from a
tablet never appears. A supplement restarts the legal time limit from the moment the
completed dossier is received again; due times use the station's calendar overrides.

Two kinds of failure, treated differently on purpose:

* the *batch* is wrong (malformed or forged envelope, replay with other bytes, a gap in
  sequence numbers): the whole batch is rolled back and the tablet gets a problem, so
  nothing from a tampered batch is ever applied;
* a *dossier* is wrong but the envelope is genuine: the change is acknowledged with
  outcome ``rejected`` (or ``conflict``), kept in ``push_log``/``conflicts`` and reported
  back through the feed, so one bad dossier never blocks the outbox behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from shared import crypto
from shared import messages as m
from shared.catalogue import Catalogue
from shared.checklist import check_components, check_refs
from shared.codes import parse_code
from shared.envelope import Envelope, EnvelopeContext, open_envelope
from shared.errors import TaiChoError, problem
from shared.model import Dossier, HistoryEntry
from shared.permissions import Verb, can
from shared.sync import (
    KIND_CHANGE,
    STATION,
    Incoming,
    Outcome,
    classify_edit,
    classify_incoming,
    envelope_digest,
)
from shared.time_limits import legal_limit_days
from shared.validation import validate
from shared.workdays import CalendarOverrides, due_at, to_vn
from shared.workflow import Action, Role, Status, transition_not_allowed
from sync_server.config import CLOCK_SKEW, limits
from sync_server.services.core import audit, feed
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.devices import Device, active_device
from sync_server.services.core.keys import StationKeys
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office import relay_links as relay
from sync_server.services.office.actions import PERSONAL_ID_FIELD
from sync_server.services.reports import reports
from sync_server.services.setup import units
from sync_server.services.setup.calendar import calendar_overrides
from sync_server.services.setup.staff import get_staff
from sync_server.services.sync import conflicts, recovery
from sync_server.services.sync import numbers as number_blocks
from sync_server.store import attachments as attachments_q
from sync_server.store import audit as audit_q
from sync_server.store import devices as devices_q
from sync_server.store import dossiers as dossiers_q
from sync_server.store import sync_log as q
from sync_server.store.db import transaction


def envelope_hash(env: Envelope) -> str:
    """SHA-256 of the canonical JSON of an envelope: what "the same change" means (the
    tablet computes the same for its held check: ``shared.sync.envelope_digest``)."""
    return envelope_digest(env.to_json())


@dataclass
class _Batch:
    db: Database
    keys: StationKeys
    catalogue: Catalogue
    device: Device
    unit_code: str | None
    overrides: CalendarOverrides
    # Changes up to this sequence re-send what a restore lost (services/sync/recovery.py).
    resend_upto: int = 0


def push(db: Database, keys: StationKeys, catalogue: Catalogue, req: m.PushRequest) -> m.PushAnswer:
    with transaction(db):
        device = active_device(db, req.device_id)
        unit = units.require_unit(db)  # no intake before the commune is set up
        batch = _Batch(
            db,
            keys,
            catalogue,
            device,
            unit.code,
            calendar_overrides(db),
            recovery.resend_window(db, device.id),
        )
        acked = device.push_acked
        results: list[m.PushResult] = []
        for env in req.changes:
            result = _one_change(batch, env, acked)
            acked = max(acked, result.seq)
            results.append(result)
        devices_q.set_push_acked(db, device.id, acked)
    return m.PushAnswer(acked, results)


def _one_change(b: _Batch, env: Envelope, acked: int) -> m.PushResult:
    ctx = env.ctx
    for name, want in (("kind", KIND_CHANGE), ("sender", b.device.id), ("recipient", STATION)):
        if getattr(ctx, name) != want:
            raise problem("ENVELOPE_CONTEXT_MISMATCH", f"ctx.{name}", detail=name)
    env_hash = envelope_hash(env)
    known = q.push_entry(b.db, b.device.id, ctx.seq) if ctx.seq <= acked else None
    verdict = classify_incoming(ctx.seq, acked, known["env_hash"] if known else None, env_hash)
    if verdict is Incoming.DUPLICATE:
        return m.PushResult(ctx.seq, ctx.record_id, Outcome.DUPLICATE)
    if verdict is Incoming.REPLAY_MISMATCH:
        raise problem("SYNC_REPLAY_MISMATCH", "changes", seq=ctx.seq)
    if verdict is Incoming.GAP:
        raise problem("SYNC_OUT_OF_ORDER", "changes", expected=acked + 1)
    payload = open_envelope(env, b.keys.x_sk, b.device.ed_pub, expect=ctx)
    _note_number(b, payload)
    try:
        outcome, err = _apply(b, ctx, env_hash, payload)
    except TaiChoError as exc:
        outcome, err = Outcome.REJECTED, exc
    problem_json = err.to_problem() if err is not None else None
    if outcome is Outcome.REJECTED and err is not None:
        code = _code_of(payload)
        feed.append(
            b.db,
            b.keys,
            device_id=b.device.id,
            dossier_id=ctx.record_id,
            version=ctx.version,
            payload=feed.rejected_payload(ctx.record_id, code, err),
        )
    q.insert_push(
        b.db,
        {
            "device_id": b.device.id,
            "seq": ctx.seq,
            "env_hash": env_hash,
            "record_id": ctx.record_id,
            "outcome": outcome.value,
            "problem_json": None if problem_json is None else json.dumps(problem_json),
            "envelope": json.dumps(env.to_json(), separators=(",", ":")),
            "at": iso(utc_now()),
        },
    )
    return m.PushResult(ctx.seq, ctx.record_id, outcome, None if err is None else m.Problem.of(err))


def _note_number(b: _Batch, payload: bytes) -> None:
    """The dossier number this change spent, whatever becomes of the change: the station
    tops a tablet's numbers up by what it has seen used (services/sync/numbers.py)."""
    code = _code_of(payload)
    if code is None:
        return
    try:
        number_blocks.note_used(b.db, b.device.id, parse_code(code))
    except TaiChoError:
        return  # a malformed code is refused with the dossier, below


def _code_of(payload: bytes) -> str | None:
    try:
        code = json.loads(payload)["dossier"]["code"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    return code if isinstance(code, str) else None


def _sent_before(b: _Batch, d: Dossier) -> bool:
    """True when this device or one it replaced already pushed this very version of the
    dossier, with the same content (a restored tablet re-sending what had arrived)."""
    if len(b.device.lineage) < 2:
        return False
    mine = _comparable(d.to_dict())
    for row in q.pushes_of(b.db, list(b.device.lineage), d.id, d.version):
        sender = devices_q.get(b.db, str(row["device_id"]))
        if sender is None:
            continue
        env = Envelope.from_json(json.loads(str(row["envelope"])))
        try:
            payload = open_envelope(env, b.keys.x_sk, crypto.b64d(sender["ed_pub"]), expect=env.ctx)
            earlier = m.from_json_bytes(m.DossierSubmit, payload).dossier
        except TaiChoError:
            continue
        if _comparable(earlier.to_dict()) == mine:
            return True
    return False


def _comparable(d: dict[str, Any]) -> dict[str, Any]:
    """A submission without what a re-enrolment changes (the sending device)."""
    return {k: v for k, v in d.items() if k != "device_id"}


def _mismatch(field: str) -> TaiChoError:
    return problem("ENVELOPE_CONTEXT_MISMATCH", field, detail=field)


def _parse_submission(b: _Batch, ctx: EnvelopeContext, payload: bytes) -> Dossier:
    """Everything the envelope's payload must satisfy before it can touch a dossier."""
    d = m.from_json_bytes(m.DossierSubmit, payload).dossier
    if d.id != ctx.record_id:
        raise _mismatch("record_id")
    if d.version != ctx.version:
        raise _mismatch("version")
    if d.device_id != b.device.id:
        raise _mismatch("device_id")
    if d.status is not Status.RECEIVED:
        raise transition_not_allowed("receive", d.status, "status")
    code = parse_code(d.code)
    holder = number_blocks.holder(b.db, code.unit, code.day, code.number)
    if holder is None and code.unit == b.unit_code:
        holder = recovery.claim_number(b.db, b.device.id, code)  # held before a restore
    # this device's numbers, or those of the device it replaced (a recovered tablet)
    if (b.unit_code is not None and code.unit != b.unit_code) or holder not in b.device.lineage:
        # Only numbers the station reserved to this very device (shared.codes).
        raise problem(
            "REQUEST_INVALID",
            "code",
            detail=f"dossier code '{d.code}' is not this device's",
            detail_vi=f"mã hồ sơ '{d.code}' không thuộc máy này",
        )
    return d


def _received_at(d: Dossier, resent: bool = False) -> datetime:
    try:
        moment = datetime.fromisoformat(d.received_at or "")
        local = to_vn(moment)
    except ValueError:
        raise problem(
            "REQUEST_INVALID",
            "received_at",
            detail="received_at: ISO 8601",
            detail_vi="thời điểm tiếp nhận phải theo ISO 8601",
        ) from None
    now = utc_now()
    too_old = not resent and moment < now - limits().received_at_max_age
    if moment > now + CLOCK_SKEW or too_old:
        raise problem("RECEIVED_AT_IMPLAUSIBLE", "received_at")
    return local


def _check_receiver(b: _Batch, username: str, field: str) -> str:
    """``username`` must be intake staff who unlocked this tablet through the station (or
    the tablet it was, for a dossier received before it re-enrolled)."""
    staff = get_staff(b.db, username) if username else None
    unlocked: set[str] = set()
    for device_id in b.device.lineage:
        unlocked |= audit_q.unlocked_by(b.db, device_id)
    # After a restore, also those the tablet reported holding a PIN wrap (unlock lost).
    unlocked |= recovery.unlocked_before_restore(b.db, b.device.id)
    if staff is None or not can(staff, Verb.DOSSIER_RECEIVE) or username not in unlocked:
        raise problem(
            "REQUEST_INVALID",
            field,
            detail=f"'{username}' is not intake staff who unlocked this tablet",
            detail_vi=f"'{username}' không phải cán bộ tiếp nhận đã mở khoá máy này",
        )
    return username


def _supplement_moment(claimed: Dossier, server: Dossier) -> datetime:
    """When the completed dossier was received again.

    The tablet's own "supplement" entry gives the moment if it is plausible (after the
    station's request and not in the future); otherwise the station's clock does.
    """
    now = to_vn(utc_now())
    asked = max((h.at for h in server.history if h.action == "request_supplement"), default=None)
    last = claimed.history[-1] if claimed.history else None
    if last is not None and last.action == "supplement":
        try:
            moment = to_vn(datetime.fromisoformat(last.at))
        except ValueError:
            return now
        floor = to_vn(datetime.fromisoformat(asked)) if asked else None
        if (floor is None or moment >= floor) and moment <= now + CLOCK_SKEW:
            return min(moment, now)
    return now


def _apply(
    b: _Batch, ctx: EnvelopeContext, env_hash: str, payload: bytes
) -> tuple[Outcome, TaiChoError | None]:
    d = _parse_submission(b, ctx, payload)
    # Judged by the definition it was filled under (the catalogue keeps every version).
    proc = b.catalogue.get(d.procedure, d.procedure_version)
    received = _received_at(d, resent=ctx.seq <= b.resend_upto)
    d.values = validate(proc, d.values, today=received.date()).raise_if_invalid()
    # Only a complete dossier is received: every component its version requires ticked
    # (photos are the tablet's business: docs/intake.md, "Completeness checklist").
    check_components(proc, d.values, d.components_received).raise_if_incomplete()
    check_refs(proc, d.attachments)  # photos arrive on their own (services/office/attachments.py)
    d.result_sha256 = None
    d.paper_result = None  # the station's record of a stamp, never a tablet's

    existing = dossiers_q.get(b.db, d.id)
    by_code = dossiers_q.get_by_code(b.db, d.code)
    if by_code is not None and by_code["id"] != d.id:
        # A clone or a restored tablet numbered a new dossier with a number its twin used.
        raise problem("DOSSIER_CODE_TAKEN", "code", dossier_code=d.code)
    if existing is not None and existing["device_id"] not in b.device.lineage:
        raise _mismatch("device_id")
    if existing is not None and d.version <= int(existing["version"]) and _sent_before(b, d):
        return Outcome.DUPLICATE, None  # a recovered tablet re-sending what arrived
    server_status = Status(existing["status"]) if existing else None
    server_version = int(existing["version"]) if existing else None
    verdict = classify_edit(server_status, server_version, d.base_version)
    if verdict is Outcome.CONFLICT or (server_version is not None and d.version <= server_version):
        assert server_version is not None
        dossiers_q.insert_conflict(
            b.db,
            {
                "dossier_id": d.id,
                "device_id": b.device.id,
                "push_seq": ctx.seq,
                "base_version": d.base_version,
                "server_version": server_version,
                "version": d.version,
                "payload_enc": conflicts.seal_edit(b.keys, b.device.id, ctx.seq, d),
                "created_at": iso(utc_now()),
            },
        )
        err = problem("EDIT_CONFLICT", None, server=server_version, base=d.base_version)
        feed.append(
            b.db,
            b.keys,
            device_id=b.device.id,
            dossier_id=d.id,
            version=d.version,
            payload=feed.conflict_payload(d.id, d.code, d.base_version, server_version, err),
        )
        return Outcome.CONFLICT, err
    # The photos it refers to are no longer orphans (per-device quota and expiry).
    attachments_q.add_refs(b.db, d.id, list(dict.fromkeys(a.sha256 for a in d.attachments)))
    limit = legal_limit_days(proc, d.values)  # with a chứng thực's allowed extension
    if existing is None:
        # First receipt: the station writes the history; the tablet's is not trusted.
        _check_receiver(b, d.received_by, "received_by")
        at = received.isoformat(timespec="seconds")
        d.history = [
            HistoryEntry(
                Action.RECEIVE, Status.DRAFT.value, d.status.value, d.received_by, "intake", at
            )
        ]
        d.due_at = due_at(received, limit, overrides=b.overrides).isoformat(timespec="seconds")
    else:
        server = dossier_store.decode(b.keys, existing)
        last = d.history[-1] if d.history else None
        actor = last.actor if last is not None and last.action == "supplement" else ""
        actor = _check_receiver(b, actor or d.received_by, "history")
        moment = _supplement_moment(d, server)
        at = moment.isoformat(timespec="seconds")
        # Who first received it and when stay as the station recorded them.
        d.received_by, d.received_at = server.received_by, server.received_at
        # The child's personal id is the appraiser's entry at the station, not the tablet's.
        if server.values.get(PERSONAL_ID_FIELD):
            d.values[PERSONAL_ID_FIELD] = server.values[PERSONAL_ID_FIELD]
        d.history = [
            *server.history,
            HistoryEntry(
                Action.SUPPLEMENT, server.status.value, d.status.value, actor, "intake", at
            ),
        ]
        # The time limit restarts from the moment the completed dossier is received again.
        d.due_at = due_at(moment, limit, overrides=b.overrides).isoformat(timespec="seconds")
    dossier_store.save(b.db, b.keys, d)
    reports.record_channel(b.db, d.id, d.channel)
    if server_status is None:
        # Received here for another commune (Nghị định 118/2025/NĐ-CP): queued for the
        # competent station in this same transaction (services/province/relay.py).
        relay.enqueue_forward(b.db, d, b.unit_code)
    audit.append(
        b.db,
        b.keys,
        action="receive" if server_status is None else "supplement",
        actor=d.history[-1].actor,
        role=Role.INTAKE.value,
        at=vn_now_iso(),
        dossier_id=d.id,
        device_id=b.device.id,
        from_status=(server_status or Status.DRAFT).value,
        to_status=d.status.value,
    )
    return Outcome.APPLIED, None
