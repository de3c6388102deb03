"""The tablet: its services wired around one context, and the flows that span several.

Each concept has its own service (``enrolment``, ``sessions``, ``dossiers``, ``outbox``,
``inbox``, ``attachments``, ``citizens``, ``recovery``, ``resend``) sharing one
:class:`~mobile.services.context.TabletContext`. :class:`TabletService` builds them once
(the composition root the app, the headless CLI and the tests share) and holds only what
no single service can do alone: unlock (then open what sync pulled and queue photos again
after a restore), intake (ask the station for dossier numbers when none is left), sync
(push, photos, pull, resend after a station restore, apply) and its indicator. Everything
else is asked of the service that owns it by name — ``tablet.dossiers.get(id)``,
``tablet.sessions.known_users()`` — never through a method that only passes the call on
(docs/architecture.md, "The tablet's services").

Everything that touches citizen data requires an unlocked keystore. Sync itself does
not: changes are sealed and signed when made, pulled envelopes wait sealed in the inbox
until someone unlocks (docs/security.md).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mobile.services.attachments import AttachmentService, UploadReport
from mobile.services.citizens import CitizenBook
from mobile.services.context import TabletContext
from mobile.services.dossiers import DossierService
from mobile.services.enrolment import EnrolmentService
from mobile.services.inbox import InboxService
from mobile.services.keystore import Keystore, Session
from mobile.services.outbox import OutboxService
from mobile.services.progress import SyncProgress
from mobile.services.recovery import RecoveryService
from mobile.services.restore_resend import ResendService
from mobile.services.session import SessionService
from mobile.services.store import TabletStore
from mobile.services.sync_client import HttpClient, SyncClient
from shared import messages as m
from shared import wire
from shared.catalogue import Catalogue
from shared.citizen import Citizen
from shared.errors import TaiChoError, problem
from shared.model import AttachmentRef, DossierSummary
from shared.procedures import builtin
from shared.signatures import SignatureMark
from shared.workdays import vn_now

_log = logging.getLogger("mobile")


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    applied: int
    pending: int
    last_sync_at: str | None
    rejected: list[dict[str, Any]]
    # Photos of documents: chunk requests sent, chunks the station already had (a resumed
    # upload), photos still to send, photos the station refused (sha256 and code).
    photo_chunks_sent: int = 0
    photo_chunks_skipped: int = 0
    photos_pending: int = 0
    photos_refused: tuple[dict[str, Any], ...] = ()
    # STATION_LOST_CHANGES as a problem dict: the station no longer holds what it
    # acknowledged from this tablet (issue 22 §5); None when all is there.
    station_alarm: dict[str, Any] | None = None
    # Changes sent again because the station was restored from a backup.
    resent: int = 0

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class SyncState:
    """What the sync indicator shows, readable without unlocking."""

    enrolled: bool
    station_url: str | None
    pending: int
    inbox_waiting: int
    set_aside: int  # pulled items that could not be opened (kept, see docs/security.md)
    last_sync_at: str | None
    last_error: dict[str, Any] | None
    photos_pending: int = 0  # photos of documents still to upload
    station_alarm: dict[str, Any] | None = None  # STATION_LOST_CHANGES, until resolved

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class TabletService:
    def __init__(
        self,
        data_dir: Path,
        *,
        http: HttpClient | None = None,
        clock: Callable[[], datetime] = vn_now,
        catalogue: Catalogue | None = None,
        device_secret: bytes | None = None,
    ) -> None:
        """``device_secret``: from the device's secure store (``device_secret.py``), binding
        PIN wraps to this device; None in the web build, the headless CLI and tests."""
        self.data_dir = Path(data_dir)
        self.store = TabletStore(self.data_dir)
        self.keys = Keystore(self.store, device_secret)
        self.catalogue = catalogue or builtin()
        self.clock = clock
        self.ctx = TabletContext(self.data_dir, self.store, self.keys, self.catalogue, clock, http)
        self.enrolment = EnrolmentService(self.ctx)
        self.sessions = SessionService(self.ctx)
        self.outbox = OutboxService(self.ctx)
        self.attachments = AttachmentService(self.ctx)
        self.dossiers = DossierService(self.ctx, self.outbox, self.attachments)
        self.citizens = CitizenBook(self.store.db, self.keys)
        self.inbox = InboxService(self.ctx, self.dossiers)
        self.recovery = RecoveryService(
            self.ctx, self.enrolment, self.dossiers, self.outbox, self.inbox, self.attachments
        )
        self.resend = ResendService(self.ctx, self.dossiers, self.attachments)

    def close(self) -> None:
        self.keys.lock()
        self.store.close()

    # --- what takes more than one service ---
    def communes(self) -> m.CommunesUpdate | None:
        """The province's communes the station relays to, as last synced (None: none
        yet): the competent commune of a dossier is chosen from them, offline too."""
        raw = self.store.get_meta("communes", None)
        if raw is None:
            return None
        item: m.CommunesUpdate = wire.decode(m.CommunesUpdate, raw)
        return item

    def audit_anchors(self) -> list[dict[str, Any]]:
        """The station's signed audit checkpoints held here (not secret: no citizen data)."""
        return list(self.store.get_meta("audit_anchors", []))

    def unlock(self, username: str, pin: str) -> Session:
        session = self.sessions.unlock(username, pin)
        self.inbox.apply()
        self.resend.requeue_photos()  # after a restore, while the tablet was locked
        return session

    def intake(
        self,
        procedure_code: str,
        values: dict[str, Any],
        read_back_at: str | None = None,
        *,
        components_received: list[str] | None = None,
        attachments: list[AttachmentRef] | None = None,
        signatures: Sequence[SignatureMark] | None = None,
        competent_unit: str | None = None,
    ) -> DossierSummary:
        """Receive a complete dossier (``components_received``: the ticked components;
        an incomplete dossier is ``DOSSIER_INCOMPLETE``, see DossierService.intake;
        ``competent_unit``: another commune's unit code, docs/province.md)."""
        if self.ctx.enrolled and self.keys.unlocked and self.dossiers.numbers_left() == 0:
            self.refill_numbers()  # no number left for today: ask the station if it is there
        return self.dossiers.intake(
            procedure_code,
            values,
            read_back_at,
            components_received=components_received,
            attachments=attachments,
            signatures=signatures,
            competent_unit=competent_unit,
        )

    def refill_numbers(self) -> bool:
        """Push, then pull (and open) the feed, so the station — which tops a tablet up by
        the numbers it has seen used — reserves this tablet more dossier numbers.

        Best effort: offline, intake goes on with what is left (DOSSIER_CODE_EXHAUSTED
        when nothing is). True when the station answered."""
        try:
            client = self.ctx.client()
            try:
                self.outbox.push(client)
                self.inbox.pull(client)
            finally:
                client.close()
        except TaiChoError as err:
            _log.info("no dossier numbers from the station now: %s", err.code)
            self.ctx.wipe_if_revoked(err)
            return False
        self.inbox.apply()
        return True

    # --- photos of documents ---
    def add_attachment(self, data: bytes, mime: str | None, component: str) -> AttachmentRef:
        """Keep a photo of one component's document (downscaled, encrypted, named by its
        SHA-256) and return the reference to hand to ``intake`` / ``supplement``.
        ATTACHMENT_NOT_IMAGE / ATTACHMENT_TOO_LARGE for what cannot be kept."""
        if not component or len(component) > 80:
            raise problem(
                "REQUEST_INVALID",
                "component",
                detail="component: 1–80 characters",
                detail_vi="mã thành phần hồ sơ phải dài 1–80 ký tự",
            )
        return self.attachments.put(data, mime).ref(component)

    # --- the citizen book (reuse a known citizen in one tap) ---
    def remember_card(self, card: dict[str, Any], unit: str) -> Citizen:
        """Keep a scanned card's person (sealed; found later by name or number). A card
        already in the book updates that entry instead of adding a second one."""
        self.ctx.need_session()
        known = [c for c in self.citizens.search(str(card["number"])) if c.number == card["number"]]
        commune, _, province = unit.partition(", ")
        citizen = Citizen(
            id=known[0].id if known else str(uuid.uuid4()),
            number=str(card["number"]),
            name=str(card["name"]),
            old_id=str(card.get("old_id") or ""),
            dob=str(card.get("dob") or ""),
            sex=str(card.get("sex") or ""),
            address_printed=str(card.get("address_printed") or ""),
            address_commune=commune,
            address_province=province,
            phone=known[0].phone if known else "",
        )
        self.citizens.remember(citizen)
        return citizen

    def search_citizens(self, query: str) -> list[Citizen]:
        """Accent-insensitive name prefixes or an exact number (needs the tablet unlocked)."""
        self.ctx.need_session()
        return self.citizens.search(query)

    # --- sync ---
    def sync_state(self) -> SyncState:
        store = self.store
        return SyncState(
            enrolled=self.ctx.enrolled,
            station_url=store.get_meta("station_url"),
            pending=store.pending_count(),
            inbox_waiting=len(store.unapplied_inbox()),
            set_aside=store.quarantined_count(),
            last_sync_at=store.get_meta("last_sync_at"),
            last_error=store.get_meta("last_sync_error"),
            photos_pending=self.attachments.pending_count(),
            station_alarm=store.get_meta("station_alarm"),
        )

    def sync(self, progress: SyncProgress | None = None) -> SyncReport:
        """Push the outbox, pull the feed, and open what came if unlocked.

        Works while locked. A failure leaves everything queued and is recorded for the
        sync indicator; the next sync resumes from the acknowledged sequence.
        ``progress`` is updated as it goes (the app's progress bar reads it).
        """
        client = self.ctx.client()
        try:
            pushed, refused = self.outbox.push(client, progress)
            lost = self.outbox.lost  # the station lost changes it had acknowledged
            photos: UploadReport = self.attachments.upload(client, progress)
            pulled = self.inbox.pull(client, progress)
            announced = (
                self.inbox.restore is not None or self.store.get_meta("restore_pending") is not None
            )
            resent = self._resend_after_restore(client, progress)
            if resent is not None:
                more, refused_again = self.outbox.push(client, progress)
                pushed, refused = pushed + more, refused + refused_again
                photos = photos.plus(self.attachments.upload(client, progress))
                pulled += self.inbox.pull(client, progress)
            if lost is not None and not announced:
                # Sent again from what this tablet keeps, but no restore explains the loss
                # (a cut log, issue 22 §5): the alarm stands and the sync says so.
                self.store.set_meta("station_alarm", lost.to_problem())
                raise lost
            self.enrolment.refresh_unit()
        except TaiChoError as err:
            self.store.set_meta("last_sync_error", err.to_problem())
            self.ctx.wipe_if_revoked(err)
            raise
        finally:
            client.close()
        now = self.clock().isoformat(timespec="seconds")
        self.store.set_many_meta({"last_sync_at": now, "last_sync_error": None})
        self.resend.prune()
        applied = self.inbox.apply(progress)
        rejected = [m.to_dict(r) for r in refused]
        return SyncReport(
            pushed,
            pulled,
            applied,
            self.store.pending_count(),
            now,
            rejected,
            photo_chunks_sent=photos.sent,
            photo_chunks_skipped=photos.skipped,
            photos_pending=self.attachments.pending_count(),
            photos_refused=tuple(photos.failed or ()),
            station_alarm=self.store.get_meta("station_alarm"),
            resent=resent or 0,
        )

    def _resend_after_restore(
        self, client: SyncClient, progress: SyncProgress | None
    ) -> int | None:
        """The station was restored: report to it and queue again what it lost (None
        when it was not). Also when a push found it behind without a notice (it heard
        this tablet's report already): queue again from what it holds."""
        notice = self.inbox.restore
        if notice is not None:
            return self.resend.recover(client, notice)
        if self.store.get_meta("restore_pending") is not None:
            return self.resend.resume()
        if self.outbox.behind is not None:
            return self.resend.resume(self.outbox.behind)
        return None
