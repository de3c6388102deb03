"""Cross-commune intake: the station's side of the sealed relay (docs/province.md).

Nghị định 118/2025/NĐ-CP lets a commune receive dossiers of another commune of the
province. The receiving station A keeps the dossier it took (its code, its receipt, its
tablet's feed) and sends it to the competent station B; B decides, stamps and sends every
change back; A returns the result at its counter and tells B. Everything travels as
envelopes sealed (HPKE) to the other station's key from the hub's directory and signed by
the sender (``shared.envelope``, kind ``relay``): the hub stores and forwards bytes it
cannot open.

Why it is safe to lose the network, the hub or this process at any moment:

* **Queue first, in the change's own transaction.** A dossier for another commune
  (``Dossier.competent_unit``) and every later change of a linked dossier add a row to
  ``relay_out`` in the same transaction as the change, so nothing is decided that is not
  queued. The row is sealed later, when the recipient's key is known (the hub answers the
  lookup): an unknown or revoked recipient keeps the row, with the problem, and the next
  run tries again — nothing is dropped.
* **Sealed once, sent until stored.** The sealed envelope is kept with the row and sent
  again byte for byte until the hub lists it (the hub is idempotent on sender and seq).
* **Applied once.** What arrives is applied in one transaction with its ``relay_in`` row
  (sender, seq) and the pull cursor; only then is the hub told to let it go. A state is
  applied only if its version is above the last one applied from that peer, so a late or
  repeated one changes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from shared import crypto
from shared import hub_messages as hm
from shared.envelope import Envelope, EnvelopeContext, open_envelope, seal_envelope
from shared.errors import TaiChoError, problem
from shared.messages import Problem, parse_json, to_json_bytes
from shared.model import Dossier, HistoryEntry
from shared.time_limits import legal_limit_days
from shared.workdays import due_at, to_vn
from shared.workflow import Action, Status
from sync_server.services.core import audit, feed
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.station import Station, get_unit_record
from sync_server.services.office import actions
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office import relay_links as links
from sync_server.services.province import communes as hub_communes
from sync_server.services.province import link as hub_link
from sync_server.services.reports import reports
from sync_server.services.setup.calendar import calendar_overrides
from sync_server.store import relay as q
from sync_server.store.db import get_meta, set_meta, transaction

CURSOR_META = "hub_relay_cursor"  # the last hub id applied here
ACKED_META = "hub_relay_acked"  # the last hub id the hub was told it may delete
RESULTS_TABLE = links.RESULTS_TABLE  # encrypted at rest under this table name
HUB_ROLE = "hub"  # the role written on hand-over entries (no person acted)
PEER_DEVICE_PREFIX = "hub:"


def _now() -> str:
    return vn_now_iso()


link_of = links.link_of


def _set_link(db: Database, dossier_id: str, **values: Any) -> None:
    q.set_link(db, dossier_id, values)


def _enqueue(db: Database, recipient: str, dossier_id: str, kind: str) -> int:
    return links.enqueue(db, recipient, dossier_id, kind)


# --- one run: seal, push, pull, apply, acknowledge -----------------------------------


def run_once(db: Database, station: Station) -> dict[str, Any]:
    """Send what is queued and take what waits at the hub. Raises ``HUB_*`` when the hub
    cannot be reached (everything stays queued)."""
    if hub_link.settings(db) is None:
        raise problem("HUB_NOT_REGISTERED", "hub")
    own = get_unit_record(db)
    if own is None:
        raise problem("UNIT_NOT_CONFIGURED", "unit")
    report: dict[str, Any] = {"sealed": 0, "held": [], "pushed": 0, "pulled": 0, "applied": 0}
    with hub_link.client(db, station) as hub:
        keys_of: dict[str, hm.DirectoryEntry | TaiChoError] = {}

        def entry(unit: str) -> hm.DirectoryEntry | TaiChoError:
            if unit not in keys_of:
                try:
                    keys_of[unit] = hub.lookup(unit)
                except TaiChoError as err:
                    if err.code not in ("HUB_STATION_UNKNOWN", "HUB_STATION_REVOKED"):
                        raise
                    keys_of[unit] = err
            return keys_of[unit]

        for row in q.unsealed(db):
            found = entry(str(row["recipient"]))
            if isinstance(found, TaiChoError):
                _hold(db, row, found)
                report["held"].append({"seq": row["seq"], "problem": found.code})
                continue
            _seal(db, station, own.code, row, found)
            report["sealed"] += 1
        report["pushed"] = _push(db, hub)
        pulled, applied = _pull(db, station, hub, own.code, entry)
        report["pulled"], report["applied"] = pulled, applied
        # The communes its tablets offer as the competent one (province/communes.py).
        report["communes"] = len(hub_communes.refresh(db, station, hub).communes)
    return report


def _hold(db: Database, row: dict[str, Any], err: TaiChoError) -> None:
    """The recipient is not in the directory: keep the row, say why (retried next run)."""
    text = json.dumps(err.to_problem(), ensure_ascii=False)
    with transaction(db):
        q.set_out_problem(db, int(row["seq"]), text)
        if row["kind"] == "dossier.forward":
            _set_link(db, str(row["dossier_id"]), state="held", problem=text, updated_at=_now())


def _seal(
    db: Database,
    station: Station,
    own_code: str,
    row: dict[str, Any],
    to: hm.DirectoryEntry,
) -> None:
    """Build the payload from the dossier as it is now, seal it to ``to`` and keep the
    envelope with the row (sent as is until the hub stores it)."""
    keys = station.keys
    with transaction(db):
        again = q.out_row(db, int(row["seq"]))
        if again is None or again["envelope"] is not None:
            return  # sealed meanwhile by another run (the CLI beside the serving station)
        at = _now()
        dossier_id = str(row["dossier_id"])
        record: Any
        if row["kind"] == "dossier.refused":  # not kept here: the stored problem says why
            record = hm.RelayedRefusal(
                "dossier.refused", dossier_id, "", Problem(**json.loads(str(row["problem"])))
            )
        elif row["kind"] == "dossier.forward":
            d = dossier_store.load(db, keys, dossier_id)
            # The hand-over: on A's timeline, and on B's (it travels in the history).
            before = d.status
            d.history.append(
                HistoryEntry(
                    Action.FORWARD, before.value, before.value, HUB_ROLE, HUB_ROLE, at, to.name
                )
            )
            d.version += 1
            dossier_store.save(db, keys, d)
            audit.append(
                db,
                keys,
                action=Action.FORWARD,
                actor=HUB_ROLE,
                role=HUB_ROLE,
                at=at,
                dossier_id=d.id,
                device_id=d.device_id,
                from_status=before.value,
                to_status=d.status.value,
                reason=to.name,
            )
            feed.append_state(db, keys, d)
            origin = get_unit_record(db)
            assert origin is not None
            record = hm.RelayedDossier("dossier.forward", d, origin, at)
            _set_link(db, d.id, state="sealed", problem=None, updated_at=at)
        else:
            d = dossier_store.load(db, keys, dossier_id)
            record = hm.RelayedState(
                "dossier.state", d, at, _result_of(db, station, d), _rating_of(db, station, d)
            )
        ctx = EnvelopeContext(hm.KIND_RELAY, own_code, to.unit_code, int(row["seq"]), dossier_id, 1)
        env = seal_envelope(ctx, to_json_bytes(record), crypto.b64d(to.x25519_pub), keys.ed_sk)
        q.set_sealed(db, int(row["seq"]), json.dumps(env.to_json(), separators=(",", ":")), at)


def _result_of(db: Database, station: Station, d: Dossier) -> hm.RelayedResult | None:
    """The signed result, when B has sealed it (A sends none back: it has B's)."""
    if d.result_sha256 is None or link_of(db, d.id) is None:
        return None
    link = link_of(db, d.id)
    if link is None or link["direction"] != "in":
        return None
    from sync_server.services.office import stamping

    pdf = stamping.result_pdf(db, station.keys, d.id)
    proc = station.catalogue.get(d.procedure) if d.procedure in station.catalogue else None
    name = proc.result_name.vi if proc is not None else d.procedure
    return hm.RelayedResult(d.result_sha256, name, crypto.b64e(pdf))


def _rating_of(db: Database, station: Station, d: Dossier) -> hm.RelayedRating | None:
    """At A: the rating given at its counter with the return, for B, which counts the
    dossier in its figures (``shared.province.COUNTED_BY_PEER``)."""
    link = link_of(db, d.id)
    if link is None or link["direction"] != "out":
        return None
    given = actions.rating_of(db, station.keys, d.id)
    if given is None:
        return None
    return hm.RelayedRating(
        given.rating, given.recorded_at, given.recorded_by[:64], given.comment or ""
    )


def _push(db: Database, hub: Any) -> int:
    pushed = 0
    while True:
        rows = q.unstored(db, hm.MAX_RELAY_BATCH)
        if not rows:
            return pushed
        items = [
            hm.RelayItem(
                int(r["seq"]), str(r["recipient"]), Envelope.from_json(json.loads(r["envelope"]))
            )
            for r in rows
        ]
        answer = hub.relay_push(items)
        at = iso(utc_now())
        with transaction(db):
            for res in answer.results:
                q.set_stored(db, res.seq, at)
        pushed += len(answer.results)


def _pull(db: Database, station: Station, hub: Any, own_code: str, entry: Any) -> tuple[int, int]:
    pulled = applied = 0
    cursor = int(get_meta(db, CURSOR_META) or 0)
    if cursor > int(get_meta(db, ACKED_META) or 0):
        # Applied but never acknowledged (the station stopped in between): the hub still
        # holds those envelopes; let it go of them now.
        _ack(db, hub, cursor)
    while True:
        cursor = int(get_meta(db, CURSOR_META) or 0)
        answer = hub.relay_pull(cursor)
        if not answer.items:
            return pulled, applied
        for item in answer.items:
            pulled += 1
            applied += _take(db, station, own_code, item, entry)
        _ack(db, hub, answer.items[-1].id)


def _ack(db: Database, hub: Any, through: int) -> None:
    hub.relay_ack(through)
    with transaction(db):
        set_meta(db, ACKED_META, str(through))


def _take(db: Database, station: Station, own_code: str, item: hm.RelayDelivery, entry: Any) -> int:
    """Open and apply one delivery, once (1 if it changed something)."""
    with transaction(db):
        seen = q.arrived(db, item.sender, item.seq)
        outcome, err, record_id, kind = "duplicate", None, item.envelope.ctx.record_id, None
        if not seen:
            try:
                sender = entry(item.sender)
                if isinstance(sender, TaiChoError):
                    raise sender
                ctx = item.envelope.ctx
                if (ctx.kind, ctx.sender, ctx.recipient) != (hm.KIND_RELAY, item.sender, own_code):
                    raise problem("ENVELOPE_CONTEXT_MISMATCH", "ctx")
                raw = open_envelope(
                    item.envelope, station.keys.x_sk, crypto.b64d(sender.ed25519_pub), ctx
                )
                msg = hm.decode_relayed(parse_json(raw))
                kind = msg.type
                q.savepoint(db, "relay_apply", "begin")  # a refused message leaves no trace
                try:
                    outcome = _apply(db, station, item.sender, msg)
                except BaseException:
                    q.savepoint(db, "relay_apply", "rollback")
                    raise
                finally:
                    q.savepoint(db, "relay_apply", "release")
            except TaiChoError as exc:
                outcome, err = "refused", exc
                if kind == "dossier.forward":
                    # Tell A, so the dossier is A's again; the problem is the payload.
                    seq = _enqueue(db, item.sender, record_id, "dossier.refused")
                    text = json.dumps(Problem.of(exc).__dict__, ensure_ascii=False)
                    q.set_out_problem(db, seq, text)
            q.add_arrived(
                db,
                {
                    "sender": item.sender,
                    "seq": item.seq,
                    "hub_id": item.id,
                    "dossier_id": record_id,
                    "kind": kind,
                    "outcome": outcome,
                    "problem": None if err is None else json.dumps(err.to_problem()),
                    "at": iso(utc_now()),
                },
            )
        set_meta(db, CURSOR_META, str(max(item.id, int(get_meta(db, CURSOR_META) or 0))))
    return 1 if outcome == "applied" else 0


def _apply(
    db: Database,
    station: Station,
    sender: str,
    msg: hm.RelayedDossier | hm.RelayedState | hm.RelayedRefusal,
) -> str:
    if isinstance(msg, hm.RelayedDossier):
        return _arrive(db, station, sender, msg)
    if isinstance(msg, hm.RelayedState):
        return _mirror(db, station, sender, msg)
    link = link_of(db, msg.dossier_id)
    if link is None or link["direction"] != "out" or link["peer"] != sender:
        raise problem("DOSSIER_NOT_FOUND", "dossier_id")
    text = json.dumps(msg.problem.__dict__, ensure_ascii=False)
    _set_link(db, msg.dossier_id, state="refused", problem=text, updated_at=_now())
    return "applied"


def _peer_device(db: Database, unit: str) -> str:
    """At B, the dossiers of A hang on one revoked pseudo-device ``hub:A`` (the dossier
    table requires a device; it can never sync, and takes the highest free slot)."""
    device_id = PEER_DEVICE_PREFIX + unit
    if not q.device_exists(db, device_id):
        used = q.used_slots(db)
        free = [s for s in range(99, 0, -1) if s not in used]
        if not free:
            raise problem(
                "HUB_RELAY_REFUSED",
                "devices",
                unit=unit,
                detail="no free device slot",
                detail_vi="hết số thứ tự máy",
            )
        now = iso(utc_now())
        q.add_device(
            db,
            {
                "id": device_id,
                "name": f"Cổng tỉnh: {unit}",
                "slot": free[0],
                "x_pub": "",
                "ed_pub": "",
                "escrow": "",
                "enrolled_at": now,
                "revoked_at": now,
            },
        )
    return device_id


def _arrive(db: Database, station: Station, sender: str, msg: hm.RelayedDossier) -> str:
    """At B: take A's dossier as received at A (due time from A's receipt, B's calendar)."""
    d = msg.dossier
    own = get_unit_record(db)
    if own is None or d.competent_unit != own.code or msg.origin.code != sender:
        raise problem(
            "HUB_RELAY_REFUSED",
            "competent_unit",
            unit=own.code if own else "?",
            detail="not the competent commune",
            detail_vi="không phải xã có thẩm quyền",
        )
    if link_of(db, d.id) is not None:
        return "duplicate"
    if d.status is not Status.RECEIVED or d.received_at is None:
        raise problem(
            "HUB_RELAY_REFUSED",
            "status",
            unit=own.code,
            detail=f"status {d.status.value}",
            detail_vi=f"trạng thái {d.status.value}",
        )
    proc = station.catalogue.get(d.procedure, d.procedure_version)
    received = to_vn(datetime.fromisoformat(d.received_at))
    d.due_at = due_at(
        received, legal_limit_days(proc, d.values), overrides=calendar_overrides(db)
    ).isoformat(timespec="seconds")
    d.device_id = _peer_device(db, sender)
    at = _now()
    d.history.append(
        HistoryEntry(Action.ARRIVE, d.status.value, d.status.value, HUB_ROLE, HUB_ROLE, at, sender)
    )
    d.version += 1
    d.result_sha256 = None
    d.paper_result = None  # B's own stamp records its result
    dossier_store.save(db, station.keys, d)
    reports.record_channel(db, d.id, d.channel)
    audit.append(
        db,
        station.keys,
        action=Action.ARRIVE,
        actor=HUB_ROLE,
        role=HUB_ROLE,
        at=at,
        dossier_id=d.id,
        device_id=d.device_id,
        from_status=Status.DRAFT.value,
        to_status=d.status.value,
        reason=msg.origin.name,
    )
    _set_link(db, d.id, direction="in", peer=sender, state="here", peer_version=0, updated_at=at)
    _enqueue(db, sender, d.id, "dossier.state")  # A sees "arrived at B"
    return "applied"


def _mirror(db: Database, station: Station, sender: str, msg: hm.RelayedState) -> str:
    """A newer state of a linked dossier from the other station: take its status,
    history, values and due time (and the signed result, at A)."""
    incoming = msg.dossier
    link = link_of(db, incoming.id)
    if link is None or link["peer"] != sender:
        raise problem("DOSSIER_NOT_FOUND", "dossier.id")
    if incoming.version <= int(link["peer_version"]):
        return "duplicate"
    keys = station.keys
    d = dossier_store.load(db, keys, incoming.id)
    before = d.status
    at = _now()
    d.status = incoming.status
    d.values = incoming.values
    d.due_at = incoming.due_at
    d.history = list(incoming.history)
    if link["direction"] == "out":  # a result on paper, recorded at B's stamp, shown at A
        d.paper_result = incoming.paper_result
    result = None
    if msg.result is not None and link["direction"] == "out":
        pdf = crypto.b64d(msg.result.pdf_b64)
        if crypto.sha256_hex(pdf) != msg.result.sha256:
            raise problem(
                "HUB_RELAY_REFUSED",
                "result",
                unit=sender,
                detail="the result's SHA-256 differs",
                detail_vi="mã băm SHA-256 của kết quả không khớp",
            )
        known = q.result(db, d.id)
        fresh = known is None or known["sha256"] != msg.result.sha256
        q.put_result(
            db,
            {
                "dossier_id": d.id,
                "sha256": msg.result.sha256,
                "name": msg.result.name,
                "pdf_enc": keys.encrypt(RESULTS_TABLE, d.id, msg.result.sha256, pdf),
                "received_at": at,
            },
        )
        d.result_sha256 = msg.result.sha256
        if fresh:  # the result's own hand-over, on A's timeline
            d.history.append(
                HistoryEntry(
                    Action.ARRIVE,
                    d.status.value,
                    d.status.value,
                    HUB_ROLE,
                    HUB_ROLE,
                    at,
                    msg.result.name,
                )
            )
        result = {
            "sha256": msg.result.sha256,
            "pdf_b64": msg.result.pdf_b64,
            "name": msg.result.name,
        }
    elif link["direction"] == "in":
        d.history = list(incoming.history)
    d.version = max(d.version, incoming.version) + 1
    dossier_store.save(db, keys, d)
    if msg.rating is not None and link["direction"] == "in":  # given at A's counter
        reports.record_rating(
            db,
            keys,
            dossier_id=d.id,
            level=msg.rating.level,
            comment=msg.rating.comment or None,
            actor=f"{sender}:{msg.rating.by}"[:64],
            at=msg.rating.at,
        )
    if d.status is not before:
        last = next((h for h in reversed(incoming.history) if h.to_status == d.status.value), None)
        audit.append(
            db,
            keys,
            action=last.action if last is not None else Action.ARRIVE,
            actor=f"{sender}:{last.actor}"[:64] if last is not None else HUB_ROLE,
            role=last.role if last is not None else HUB_ROLE,
            at=last.at if last is not None else at,
            dossier_id=d.id,
            device_id=d.device_id,
            from_status=before.value,
            to_status=d.status.value,
        )
    if link["direction"] == "out":
        feed.append_state(db, keys, d, result)
    _set_link(
        db,
        d.id,
        peer_version=incoming.version,
        state="returned" if d.status is Status.RETURNED else "at_peer",
        updated_at=at,
    )
    return "applied"


def queue(db: Database) -> dict[str, Any]:
    """What ``admin hub-relay-status`` and the desk show: links and what waits."""
    return {
        "links": q.links(db),
        "waiting": [
            {k: r[k] for k in ("seq", "recipient", "dossier_id", "kind", "problem")}
            for r in q.waiting(db)
        ],
    }
