"""Push: verify, open, validate and apply a tablet's batch of changes in one transaction.

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
from shared.catalogue import Catalogue
from shared.codes import parse_code
from shared.envelope import Envelope, EnvelopeContext, open_envelope
from shared.errors import TaiChoError, problem
from shared.model import Dossier
from shared.sync import (
    CHANGE_DOSSIER_SUBMIT,
    KIND_CHANGE,
    STATION,
    Incoming,
    Outcome,
    PushResult,
    classify_edit,
    classify_incoming,
    parse_push_request,
)
from shared.validation import validate
from shared.workdays import due_at, to_vn
from shared.workflow import Role, Status
from sync_server.config import CLOCK_SKEW
from sync_server.services import audit, feed, reports
from sync_server.services import dossiers as dossier_store
from sync_server.services.clock import iso, utc_now, vn_now_iso
from sync_server.services.enrollment import Device, active_device
from sync_server.services.keys import StationKeys
from sync_server.services.station import get_unit
from sync_server.store import devices as devices_q
from sync_server.store import dossiers as dossiers_q
from sync_server.store import sync_log as q
from sync_server.store.db import transaction

CONFLICTS_TABLE = "conflicts"


def envelope_hash(env: Envelope) -> str:
    """SHA-256 of the canonical JSON of an envelope: what "the same change" means."""
    canonical = json.dumps(env.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return crypto.sha256_hex(canonical.encode("utf-8"))


@dataclass
class _Batch:
    db: Database
    keys: StationKeys
    catalogue: Catalogue
    device: Device
    unit_code: str | None


def push(db: Database, keys: StationKeys, catalogue: Catalogue, body: Any) -> dict[str, Any]:
    device_id, changes = parse_push_request(body)
    with transaction(db):
        device = active_device(db, device_id)
        unit = get_unit(db) or {}
        batch = _Batch(db, keys, catalogue, device, unit.get("code"))
        acked = device.push_acked
        results: list[dict[str, Any]] = []
        for raw in changes:
            result = _one_change(batch, raw, acked)
            acked = max(acked, result.seq)
            results.append(result.to_dict())
        devices_q.set_push_acked(db, device.id, acked)
    return {"acked_seq": acked, "results": results}


def _one_change(b: _Batch, raw: Any, acked: int) -> PushResult:
    env = Envelope.from_json(raw)
    ctx = env.ctx
    for name, want in (("kind", KIND_CHANGE), ("sender", b.device.id), ("recipient", STATION)):
        if getattr(ctx, name) != want:
            raise problem("ENVELOPE_CONTEXT_MISMATCH", f"ctx.{name}", detail=name)
    env_hash = envelope_hash(env)
    known = q.push_entry(b.db, b.device.id, ctx.seq) if ctx.seq <= acked else None
    verdict = classify_incoming(ctx.seq, acked, known["env_hash"] if known else None, env_hash)
    if verdict is Incoming.DUPLICATE:
        return PushResult(ctx.seq, ctx.record_id, Outcome.DUPLICATE)
    if verdict is Incoming.REPLAY_MISMATCH:
        raise problem("SYNC_REPLAY_MISMATCH", "changes", seq=ctx.seq)
    if verdict is Incoming.GAP:
        raise problem("SYNC_OUT_OF_ORDER", "changes", expected=acked + 1)
    payload = open_envelope(env, b.keys.x_sk, b.device.ed_pub, expect=ctx)
    try:
        outcome, err = _apply(b, ctx, env_hash, payload)
    except TaiChoError as exc:
        outcome, err = Outcome.REJECTED, exc
    problem_json = err.to_problem() if err is not None else None
    if outcome is Outcome.REJECTED and problem_json is not None:
        code = _code_of(payload)
        feed.append(
            b.db,
            b.keys,
            device_id=b.device.id,
            dossier_id=ctx.record_id,
            version=ctx.version,
            payload=feed.rejected_payload(ctx.record_id, code, problem_json),
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
    return PushResult(ctx.seq, ctx.record_id, outcome, problem_json)


def _code_of(payload: bytes) -> str | None:
    try:
        code = json.loads(payload)["dossier"]["code"]
    except (ValueError, KeyError, TypeError):
        return None
    return code if isinstance(code, str) else None


def _mismatch(field: str) -> TaiChoError:
    return problem("ENVELOPE_CONTEXT_MISMATCH", field, detail=field)


def _parse_submission(b: _Batch, ctx: EnvelopeContext, payload: bytes) -> Dossier:
    """Everything the envelope's payload must satisfy before it can touch a dossier."""
    try:
        body = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise problem("REQUEST_INVALID", None, detail="payload is not UTF-8 JSON") from None
    if not isinstance(body, dict) or body.get("type") != CHANGE_DOSSIER_SUBMIT:
        raise problem("REQUEST_INVALID", "type", detail=f"type must be {CHANGE_DOSSIER_SUBMIT}")
    d = Dossier.from_dict(body.get("dossier"))
    if d.id != ctx.record_id:
        raise _mismatch("record_id")
    if d.version != ctx.version:
        raise _mismatch("version")
    if d.device_id != b.device.id:
        raise _mismatch("device_id")
    if d.status is not Status.RECEIVED:
        raise problem("TRANSITION_NOT_ALLOWED", "status", action="receive", status=d.status.value)
    code = parse_code(d.code)
    if code.slot != b.device.slot or (b.unit_code is not None and code.unit != b.unit_code):
        raise problem("REQUEST_INVALID", "code", detail=f"mã hồ sơ '{d.code}' không thuộc máy này")
    return d


def _received_at(d: Dossier) -> datetime:
    try:
        moment = datetime.fromisoformat(d.received_at or "")
        local = to_vn(moment)
    except ValueError:
        raise problem("REQUEST_INVALID", "received_at", detail="received_at: ISO 8601") from None
    if moment > utc_now() + CLOCK_SKEW:
        raise problem("REQUEST_INVALID", "received_at", detail="received_at is in the future")
    return local


def _apply(
    b: _Batch, ctx: EnvelopeContext, env_hash: str, payload: bytes
) -> tuple[Outcome, TaiChoError | None]:
    d = _parse_submission(b, ctx, payload)
    proc = b.catalogue.get(d.procedure)
    received = _received_at(d)
    checked = validate(proc, d.values, today=received.date())
    d.values = checked.raise_if_invalid()
    d.procedure_version = proc.version
    d.due_at = due_at(received, proc.time_limit_working_days).isoformat(timespec="seconds")
    d.result_sha256 = None

    existing = dossiers_q.get(b.db, d.id)
    by_code = dossiers_q.get_by_code(b.db, d.code)
    if by_code is not None and by_code["id"] != d.id:
        raise problem("REQUEST_INVALID", "code", detail=f"mã hồ sơ '{d.code}' đã được dùng")
    if existing is not None and existing["device_id"] != b.device.id:
        raise _mismatch("device_id")
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
                "payload_enc": b.keys.encrypt_json(
                    CONFLICTS_TABLE, f"{b.device.id}/{ctx.seq}", d.version, d.to_dict()
                ),
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
            payload=feed.rejected_payload(d.id, d.code, err.to_problem()),
        )
        return Outcome.CONFLICT, err
    dossier_store.save(b.db, b.keys, d)
    reports.record_channel(b.db, d.id, payload)
    audit.append(
        b.db,
        b.keys,
        action="receive" if server_status is None else "supplement",
        actor=d.received_by,
        role=Role.INTAKE.value,
        at=vn_now_iso(),
        dossier_id=d.id,
        device_id=b.device.id,
        from_status=(server_status or Status.DRAFT).value,
        to_status=d.status.value,
    )
    return Outcome.APPLIED, None
