"""The outbox: changes sealed and signed when made (no unlock needed to sync), pushed in
sequence order; a resent, already-applied change comes back as a harmless duplicate."""

from __future__ import annotations

import json

from mobile.services.context import TabletContext
from mobile.services.progress import PUSH, SyncProgress
from mobile.services.sync_client import SyncClient
from shared import messages as m
from shared.envelope import Envelope, EnvelopeContext, seal_envelope
from shared.errors import TaiChoError, problem
from shared.model import Dossier
from shared.sync import (
    HELD_GENESIS,
    KIND_CHANGE,
    MAX_PUSH_BATCH,
    STATION,
    Outcome,
    envelope_digest,
    held_digest,
)


class OutboxService:
    def __init__(self, ctx: TabletContext) -> None:
        self.ctx = ctx
        self.last_duplicates = 0  # changes the last push found already at the station
        self.behind: int | None = None
        # STATION_LOST_CHANGES when ``behind`` was found (tablet.sync raises it unless the
        # station announced a restore from a backup, which explains the loss).
        self.lost: TaiChoError | None = None

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

    def _station_behind(self, err: TaiChoError) -> int | None:
        """The last change the station holds, when it asks for one it had acknowledged."""
        expected = err.ctx.get("expected")
        if err.code != "SYNC_OUT_OF_ORDER" or not isinstance(expected, int):
            return None
        return expected - 1 if expected - 1 < self.ctx.store.acked_max() else None

    def push(
        self, client: SyncClient, progress: SyncProgress | None = None
    ) -> tuple[int, list[m.PushResult]]:
        """Send everything pending; (applied count, rejected or conflicting results).

        A station that asks again for a change it had acknowledged was restored from a
        backup: the push stops there and ``behind`` says what it holds."""
        ctx = self.ctx
        self.last_duplicates = 0
        self.behind, self.lost = None, None
        pushed, refused = 0, list[m.PushResult]()
        total, sent = ctx.store.pending_count(), 0
        while batch := ctx.store.pending_outbox(MAX_PUSH_BATCH):
            if progress is not None:
                progress.set(PUSH, sent, max(total, sent + len(batch)))
            envelopes = [Envelope.from_json(json.loads(r["envelope"])) for r in batch]
            try:
                answer = client.push(m.PushRequest(ctx.device_id, envelopes))
            except TaiChoError as err:
                behind = self._station_behind(err)
                if behind is None:
                    raise self._lost_or(err) from None
                # The station lost changes it had acknowledged (restored from a backup, or
                # its log cut): send them again from what this tablet keeps (tablet.py);
                # the pull's held check raises STATION_LOST_CHANGES until it matches again.
                self.behind, self.lost = behind, self._lost_or(err)
                return pushed, refused
            ctx.store.ack_outbox(answer.acked_seq)
            pushed += sum(1 for r in answer.results if r.outcome is Outcome.APPLIED)
            self.last_duplicates += sum(1 for r in answer.results if r.outcome is Outcome.DUPLICATE)
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

    def _lost_or(self, err: TaiChoError) -> TaiChoError:
        """A station that asks again for a change it had acknowledged lost what it held
        (its log cut, or restored from an older copy): that is STATION_LOST_CHANGES, an
        alarm kept until a pull matches again, not a mere out-of-order push."""
        store = self.ctx.store
        expected = err.ctx.get("expected")
        acked = store.acked_through()
        if err.code != "SYNC_OUT_OF_ORDER" or not isinstance(expected, int) or expected > acked:
            return err
        lost = problem(
            "STATION_LOST_CHANGES", None, count=acked - expected + 1, first=expected, through=acked
        )
        store.set_meta("station_alarm", lost.to_problem())
        return lost


def held_claim(ctx: TabletContext) -> m.HeldClaim | None:
    """What the station acknowledged from this tablet, as the digest the pull sends
    (``shared.sync.held_digest``): kept in ``meta.held_claim`` and extended as acks
    arrive, so each pull hashes only the newly acknowledged changes. None when the
    acknowledged changes are not all here (nothing to claim)."""
    store = ctx.store
    saved = store.get_meta("held_claim") or {"through": 0, "digest": HELD_GENESIS}
    acked = store.acked_through()
    if acked > int(saved["through"]):
        rows = store.acked_outbox(int(saved["through"]), acked)
        if [int(r["seq"]) for r in rows] != list(range(int(saved["through"]) + 1, acked + 1)):
            return None
        digest = held_digest(
            ((int(r["seq"]), envelope_digest(json.loads(r["envelope"]))) for r in rows),
            start=str(saved["digest"]),
        )
        saved = {"through": acked, "digest": digest}
        store.set_meta("held_claim", saved)
    return m.HeldClaim(int(saved["through"]), str(saved["digest"]))
