"""Dossiers on the tablet: intake, supplements and reading, all encrypted at rest.

Every change is stored and queued for the station in one transaction (``outbox``)."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from mobile.services.attachments import AttachmentService
from mobile.services.context import TabletContext
from mobile.services.outbox import OutboxService
from shared import crypto
from shared import messages as m
from shared.card_fill import parties
from shared.catalogue import Procedure
from shared.checklist import Checklist, check_components, check_refs, form_text
from shared.codes import Block, NumberBook, make_code, reserve_days
from shared.documents.declaration import (
    DeclarationInput,
    declaration_of,
    render_declaration,
)
from shared.documents.paperwork import Component as PaperComponent
from shared.documents.paperwork import PaperDossier, render_receipt, render_supplement_request
from shared.documents.paperwork.of_dossier import (
    PAPER_NAMES,
    as_receipt,
    file_name,
    paper_of,
    papers_of,
    with_supplement_request,
)
from shared.errors import TaiChoError, problem
from shared.model import AttachmentRef, Dossier, DossierSummary, HistoryEntry
from shared.signatures import SignatureMark, check_marks, require_all
from shared.unit import Unit
from shared.validation import ValidationResult, validate
from shared.workdays import due_at
from shared.workflow import STATUS_LABEL_VI, Action, Role, Status, next_status

# The papers a tablet prints itself (the refusal, apology and control sheet are the
# office's, printed at the desk).
TABLET_PAPERS = ("receipt", "declaration", "supplement-request", "result")


class DossierService:
    def __init__(
        self,
        ctx: TabletContext,
        outbox: OutboxService,
        attachments: AttachmentService | None = None,
    ) -> None:
        self.ctx = ctx
        self.outbox = outbox
        self.attachments = attachments or AttachmentService(ctx)

    # --- catalogue & validation ---
    def procedures(self) -> list[Procedure]:
        """What a new dossier can be filled under: an imported procedure the office
        switched off is kept (its dossiers still open) but not offered."""
        return [p for p in self.ctx.catalogue.all() if p.enabled]

    def procedure(self, code: str) -> Procedure:
        return self.ctx.catalogue.get(code)

    def procedure_of(self, dossier: Dossier) -> Procedure:
        """The version a dossier was filled under (it keeps it through supplements); the
        current one if this tablet no longer knows it."""
        try:
            return self.ctx.catalogue.get(dossier.procedure, dossier.procedure_version)
        except TaiChoError:
            return self.procedure(dossier.procedure)

    def check(self, procedure_code: str, values: dict[str, Any]) -> ValidationResult:
        return validate(self.procedure(procedure_code), values, self.ctx.clock().date())

    # --- dossier numbers (blocks reserved by the station, shared.codes) ---
    def number_book(self, unit_code: str) -> NumberBook:
        return NumberBook(self.ctx.store.get_meta(f"numbers:{unit_code}"))

    def save_number_book(self, unit_code: str, book: NumberBook) -> None:
        book.forget_before(self.ctx.clock().date() - timedelta(days=1))
        self.ctx.store.set_meta(f"numbers:{unit_code}", book.to_dict())

    def add_numbers(self, item: m.NumberBlock) -> None:
        """A block from the feed (inside the inbox's transaction)."""
        book = self.number_book(item.unit)
        book.add(Block(date.fromisoformat(item.day), item.lo, item.hi))
        self.save_number_book(item.unit, book)

    def numbers_left(self, day: date | None = None) -> int:
        """Unused dossier numbers of ``day`` (today by default) on this tablet."""
        code = self.ctx.unit().get("code")
        if not isinstance(code, str) or not code:
            return 0
        return self.number_book(code).left(day or self.ctx.clock().date())

    def numbers_report(self) -> list[m.NumbersLeft] | None:
        """What this tablet still holds for today and the coming days (sent with a pull)."""
        code = self.ctx.unit().get("code")
        if not isinstance(code, str) or not code:
            return None
        book = self.number_book(code)
        days = reserve_days(self.ctx.clock().date())
        return [m.NumbersLeft(d.isoformat(), left) for d, left in book.report(days)]

    # --- changes ---
    def _role(self, role: str) -> Role:
        if role not in Role._value2member_map_:
            raise problem("ROLE_UNKNOWN", "role", role=role)
        return Role(role)

    def completeness(
        self,
        procedure: Procedure,
        values: dict[str, Any],
        components_received: list[str] | None,
        photos: dict[str, int] | None = None,
    ) -> Checklist:
        """The checklist verdict on cleaned ``values`` (shared.checklist); ``photos``
        None when the caller takes none (scripts), so only the ticks are judged."""
        return check_components(procedure, values, components_received or [], photos)

    def _check_attachments(
        self, procedure: Procedure, attachments: list[AttachmentRef]
    ) -> list[AttachmentRef]:
        """The references fit the procedure and name pictures held here (before storing)."""
        refs = list(attachments)
        check_refs(procedure, refs)
        self.attachments.require(refs)
        return refs

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
        """Validate, check complete, number, store (encrypted) and queue (sealed) one
        received dossier.

        ``competent_unit``: the unit code of the commune competent to decide when it is
        another commune of the province (Nghị định 118/2025/NĐ-CP); the station sends
        the dossier there through the provincial hub. This commune's own code is None.

        ``read_back_at`` is when the citizen confirmed the read-back (None from scripts).
        ``components_received`` are the ticked components (None: nothing ticked); a
        dossier missing a required one is refused with ``DOSSIER_INCOMPLETE`` and
        nothing is numbered or stored — only a complete dossier is received.
        ``attachments``: photos of its documents (``TabletService.add_attachment``); each
        must be in this tablet's store (ATTACHMENT_UNKNOWN) and is queued for upload.
        ``signatures``: the parties' marks on the declaration; when given (the app always
        gives them), every signing party must have one (``SIGNATURE_MISSING``) and each
        must be sane (``shared.signatures``). None from scripts: no marks recorded.
        """
        ctx = self.ctx
        session = ctx.need_session()
        status = next_status(Status.DRAFT, "receive", self._role(session.role))
        unit_code = ctx.unit_code()
        procedure = self.procedure(procedure_code)
        clean = validate(procedure, values, ctx.clock().date()).raise_if_invalid()
        ticked = list(dict.fromkeys(components_received or []))
        refs = self._check_attachments(procedure, attachments or [])
        # Photos are judged when the caller takes them (the app passes its list, maybe
        # empty); a script passing none is judged on the ticks only, like the station.
        photos = None if attachments is None else Counter(r.component for r in refs)
        self.completeness(procedure, clean, ticked, photos).raise_if_incomplete()
        marks = require_all(procedure, signatures) if signatures is not None else []
        now = ctx.clock()
        today: date = now.date()
        at = now.isoformat(timespec="seconds")
        with ctx.store.transaction():
            book = self.number_book(unit_code)
            code = make_code(unit_code, today, book.take(today))
            self.save_number_book(unit_code, book)
            dossier = Dossier(
                id=str(uuid.uuid4()),
                code=code,
                procedure=procedure.code,
                procedure_version=procedure.version,
                values=clean,
                status=status,
                version=1,
                base_version=0,
                device_id=ctx.device_id,
                received_by=session.username,
                received_at=at,
                read_back_at=read_back_at,
                signatures=marks,
                components_received=ticked,
                competent_unit=None if competent_unit == unit_code else competent_unit,
                due_at=due_at(
                    now, procedure.time_limit_working_days, overrides=ctx.calendar()
                ).isoformat(),
                history=[
                    HistoryEntry(
                        Action.RECEIVE,
                        Status.DRAFT.value,
                        status.value,
                        session.username,
                        session.role,
                        at,
                    )
                ],
                attachments=refs,
            )
            self.save(dossier, None)
            self.outbox.queue(dossier)
            self.attachments.queue(refs)
        return self.summary(dossier)

    def supplement(
        self,
        id_or_code: str,
        values: dict[str, Any],
        read_back_at: str | None = None,
        *,
        components_received: list[str] | None = None,
        attachments: list[AttachmentRef] | None = None,
        signatures: Sequence[SignatureMark] | None = None,
    ) -> DossierSummary:
        """Re-submit a dossier the appraiser sent back, with corrected or added values.

        Allowed only in ``supplement_requested`` (the handbook's edit rule); the new
        version records the version it was based on, so the station keeps it as a
        conflict instead of applying it if the office moved the dossier on meanwhile.
        ``components_received`` None keeps the ticks of the dossier as received; either
        way the completed dossier must be complete for its (possibly changed) values.
        ``attachments``: the dossier's whole list of photos now (None keeps the old list).
        """
        ctx = self.ctx
        session = ctx.need_session()
        old, _ = self.load(self._record_id(id_or_code))
        status = next_status(old.status, "supplement", self._role(session.role))
        procedure = self.procedure_of(old)
        clean = validate(procedure, values, ctx.clock().date()).raise_if_invalid()
        ticked = list(
            dict.fromkeys(
                old.components_received if components_received is None else components_received
            )
        )
        refs = (
            list(old.attachments)
            if attachments is None
            else self._check_attachments(procedure, attachments)
        )
        photos = None if attachments is None else Counter(r.component for r in refs)
        self.completeness(procedure, clean, ticked, photos).raise_if_incomplete()
        # The corrected declaration is signed again; scripts (None) keep the old marks.
        marks = require_all(procedure, signatures) if signatures is not None else old.signatures
        now = ctx.clock().isoformat(timespec="seconds")
        dossier = Dossier(
            **{
                **old.__dict__,
                "values": clean,
                "status": status,
                "version": old.version + 1,
                "base_version": old.version,
                "procedure_version": procedure.version,
                "read_back_at": read_back_at or old.read_back_at,
                "signatures": marks,
                "components_received": ticked,
                "attachments": refs,
                "history": [
                    *old.history,
                    HistoryEntry(
                        Action.SUPPLEMENT,
                        old.status.value,
                        status.value,
                        session.username,
                        session.role,
                        now,
                    ),
                ],
            }
        )
        with ctx.store.transaction():
            self.save(dossier, None)
            self.outbox.queue(dossier)
            self.attachments.queue(refs)
        return self.summary(dossier)

    # --- the supplement request for a dossier not received (incomplete) ---
    def supplement_request_pdf(
        self, procedure_code: str, values: dict[str, Any], missing: list[str]
    ) -> bytes:
        """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02) for a dossier that cannot be
        received because papers are missing: the station's layout (shared.documents),
        filled here because nothing reached the station — the dossier has no code yet
        and is kept as a draft. ``values`` as typed (the citizen's name, address, phone);
        ``missing`` one line per missing item (shared.checklist ``Missing.text``)."""
        ctx = self.ctx
        session = ctx.need_session()
        procedure = self.procedure(procedure_code)
        try:
            unit = Unit.from_dict(ctx.unit())
        except TaiChoError:
            raise problem("UNIT_NOT_CONFIGURED", "unit") from None
        first = parties(procedure)[0].prefix if parties(procedure) else "requester"

        def text(key: str) -> str:
            value = values.get(key)
            return value.strip() if isinstance(value, str) else ""

        now = ctx.clock()
        paper = PaperDossier(
            agency_lines=unit.agency_lines,
            agency_name=unit.name,
            place_name=unit.place_name,
            code="chưa cấp (hồ sơ chưa đủ thành phần, chưa tiếp nhận)",
            procedure=f"{procedure.name.vi} (mã thủ tục {procedure.code})",
            citizen=text(f"{first}_full_name") or text(procedure.title_field),
            citizen_address=text(f"{first}_residence"),
            citizen_phone=text(f"{first}_phone") or text("contact_phone"),
            components=tuple(
                PaperComponent(c.name.vi, form_text(c.form)) for c in procedure.components
            ),
            time_limit_days=procedure.time_limit_working_days,
            reason="Hồ sơ chưa đủ thành phần theo quy định của thủ tục.",
            items=tuple(missing),
            by=session.full_name or session.username,
            at=now,
            issued_on=now.date(),
        )
        return render_supplement_request(paper)

    # --- storage ---
    def save(self, dossier: Dossier, sync_problem: dict[str, Any] | None) -> None:
        ctx = self.ctx
        blob = ctx.keys.seal_record(
            dossier.id,
            dossier.version,
            {"dossier": dossier.to_dict(), "sync_problem": sync_problem},
        )
        ctx.store.put_record(
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

    def load(self, record_id: str) -> tuple[Dossier, dict[str, Any] | None]:
        ctx = self.ctx
        row = ctx.store.get_record(record_id)
        if row is None:
            raise problem("DOSSIER_NOT_FOUND", "id")
        data = ctx.keys.open_record(row["id"], row["version"], row["blob"])
        return Dossier.from_dict(data["dossier"]), data.get("sync_problem")

    def _record_id(self, id_or_code: str) -> str:
        record_id = self.ctx.store.find_record_id(id_or_code)
        if record_id is None:
            raise problem("DOSSIER_NOT_FOUND", "id")
        return record_id

    # --- reading ---
    def summary(self, d: Dossier) -> DossierSummary:
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
            self.ctx.store.get_result(d.id) is not None,
        )

    def list_dossiers(self, day: date | None = None) -> list[DossierSummary]:
        self.ctx.need_session()
        since = day.isoformat() if day else None
        out = []
        for row in self.ctx.store.list_records(since):
            d, _ = self.load(row["id"])
            if day is None or (d.received_at or "")[:10] == day.isoformat():
                out.append(self.summary(d))
        return out

    def get(self, id_or_code: str) -> dict[str, Any]:
        self.ctx.need_session()
        d, sync_problem = self.load(self._record_id(id_or_code))
        out = d.to_dict()
        out["sync_problem"] = sync_problem
        out["has_result"] = self.ctx.store.get_result(d.id) is not None
        return out

    def result_pdf(self, id_or_code: str) -> bytes:
        self.ctx.need_session()
        record_id = self._record_id(id_or_code)
        row = self.ctx.store.get_result(record_id)
        if row is None:
            raise problem("RESULT_NOT_READY", "id")
        return self.ctx.keys.open_blob(f"result:{record_id}", row["blob"])

    # --- the declaration (tờ khai) ---
    def _unit(self) -> Unit:
        raw = self.ctx.unit()
        if not raw.get("code"):
            raise problem("UNIT_NOT_CONFIGURED", "unit")
        return Unit.from_dict(raw)

    def declaration_pdf(self, id_or_code: str) -> bytes:
        """The received dossier's declaration, signatures drawn in: the same document the
        station serves at ``/v1/dossiers/{id}/declaration.pdf``."""
        self.ctx.need_session()
        d, _ = self.load(self._record_id(id_or_code))
        return render_declaration(declaration_of(d, self.procedure_of(d), self._unit()))

    def form_declaration_pdf(
        self,
        procedure_code: str,
        values: dict[str, Any],
        read_back_at: str | None = None,
        signatures: Sequence[SignatureMark] = (),
    ) -> bytes:
        """The declaration of a form not yet received (to read in large print, print and
        sign on paper, or check the on-screen signature): the checked values, no code."""
        self.ctx.need_session()
        procedure = self.procedure(procedure_code)
        today = self.ctx.clock().date()
        clean = validate(procedure, values, today).raise_if_invalid()
        marks = check_marks(procedure, signatures)  # some parties may not have signed yet
        return render_declaration(
            DeclarationInput(
                procedure, clean, self._unit(), marks, moments=(read_back_at,), today=today
            )
        )

    # --- the papers printed at the counter or the home visit (issue 21 §2) ---
    def papers(self, id_or_code: str) -> list[str]:
        """The papers this tablet prints for a dossier, offline: receipt, declaration, the
        office's supplement request, the result (``of_dossier.PAPER_NAMES`` keys)."""
        self.ctx.need_session()
        record_id = self._record_id(id_or_code)
        d, _ = self.load(record_id)
        has_result = self.ctx.store.get_result(record_id) is not None
        have = papers_of(d.status.value, (h.action for h in d.history), has_result)
        return [p for p in have if p in TABLET_PAPERS]

    def _name_of(self, username: str) -> tuple[str, str]:
        """(full name, title) of a staff member as this tablet knows them."""
        session = self.ctx.need_session()
        if username == session.username and session.full_name:
            return session.full_name, ""
        raw = self.ctx.store.get_meta("office_staff", [])
        for x in raw if isinstance(raw, list) else []:
            if isinstance(x, dict) and x.get("username") == username and x.get("full_name"):
                return str(x["full_name"]), ""
        return username, ""

    def paper_pdf(self, id_or_code: str, paper: str) -> tuple[str, bytes]:
        """(file name, PDF) of one of :meth:`papers`, rendered here from the dossier as
        the station renders its copy (``shared.documents.paperwork.of_dossier``)."""
        self.ctx.need_session()
        record_id = self._record_id(id_or_code)
        d, _ = self.load(record_id)
        name = file_name(d.code, paper)
        if paper == "result":
            return name, self.result_pdf(record_id)
        if paper == "declaration":
            return name, self.declaration_pdf(record_id)
        p = paper_of(d, self.procedure_of(d), self._unit(), self._name_of)
        if paper == "receipt" and d.status is not Status.DRAFT:
            return name, render_receipt(as_receipt(p))
        asked = with_supplement_request(p, d, self._name_of)
        if paper == "supplement-request" and asked is not None:
            return name, render_supplement_request(asked)
        raise problem(
            "PAPER_NOT_APPLICABLE",
            "paper",
            status=STATUS_LABEL_VI[d.status],
            paper=PAPER_NAMES.get(paper, (paper, paper))[0].lower(),
        )

    def result_pages(self, id_or_code: str) -> list[bytes]:
        """The result's pages as PNG pictures (the station renders them; [] if none came)."""
        self.ctx.need_session()
        record_id = self._record_id(id_or_code)
        row = self.ctx.store.get_result(record_id)
        if row is None:
            raise problem("RESULT_NOT_READY", "id")
        if not row.get("pages"):
            return []
        listed = json.loads(self.ctx.keys.open_blob(f"result-pages:{record_id}", row["pages"]))
        return [crypto.b64d(str(x)) for x in listed]
