"""The tablet's services behind one facade, used by the Flet screens and the headless CLI.

Everything that touches citizen data requires an unlocked keystore. Sync itself does
not: changes are sealed and signed when made, pulled envelopes wait sealed in the inbox
until someone unlocks (docs/security.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from mobile.services.keystore import Keystore, Session, check_pin_format
from mobile.services.store import TabletStore
from mobile.services.sync_client import SyncClient
from shared import crypto, hpke
from shared.catalogue import Catalogue, Procedure, builtin
from shared.codes import make_code
from shared.envelope import Envelope, EnvelopeContext, open_envelope, seal_envelope
from shared.errors import TaiChoError, problem
from shared.model import Dossier, DossierSummary, HistoryEntry
from shared.sync import (
    CHANGE_DOSSIER_SUBMIT,
    FEED_DOSSIER_REJECTED,
    FEED_DOSSIER_STATE,
    KIND_CHANGE,
    KIND_ESCROW,
    KIND_FEED,
    KIND_UNLOCK,
    MAX_PUSH_BATCH,
    STATION,
)
from shared.validation import ValidationResult, validate
from shared.workdays import due_at, vn_now
from shared.workflow import Role, Status, next_status

UNLOCK_INFO = b"taicho/v1/unlock-request"


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    applied: int
    pending: int
    last_sync_at: str | None
    rejected: list[dict[str, Any]]

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

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class TabletService:
    def __init__(
        self,
        data_dir: Path,
        *,
        http: httpx.Client | None = None,
        clock: Callable[[], datetime] = vn_now,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.store = TabletStore(self.data_dir)
        self.keys = Keystore(self.store)
        self.catalogue = catalogue or builtin()
        self._http = http
        self.clock = clock

    def close(self) -> None:
        self.keys.lock()
        self.store.close()

    # --- enrollment ---
    @property
    def enrolled(self) -> bool:
        return bool(self.store.get_meta("device_id"))

    @property
    def device_id(self) -> str:
        device_id = self.store.get_meta("device_id")
        if not device_id:
            raise problem("NOT_ENROLLED")
        return str(device_id)

    def unit(self) -> dict[str, Any]:
        return dict(self.store.get_meta("unit", {}))

    def _client(self, url: str | None = None) -> SyncClient:
        base = url or self.store.get_meta("station_url")
        if not base:
            raise problem("NOT_ENROLLED")
        return SyncClient(str(base), self._http)

    def enroll(self, url: str, code: str, device_name: str | None = None) -> dict[str, Any]:
        """Register this tablet with the station using a one-time code; pin its keys."""
        if self.enrolled:
            raise problem("ALREADY_ENROLLED")
        device_id = str(uuid.uuid4())
        client = self._client(url)
        try:
            health = client.health()
            station_x = crypto.b64d(health["station"]["x25519_pub"])
            dk, keys = self.keys.new_device_keys(device_id)
            escrow = seal_envelope(
                EnvelopeContext(KIND_ESCROW, device_id, STATION, 0, device_id, 1),
                dk,
                station_x,
                keys["ed_sk"],
            )
            answer = client.enroll(
                {
                    "code": code.strip().upper(),
                    "device_id": device_id,
                    "device_name": device_name or f"tablet-{device_id[:8]}",
                    "x25519_pub": crypto.b64e(keys["x25519_pub"]),
                    "ed25519_pub": crypto.b64e(keys["ed25519_pub"]),
                    "escrow": escrow.to_json(),
                }
            )
        except BaseException:
            self.store.set_meta("device_keys_wrapped", None)
            raise
        finally:
            client.close()
        station = answer["station"]
        if any(station[k] != health["station"][k] for k in ("x25519_pub", "ed25519_pub")):
            raise problem("STATION_KEY_MISMATCH")
        self.store.set_many_meta(
            {
                "device_id": device_id,
                "slot": int(answer["slot"]),
                "unit": answer["unit"],
                "station_url": url.rstrip("/"),
                "station_x25519_pub": station["x25519_pub"],
                "station_ed25519_pub": station["ed25519_pub"],
                "station_signing_ca": list(answer.get("signing_ca", [])),
                "device_x25519_pub": crypto.b64e(keys["x25519_pub"]),
                "device_ed25519_pub": crypto.b64e(keys["ed25519_pub"]),
                "outbox_seq": 0,
                "pull_cursor": 0,
            }
        )
        # DK and the private keys now exist only wrapped (device keys under DK) and in
        # the station's escrow; this process forgets them here.
        del dk, keys
        return {"device_id": device_id, "slot": int(answer["slot"]), "unit": answer["unit"]}

    # --- unlock ---
    @property
    def session(self) -> Session | None:
        return self.keys.session if self.keys.unlocked else None

    def known_users(self) -> list[str]:
        return self.store.wrap_usernames()

    def unlock(self, username: str, pin: str) -> Session:
        """Offline with this tablet's PIN wrap; the first time per staff member, online."""
        username = username.strip()
        check_pin_format(pin)
        self.device_id  # noqa: B018 - raises NOT_ENROLLED early
        if self.keys.has_wrap(username):
            session = self.keys.unlock_local(username, pin)
        else:
            session = self._unlock_via_station(username, pin)
        self.apply_inbox()
        return session

    def _unlock_via_station(self, username: str, pin: str) -> Session:
        device_id = self.device_id
        reply_sk, reply_pub = crypto.new_x25519()
        nonce = crypto.b64e(os.urandom(16))
        request = json.dumps(
            {"username": username, "pin": pin, "reply_pub": crypto.b64e(reply_pub), "nonce": nonce}
        ).encode()
        station_x = crypto.b64d(self.store.get_meta("station_x25519_pub"))
        enc, ct = hpke.seal(station_x, UNLOCK_INFO, device_id.encode(), request)
        client = self._client()
        try:
            try:
                answer = client.unlock(
                    {"device_id": device_id, "enc": crypto.b64e(enc), "ct": crypto.b64e(ct)}
                )
            except TaiChoError as err:
                if err.code == "STATION_UNREACHABLE":
                    raise problem("FIRST_UNLOCK_NEEDS_STATION", "username") from None
                self._maybe_wipe(err)
                raise
        finally:
            client.close()
        env = Envelope.from_json(answer.get("envelope"))
        payload = json.loads(
            open_envelope(
                env,
                reply_sk,
                crypto.b64d(self.store.get_meta("station_ed25519_pub")),
                expect=EnvelopeContext(KIND_UNLOCK, STATION, device_id, 0, nonce, 1),
            )
        )
        session = Session(payload["username"], payload["role"], payload.get("full_name", ""))
        return self.keys.install_data_key(crypto.b64d(payload["data_key"]), pin, session)

    def lock(self) -> None:
        self.keys.lock()

    def _need_session(self) -> Session:
        if not self.keys.unlocked or self.keys.session is None:
            raise problem("LOCKED")
        return self.keys.session

    # --- catalogue & validation ---
    def procedures(self) -> list[Procedure]:
        return self.catalogue.all()

    def procedure(self, code: str) -> Procedure:
        return self.catalogue.get(code)

    def check(self, procedure_code: str, values: dict[str, Any]) -> ValidationResult:
        return validate(self.procedure(procedure_code), values, self.clock().date())

    # --- intake ---
    def intake(self, procedure_code: str, values: dict[str, Any]) -> DossierSummary:
        """Validate, number, store (encrypted) and queue (sealed) one received dossier."""
        session = self._need_session()
        role = Role(session.role) if session.role in Role._value2member_map_ else None
        if role is None:
            raise problem("ROLE_UNKNOWN", "role", role=session.role)
        status = next_status(Status.DRAFT, "receive", role)
        procedure = self.procedure(procedure_code)
        clean = validate(procedure, values, self.clock().date()).raise_if_invalid()
        now = self.clock()
        today: date = now.date()
        with self.store.transaction():
            n = self.store.next_counter(f"codes:{today:%Y%m%d}")
            code = make_code(str(self.unit()["code"]), today, int(self.store.get_meta("slot")), n)
            dossier = Dossier(
                id=str(uuid.uuid4()),
                code=code,
                procedure=procedure.code,
                procedure_version=procedure.version,
                values=clean,
                status=status,
                version=1,
                base_version=0,
                device_id=self.device_id,
                received_by=session.username,
                received_at=now.isoformat(timespec="seconds"),
                due_at=due_at(now, procedure.time_limit_working_days).isoformat(),
                history=[
                    HistoryEntry(
                        "receive",
                        Status.DRAFT.value,
                        status.value,
                        session.username,
                        session.role,
                        now.isoformat(timespec="seconds"),
                    )
                ],
            )
            self._save(dossier, None)
            self._queue(dossier)
        return self._summary(dossier)

    def supplement(self, id_or_code: str, values: dict[str, Any]) -> DossierSummary:
        """Re-submit a dossier the appraiser sent back, with corrected or added values.

        Allowed only in ``supplement_requested`` (the handbook's edit rule); the new
        version records the version it was based on, so the station keeps it as a
        conflict instead of applying it if the office moved the dossier on meanwhile.
        """
        session = self._need_session()
        record_id = self.store.find_record_id(id_or_code)
        if record_id is None:
            raise problem("DOSSIER_NOT_FOUND", "id")
        old, _ = self._load(record_id)
        role = Role(session.role) if session.role in Role._value2member_map_ else None
        if role is None:
            raise problem("ROLE_UNKNOWN", "role", role=session.role)
        status = next_status(old.status, "supplement", role)
        procedure = self.procedure(old.procedure)
        clean = validate(procedure, values, self.clock().date()).raise_if_invalid()
        now = self.clock().isoformat(timespec="seconds")
        dossier = Dossier(
            **{
                **old.__dict__,
                "values": clean,
                "status": status,
                "version": old.version + 1,
                "base_version": old.version,
                "procedure_version": procedure.version,
                "history": [
                    *old.history,
                    HistoryEntry(
                        "supplement",
                        old.status.value,
                        status.value,
                        session.username,
                        session.role,
                        now,
                    ),
                ],
            }
        )
        with self.store.transaction():
            self._save(dossier, None)
            self._queue(dossier)
        return self._summary(dossier)

    def _save(self, dossier: Dossier, sync_problem: dict[str, Any] | None) -> None:
        blob = self.keys.seal_record(
            dossier.id,
            dossier.version,
            {"dossier": dossier.to_dict(), "sync_problem": sync_problem},
        )
        self.store.put_record(
            {
                "id": dossier.id,
                "kind": "dossier",
                "code": dossier.code,
                "procedure": dossier.procedure,
                "status": dossier.status.value,
                "version": dossier.version,
                "received_at": dossier.received_at,
                "due_at": dossier.due_at,
                "blob": blob,
            }
        )

    def _queue(self, dossier: Dossier) -> None:
        seq = self.store.next_counter("outbox_seq")
        payload = json.dumps(
            {"type": CHANGE_DOSSIER_SUBMIT, "dossier": dossier.to_dict()}, ensure_ascii=False
        ).encode()
        env = seal_envelope(
            EnvelopeContext(KIND_CHANGE, self.device_id, STATION, seq, dossier.id, dossier.version),
            payload,
            crypto.b64d(self.store.get_meta("station_x25519_pub")),
            self.keys.device.ed25519_sk,
        )
        self.store.append_outbox(seq, dossier.id, dossier.version, json.dumps(env.to_json()))

    # --- reading ---
    def _load(self, record_id: str) -> tuple[Dossier, dict[str, Any] | None]:
        row = self.store.get_record(record_id)
        if row is None:
            raise problem("DOSSIER_NOT_FOUND", "id")
        data = self.keys.open_record(row["id"], row["version"], row["blob"])
        return Dossier.from_dict(data["dossier"]), data.get("sync_problem")

    def _summary(self, d: Dossier) -> DossierSummary:
        try:
            title_field = self.procedure(d.procedure).title_field
        except TaiChoError:
            title_field = ""
        return DossierSummary(
            d.id,
            d.code,
            d.procedure,
            d.status.value,
            d.title(title_field),
            d.received_at,
            d.due_at,
            d.version,
            self.store.get_result(d.id) is not None,
        )

    def list_dossiers(self, day: date | None = None) -> list[DossierSummary]:
        self._need_session()
        since = day.isoformat() if day else None
        out = []
        for row in self.store.list_records(since):
            d, _ = self._load(row["id"])
            if day is None or (d.received_at or "")[:10] == day.isoformat():
                out.append(self._summary(d))
        return out

    def get(self, id_or_code: str) -> dict[str, Any]:
        self._need_session()
        record_id = self.store.find_record_id(id_or_code)
        if record_id is None:
            raise problem("DOSSIER_NOT_FOUND", "id")
        d, sync_problem = self._load(record_id)
        out = d.to_dict()
        out["sync_problem"] = sync_problem
        out["has_result"] = self.store.get_result(d.id) is not None
        return out

    def result_pdf(self, id_or_code: str) -> bytes:
        self._need_session()
        record_id = self.store.find_record_id(id_or_code)
        if record_id is None:
            raise problem("DOSSIER_NOT_FOUND", "id")
        row = self.store.get_result(record_id)
        if row is None:
            raise problem("RESULT_NOT_READY", "id")
        return self.keys.open_blob(f"result:{record_id}", row["blob"])

    # --- sync ---
    def sync_state(self) -> SyncState:
        return SyncState(
            enrolled=self.enrolled,
            station_url=self.store.get_meta("station_url"),
            pending=self.store.pending_count(),
            inbox_waiting=len(self.store.unapplied_inbox()),
            set_aside=self.store.quarantined_count(),
            last_sync_at=self.store.get_meta("last_sync_at"),
            last_error=self.store.get_meta("last_sync_error"),
        )

    def sync(self) -> SyncReport:
        """Push the outbox, pull the feed, and open what came if unlocked.

        Works while locked. A failure leaves everything queued and is recorded for the
        sync indicator; the next sync resumes from the acknowledged sequence.
        """
        client = self._client()
        try:
            pushed, rejected = self._push(client)
            pulled = self._pull(client)
        except TaiChoError as err:
            self.store.set_meta("last_sync_error", err.to_problem())
            self._maybe_wipe(err)
            raise
        finally:
            client.close()
        now = self.clock().isoformat(timespec="seconds")
        self.store.set_many_meta({"last_sync_at": now, "last_sync_error": None})
        applied = self.apply_inbox() if self.keys.unlocked else 0
        return SyncReport(pushed, pulled, applied, self.store.pending_count(), now, rejected)

    def _push(self, client: SyncClient) -> tuple[int, list[dict[str, Any]]]:
        pushed, rejected = 0, []
        while batch := self.store.pending_outbox(MAX_PUSH_BATCH):
            envelopes = [json.loads(r["envelope"]) for r in batch]
            # A resent, already-applied change comes back as a harmless "duplicate", so a
            # lost acknowledgement needs no special case here.
            answer = client.push(self.device_id, envelopes)
            acked = int(answer["acked_seq"])
            self.store.ack_outbox(acked)
            pushed += sum(1 for r in answer.get("results", []) if r["outcome"] == "applied")
            rejected += [
                r for r in answer.get("results", []) if r["outcome"] in ("rejected", "conflict")
            ]
            if acked < batch[-1]["seq"]:
                raise problem("STATION_ERROR", None, detail=f"station acknowledged only {acked}")
        return pushed, rejected

    def _pull(self, client: SyncClient) -> int:
        pulled = 0
        cursor = int(self.store.get_meta("pull_cursor", 0))
        while True:
            answer = client.pull(self.device_id, cursor)
            with self.store.transaction():
                for item in answer.get("items", []):
                    env = Envelope.from_json(item)
                    self.store.add_inbox(env.ctx.seq, json.dumps(item))
                    pulled += 1
                cursor = int(answer.get("next", cursor))
                self.store.set_meta("pull_cursor", cursor)
            if not answer.get("more"):
                return pulled

    def apply_inbox(self) -> int:
        """Open pulled envelopes (needs the device key, so only while unlocked)."""
        if not self.keys.unlocked:
            return 0
        station_ed = crypto.b64d(self.store.get_meta("station_ed25519_pub"))
        applied = 0
        for row in self.store.unapplied_inbox():
            try:
                env = Envelope.from_json(json.loads(row["envelope"]))
                expect = EnvelopeContext(
                    KIND_FEED,
                    STATION,
                    self.device_id,
                    row["seq"],
                    env.ctx.record_id,
                    env.ctx.version,
                )
                payload = json.loads(
                    open_envelope(env, self.keys.device.x25519_sk, station_ed, expect=expect)
                )
                with self.store.transaction():
                    self._apply_feed(payload)
                    self.store.mark_inbox_applied(row["seq"])
            except (TaiChoError, ValueError, KeyError, TypeError) as exc:
                # A forged or damaged item must not block every later one (nor unlocking):
                # keep it, sealed, set aside with the reason, and go on.
                err = (
                    exc
                    if isinstance(exc, TaiChoError)
                    else problem("STORE_CORRUPT", None, detail=type(exc).__name__)
                )
                self.store.quarantine_inbox(row["seq"], err.code)
                continue
            applied += 1
        return applied

    def _apply_feed(self, item: dict[str, Any]) -> None:
        record_id = str(item.get("dossier_id"))
        if self.store.get_record(record_id) is None:
            return  # not ours (or wiped): nothing to update
        dossier, _ = self._load(record_id)
        if item.get("type") == FEED_DOSSIER_REJECTED:
            self._save(dossier, item.get("problem"))
            return
        if item.get("type") != FEED_DOSSIER_STATE or int(item["version"]) < dossier.version:
            return
        dossier.status = Status(item["status"])
        dossier.version = int(item["version"])
        dossier.history = [HistoryEntry.from_dict(h) for h in item.get("history", [])]
        dossier.due_at = item.get("due_at") or dossier.due_at
        result = item.get("result")
        if result:
            pdf = crypto.b64d(result["pdf_b64"])
            if hashlib.sha256(pdf).hexdigest() != result["sha256"]:
                raise problem("DECRYPT_FAILED")
            dossier.result_sha256 = result["sha256"]
            self.store.put_result(
                dossier.id, result["sha256"], self.keys.seal_blob(f"result:{dossier.id}", pdf)
            )
        self._save(dossier, None)

    def _maybe_wipe(self, err: TaiChoError) -> None:
        if err.code == "DEVICE_REVOKED":
            self.keys.lock()
            self.store.wipe()
