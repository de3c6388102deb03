"""After the station was restored from a backup: tell it what this tablet holds, and send
again what it lost (docs/sync-protocol.md §11, docs/operations.md).

The tablet keeps every change it sent, sealed as it was sent, for ``RETENTION_DAYS``
after the station acknowledged it. A restored station answers a pull with a
:class:`~shared.messages.RestoreNotice`; the tablet then reports — without unlocking, from
clear bookkeeping only — the last change the station had acknowledged, the staff who hold
a PIN wrap here, the highest dossier number it holds per day, and the dossiers its feed
copies show changed after the backup. The station answers the last change it holds; every
kept change after it goes out again, byte for byte, so nothing is duplicated.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from mobile.services import attachment_store
from mobile.services.attachments import AttachmentService
from mobile.services.context import TabletContext
from mobile.services.dossiers import DossierService
from mobile.services.sync_client import SyncClient
from shared import messages as m
from shared.envelope import Envelope
from shared.errors import TaiChoError
from shared.workflow import Status

# Sent changes are kept this long after the station acknowledged them: a restore from a
# backup up to this old gets everything back. Sealed to the station, they say nothing to
# whoever holds the tablet.
RETENTION_DAYS = 60
MAX_STATES = 5000


class ResendService:
    def __init__(
        self, ctx: TabletContext, dossiers: DossierService, attachments: AttachmentService
    ) -> None:
        self.ctx = ctx
        self.dossiers = dossiers
        self.attachments = attachments

    def report(self, notice: m.RestoreNotice) -> m.RecoverRequest:
        store = self.ctx.store
        return m.RecoverRequest(
            self.ctx.device_id,
            store.acked_max(),
            users=sorted(store.wrap_usernames())[:200],
            numbers=self._numbers_held(),
            states=self._states_after(notice.feed_seq),
        )

    def _numbers_held(self) -> list[m.NumbersHeld]:
        code = self.ctx.unit().get("code")
        if not isinstance(code, str) or not code:
            return []
        book = self.dossiers.number_book(code)
        held = [
            m.NumbersHeld(day, max(hi for _, hi in pairs))
            for day, pairs in sorted(book.blocks.items())
            if pairs
        ]
        return held[-60:]

    def _states_after(self, feed_seq: int) -> list[m.KnownState]:
        """Dossiers with feed items above the backup's: their clear columns here."""
        latest: dict[str, int] = {}
        for row in self.ctx.store.inbox_after(feed_seq):
            try:
                ctx = Envelope.from_json(json.loads(row["envelope"])).ctx
            except (TaiChoError, ValueError, TypeError):
                continue
            latest[ctx.record_id] = max(latest.get(ctx.record_id, 0), ctx.version)
        out = []
        for record_id in latest:
            rec = self.ctx.store.get_record(record_id)
            if rec is None or rec["status"] not in Status._value2member_map_:
                continue
            out.append(
                m.KnownState(
                    record_id, str(rec["code"]), Status(rec["status"]), int(rec["version"])
                )
            )
        return out[:MAX_STATES]

    def recover(self, client: SyncClient, notice: m.RestoreNotice) -> int:
        """Report, then queue again every kept change the station no longer holds (and
        the photos of their dossiers: see :meth:`requeue_photos`)."""
        store = self.ctx.store
        report = self.report(notice)
        # Noted first: a tablet stopped between the report and the re-queue resumes here
        # (the station takes one report only, and a second pull has no notice).
        store.set_meta("restore_pending", notice.push_acked)
        answer = client.recover(report)
        return self.resume(answer.push_acked, notice.at)

    def resume(self, push_acked: int | None = None, at: str | None = None) -> int:
        """Queue again the changes after ``push_acked`` (default: the noted one)."""
        store = self.ctx.store
        if push_acked is None:
            noted = store.get_meta("restore_pending")
            if noted is None:
                return 0
            push_acked = int(noted)
        with store.transaction():
            requeued = store.requeue_outbox(push_acked)
            store.set_meta("restore_photos", store.outbox_records_after(push_acked))
            store.set_meta(
                "station_restore", {"at": at, "push_acked": push_acked, "resent": requeued}
            )
            store.set_meta("restore_pending", None)
        self.requeue_photos()
        return requeued

    def requeue_photos(self) -> int:
        """Seal again, for the restored station, the photos of the re-sent dossiers (it
        may have lost them; it answers at once for those it holds). Needs the data key,
        so it waits for the next unlock when locked; returns the photos queued."""
        store = self.ctx.store
        pending = list(store.get_meta("restore_photos") or [])
        if not pending or not self.ctx.keys.unlocked:
            return 0
        queued = 0
        with store.transaction():
            for record_id in pending:
                try:
                    dossier, _ = self.dossiers.load(record_id)
                except TaiChoError:
                    continue
                refs = [r for r in dossier.attachments if self.attachments.has(r.sha256)]
                for ref in refs:
                    attachment_store.forget_uploaded(store.db, ref.sha256)
                self.attachments.queue(refs)
                queued += len(refs)
            store.set_meta("restore_photos", None)
        return queued

    def prune(self) -> int:
        """Forget changes acknowledged more than ``RETENTION_DAYS`` ago."""
        cutoff = datetime.now(UTC) - timedelta(days=RETENTION_DAYS)
        return self.ctx.store.prune_outbox(cutoff.isoformat(timespec="seconds"))
