"""The outbox: changes sealed and signed when made (no unlock needed to sync), pushed in
sequence order; a resent, already-applied change comes back as a harmless duplicate."""

from __future__ import annotations

import json

from mobile.services.context import TabletContext
from mobile.services.progress import PUSH, SyncProgress
from mobile.services.sync_client import SyncClient
from shared import messages as m
from shared.envelope import Envelope, EnvelopeContext, seal_envelope
from shared.errors import problem
from shared.model import Dossier
from shared.sync import KIND_CHANGE, MAX_PUSH_BATCH, STATION, Outcome


class OutboxService:
    def __init__(self, ctx: TabletContext) -> None:
        self.ctx = ctx

    def queue(self, dossier: Dossier) -> None:
        """Seal one submission to the station (inside the caller's transaction)."""
        ctx = self.ctx
        seq = ctx.store.next_counter("outbox_seq")
        payload = m.to_json_bytes(m.DossierSubmit("dossier.submit", dossier))
        env = seal_envelope(
            EnvelopeContext(KIND_CHANGE, ctx.device_id, STATION, seq, dossier.id, dossier.version),
            payload,
            ctx.station_x25519(),
            ctx.keys.device.ed25519_sk,
        )
        ctx.store.append_outbox(seq, dossier.id, dossier.version, json.dumps(env.to_json()))

    def push(
        self, client: SyncClient, progress: SyncProgress | None = None
    ) -> tuple[int, list[m.PushResult]]:
        """Send everything pending; (applied count, rejected or conflicting results)."""
        ctx = self.ctx
        pushed, refused = 0, []
        total, sent = ctx.store.pending_count(), 0
        while batch := ctx.store.pending_outbox(MAX_PUSH_BATCH):
            if progress is not None:
                progress.set(PUSH, sent, max(total, sent + len(batch)))
            envelopes = [Envelope.from_json(json.loads(r["envelope"])) for r in batch]
            answer = client.push(m.PushRequest(ctx.device_id, envelopes))
            ctx.store.ack_outbox(answer.acked_seq)
            pushed += sum(1 for r in answer.results if r.outcome is Outcome.APPLIED)
            refused += [
                r for r in answer.results if r.outcome in (Outcome.REJECTED, Outcome.CONFLICT)
            ]
            if answer.acked_seq < batch[-1]["seq"]:
                detail = f"station acknowledged only {answer.acked_seq}"
                raise problem("STATION_ERROR", None, detail=detail)
            sent += len(batch)
            if progress is not None:
                progress.set(PUSH, sent, max(total, sent))
        return pushed, refused
