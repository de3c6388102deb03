"""The inbox: feed items pulled from the station wait sealed until someone unlocks, then
each is opened, decoded (``shared.messages.FeedItem``) and applied in its own transaction.

A forged, damaged or undecodable item is set aside with its reason (never dropped, never
blocking the items behind it, nor unlocking).
"""

from __future__ import annotations

import hashlib
import json
import logging

from mobile.services.context import TabletContext
from mobile.services.dossiers import DossierService
from mobile.services.outbox import held_claim
from mobile.services.progress import APPLY, PULL, SyncProgress
from mobile.services.sync_client import SyncClient
from shared import crypto, wire
from shared import messages as m
from shared.audit_anchor import audit_anchor_message
from shared.envelope import Envelope, EnvelopeContext, open_envelope
from shared.errors import TaiChoError, problem
from shared.sync import KIND_FEED, MAX_PULL_LIMIT, STATION, held_problem

_log = logging.getLogger("mobile")
MAX_ANCHORS_HELD = 400  # more than a year of daily anchors


class InboxService:
    def __init__(self, ctx: TabletContext, dossiers: DossierService) -> None:
        self.ctx = ctx
        self.dossiers = dossiers
        # Set by a pull whose answer said the station was restored from a backup.
        self.restore: m.RestoreNotice | None = None

    def pull(self, client: SyncClient, progress: SyncProgress | None = None) -> int:
        """Fetch every feed item after the cursor into the inbox (works while locked)."""
        ctx = self.ctx
        pulled = 0
        self.restore = None
        cursor = int(ctx.store.get_meta("pull_cursor", 0))
        # What is left of the dossier numbers, so the station tops up the days running
        # low. Only while unlocked: then everything pulled before is applied and counted.
        numbers = self.dossiers.numbers_report() if ctx.keys.unlocked else None
        # Issue 22 §5: does the station still hold what it acknowledged from us?
        claim = held_claim(ctx)
        while True:
            if progress is not None:
                progress.set(PULL, pulled, 0)
            held = str(ctx.store.get_meta("office_staff_digest", ""))
            communes = str(ctx.store.get_meta("communes_digest", ""))
            anchors = ctx.store.get_meta("audit_anchors", [])
            newest = max((int(a["rows"]) for a in anchors), default=0)
            answer = client.pull(
                m.PullRequest(
                    ctx.device_id,
                    cursor,
                    MAX_PULL_LIMIT,
                    staff_digest=held,
                    anchor_rows=newest,
                    communes_digest=communes,
                    pending=ctx.store.pending_count(),
                    numbers=numbers,
                    held=claim,
                )
            )
            numbers = None
            if claim is not None and answer.held is not None:
                self._judge_held(claim, answer.held)
            claim = None
            if answer.restore is not None:
                self.restore = answer.restore  # the station was restored (recovery.py)
            with ctx.store.transaction():
                for env in answer.items:
                    ctx.store.add_inbox(env.ctx.seq, json.dumps(env.to_json()))
                    pulled += 1
                cursor = answer.next
                ctx.store.set_meta("pull_cursor", cursor)
            if not answer.more:
                return pulled

    def _judge_held(self, claim: m.HeldClaim, answer: m.HeldAnswer) -> None:
        """Keep the station's alarm (``STATION_LOST_CHANGES``) until a pull matches."""
        err = held_problem(
            claim.through, claim.digest, answer.through, answer.digest, answer.changes,
            answer.missing,
        )  # fmt: skip
        if err is not None:
            _log.error("the station no longer holds what it acknowledged: %s", err)
        self.ctx.store.set_meta("station_alarm", None if err is None else err.to_problem())

    def apply(self, progress: SyncProgress | None = None) -> int:
        """Open pulled envelopes (needs the device key, so only while unlocked)."""
        ctx = self.ctx
        if not ctx.keys.unlocked:
            return 0
        station_ed = ctx.station_ed25519()
        applied = 0
        rows = ctx.store.unapplied_inbox()
        for at, row in enumerate(rows):
            if progress is not None:
                progress.set(APPLY, at, len(rows))
            try:
                env = Envelope.from_json(json.loads(row["envelope"]))
                expect = EnvelopeContext(
                    KIND_FEED,
                    STATION,
                    ctx.device_id,
                    row["seq"],
                    env.ctx.record_id,
                    env.ctx.version,
                )
                plain = open_envelope(env, ctx.keys.device.x25519_sk, station_ed, expect=expect)
                item = m.decode_feed_item(m.parse_json(plain))
                with ctx.store.transaction():
                    self._apply(item)
                    ctx.store.mark_inbox_applied(row["seq"])
            except (TaiChoError, ValueError) as exc:
                err = (
                    exc
                    if isinstance(exc, TaiChoError)
                    else problem("STORE_CORRUPT", None, detail=type(exc).__name__)
                )
                _log.warning("feed item %s set aside: %s", row["seq"], err)
                ctx.store.quarantine_inbox(row["seq"], err.code)
                continue
            applied += 1
        return applied

    def _apply(self, item: m.FeedItem) -> None:
        match item:
            case m.DossierState():
                self._state(item)
            case m.DossierRejected() | m.DossierConflict():
                if self.ctx.store.get_record(item.dossier_id) is not None:
                    dossier, _ = self.dossiers.load(item.dossier_id)
                    if isinstance(item, m.DossierRejected) and item.code not in (
                        None,
                        dossier.code,
                    ):
                        return  # refused under a code it no longer has (renumbered since)
                    self.dossiers.save(dossier, item.problem.to_dict())
            case m.CalendarUpdate():
                self.ctx.store.set_meta("calendar", {"off": item.off, "work": item.work})
            case m.NumberBlock():
                self.dossiers.add_numbers(item)
            case m.StaffUpdate():
                self._staff(item)
            case m.AuditAnchor():
                self._anchor(item)
            case m.CatalogueUpdate():
                self.ctx.apply_catalogue(item)
            case m.CommunesUpdate():
                self._communes(item)

    def _anchor(self, item: m.AuditAnchor) -> None:
        """Keep a station audit checkpoint (its own signature checked) — the tablet is one
        of the places an anchor is held outside the station (docs/security.md)."""
        message = audit_anchor_message(item.rows, item.head, item.at)
        crypto.verify(self.ctx.station_ed25519(), message, crypto.b64d(item.sig))
        store = self.ctx.store
        held = [a for a in store.get_meta("audit_anchors", []) if a["rows"] != item.rows]
        held.append({"rows": item.rows, "head": item.head, "at": item.at, "sig": item.sig})
        held.sort(key=lambda a: int(a["rows"]))
        store.set_meta("audit_anchors", held[-MAX_ANCHORS_HELD:])

    def _communes(self, item: m.CommunesUpdate) -> None:
        """Keep the province's communes (the competent commune is chosen from them,
        offline too) and the digest the next pull reports."""
        store = self.ctx.store
        store.set_meta("communes", wire.encode(item))
        store.set_meta("communes_digest", m.communes_digest(item.province, list(item.communes)))

    def _staff(self, item: m.StaffUpdate) -> None:
        """Keep the office's intake staff for the unlock screen; forget the PIN wrap of
        anyone the office disabled, so they cannot open this tablet offline any more."""
        store = self.ctx.store
        intake = [
            {"username": s.username, "full_name": s.full_name}
            for s in item.staff
            if s.active and s.role == "intake"
        ]
        store.set_meta("office_staff", intake)
        store.set_meta("office_staff_digest", m.staff_digest(list(item.staff)))
        disabled = {s.username for s in item.staff if not s.active}
        for username in store.wrap_usernames():
            if username in disabled:
                store.delete_wrap(username)
                _log.info("PIN wrap of disabled staff %s removed", username)

    def _state(self, item: m.DossierState) -> None:
        ctx = self.ctx
        if ctx.store.get_record(item.dossier_id) is None:
            return  # not ours (or wiped): nothing to update
        dossier, _ = self.dossiers.load(item.dossier_id)
        if item.version < dossier.version:
            return
        dossier.status = item.status
        dossier.version = item.version
        dossier.history = list(item.history)
        dossier.due_at = item.due_at or dossier.due_at
        dossier.paper_result = item.paper_result or dossier.paper_result
        if item.result is not None:
            pdf = crypto.b64d(item.result.pdf_b64)
            if hashlib.sha256(pdf).hexdigest() != item.result.sha256:
                raise problem("DECRYPT_FAILED")
            dossier.result_sha256 = item.result.sha256
            pages = json.dumps(item.result.pages_png_b64).encode()
            ctx.store.put_result(
                dossier.id,
                item.result.sha256,
                ctx.keys.seal_blob(f"result:{dossier.id}", pdf),
                ctx.keys.seal_blob(f"result-pages:{dossier.id}", pages),
            )
        self.dossiers.save(dossier, None)
