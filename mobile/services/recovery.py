"""Recovery of a restored or cloned tablet: re-enrol as a new device, send again (issue 22).

A tablet restored from a backup, or one of two clones, holds the device identity of a
tablet whose later changes the station already has: its next push reuses a sequence
number the station acknowledged with other content, and every sync fails with
``SYNC_REPLAY_MISMATCH`` — its dossiers never arrive. The way out (docs/security.md, "A
restored or cloned tablet"): the office gives it a new enrolment code, and staff, signed
in on it, run :meth:`RecoveryService.recover`:

1. what the old identity's feed brought is opened, and the records whose change the
   station never acknowledged are listed;
2. the tablet enrols as a **new device** naming the one it was (``replaces``): new device
   id and keys, the same data key (every record stays readable), a new slot with its own
   dossier numbers;
3. its sequence, feed cursor, held check and old number reserve start again; each unsent
   dossier (its latest version) is sealed again under the new identity with new sequence
   numbers, its photos queued again;
4. it pushes. The station takes the old device's numbers from its successor, and answers
   ``duplicate`` for a dossier version the old device had already delivered with the same
   content — so nothing arrives twice. A dossier numbered with a number its twin also
   used (``DOSSIER_CODE_TAKEN``) gets a new number from the new device's reserve and is
   sent again; the report lists it, because its receipt must be printed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mobile.services.attachments import AttachmentService
from mobile.services.context import TabletContext
from mobile.services.dossiers import DossierService
from mobile.services.enrolment import EnrolmentService
from mobile.services.inbox import InboxService
from mobile.services.outbox import OutboxService
from shared import messages as m
from shared.codes import make_code


@dataclass
class RecoveryReport:
    """What a recovery did: the identities, the dossiers sent again and what became of
    them (``renumbered``: receipts to print again, ``refused``: problems to look at)."""

    old_device_id: str
    device_id: str
    slot: int
    resent: int = 0
    applied: int = 0
    duplicates: int = 0
    renumbered: list[dict[str, str]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class RecoveryService:
    def __init__(
        self,
        ctx: TabletContext,
        enrolment: EnrolmentService,
        dossiers: DossierService,
        outbox: OutboxService,
        inbox: InboxService,
        attachments: AttachmentService,
    ) -> None:
        self.ctx = ctx
        self.enrolment = enrolment
        self.dossiers = dossiers
        self.outbox = outbox
        self.inbox = inbox
        self.attachments = attachments

    def recover(self, url: str, code: str, device_name: str | None = None) -> RecoveryReport:
        ctx = self.ctx
        ctx.need_session()  # the data key re-seals the dossiers and is escrowed anew
        self.inbox.apply()  # sealed to the old identity's key, which goes now
        unsent = ctx.store.unsent_record_ids()
        old = ctx.device_id
        info = self.enrolment.re_enroll(url, code, device_name)
        report = RecoveryReport(old, str(info["device_id"]), int(info["slot"]))
        unit = ctx.unit_code()
        with ctx.store.transaction():
            ctx.store.clear_outbox()
            self.attachments.drop_unsent()
            ctx.store.set_many_meta(
                {
                    "held_claim": None,
                    "station_alarm": None,
                    "last_sync_error": None,
                    f"numbers:{unit}": None,  # the old device's reserve stays with it
                }
            )
        client = ctx.client()
        try:
            self.inbox.pull(client)  # the new device's dossier numbers
            self.inbox.apply()
            with ctx.store.transaction():
                for record_id in unsent:
                    self._queue_again(record_id)
            report.resent = len(unsent)
            refused = self._push(client, report)
            taken = [r for r in refused if r.problem and r.problem.code == "DOSSIER_CODE_TAKEN"]
            if taken:
                with ctx.store.transaction():
                    for r in taken:
                        report.renumbered.append(self._renumber(r.record_id))
                self._push(client, report)
        finally:
            client.close()
        return report

    def _push(self, client: Any, report: RecoveryReport) -> list[m.PushResult]:
        pushed, refused = self.outbox.push(client)
        report.applied += pushed
        report.duplicates += self.outbox.last_duplicates
        report.refused = [
            m.to_dict(r)
            for r in refused
            if not (r.problem and r.problem.code == "DOSSIER_CODE_TAKEN")
        ]
        return refused

    def _queue_again(self, record_id: str) -> None:
        d, sync_problem = self.dossiers.load(record_id)
        d.device_id = self.ctx.device_id
        self.dossiers.save(d, sync_problem)
        self.outbox.queue(d)
        self.attachments.queue(d.attachments)

    def _renumber(self, record_id: str) -> dict[str, str]:
        ctx = self.ctx
        d, _ = self.dossiers.load(record_id)
        unit = ctx.unit_code()
        today = ctx.clock().date()
        book = self.dossiers.number_book(unit)
        old_code, d.code = d.code, make_code(unit, today, book.take(today))
        self.dossiers.save_number_book(unit, book)
        self.dossiers.save(d, None)
        self.outbox.queue(d)
        return {"id": d.id, "old_code": old_code, "new_code": d.code}
