"""Intake part of the app state: the new-dossier form, its drafts, preview, receipt and
the supplement of a dossier sent back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from mobile.i18n import tr
from mobile.services.drafts import Draft
from mobile.services.drafts import Drafts as DraftStore
from mobile.state.backend import Failed, run_guarded, user_message
from mobile.state.base import (
    ROUTE_FORM,
    ROUTE_PICK,
    ROUTE_PREVIEW,
    ROUTE_RECEIPT,
    StateBase,
)
from mobile.state.competent import CompetentView, competent_view
from mobile.state.fmt import supplement_reason
from mobile.state.form import FormPhoto, FormState
from shared.card_fill import card_of, fill_from_card, parties, residence_text
from shared.cccd import scanned_card
from shared.checklist import Checklist
from shared.errors import TaiChoError, problem
from shared.model import AttachmentRef, DossierSummary
from shared.validation import ValidationResult

_log = logging.getLogger("mobile")


class IntakeMixin(StateBase):
    """New dossier, drafts, preview, save, supplement."""

    # --- new dossier ---
    def new_dossier(self, procedure_code: str) -> None:
        self.touch()
        try:
            procedure = self.service.dossiers.procedure(procedure_code)
        except TaiChoError as err:
            self._fail(err)
            return
        self.form = FormState.new(procedure, self.lang)
        self.banner = ""
        self.route = ROUTE_FORM

    def set_field(self, field_id: str, value: Any) -> None:
        self.touch()
        if self.form is not None:
            self.form.set_value(field_id, value)
            self._draft_dirty = True

    # --- drafts (encrypted autosave) ---
    def _drafts(self) -> DraftStore:
        return DraftStore(self.service.data_dir, self.service.keys)

    def save_draft(self) -> bool:
        """Seal what is typed into the form's draft; called every second while dirty,
        and before locking. True when something was written."""
        form = self.form
        if form is None or not self._draft_dirty or self.user is None:
            return False
        draft = Draft(
            id=form.draft_id,
            procedure=form.procedure.code,
            title=form.title(),
            saved_at=self.service.clock().isoformat(timespec="seconds"),
            values=dict(form.raw.values),
            supplement_of=form.supplement_of,
            components=list(form.ticked),
            photos=[p.ref.to_dict() for p in form.photos],
        )
        try:
            self.backend.call(self._drafts().save, draft)
        except (TaiChoError, OSError) as err:
            self._fail(err)
            return False
        self._draft_dirty = False
        return True

    def open_draft(self, draft_id: str) -> None:
        self.touch()
        try:
            draft = self.backend.call(self._drafts().load, draft_id)
            procedure = self.service.dossiers.procedure(draft.procedure)
        except TaiChoError as err:
            self._fail(err)
            return
        self.form = FormState.from_draft(procedure, draft, self.lang)
        self._restore_photos(self.form, draft)
        if draft.supplement_of:  # the dossier's photos sent earlier stay with it
            self._restore_kept(self.form, draft.supplement_of)
        self.banner = ""
        self.route = ROUTE_FORM

    def _restore_photos(self, form: FormState, draft: Draft) -> None:
        """The draft's photos back on the form, thumbnails read from the sealed store; one
        that cannot be read (a damaged reference, a wiped store) is left out, said once."""
        known = {c.id for c in form.procedure.components}
        lost: list[str] = []
        for raw in draft.photos:
            try:
                ref = AttachmentRef.from_dict(raw)
                if ref.component not in known:
                    raise problem(
                        "REQUEST_INVALID",
                        "component",
                        detail=ref.component,
                        detail_vi=f"thành phần '{ref.component}' không có trong thủ tục",
                    )
                thumb = self.backend.call(self.service.attachments.get, ref.sha256)
            except TaiChoError as err:
                _log.warning("draft photo left out: %s", err.code)
                sha = raw.get("sha256") if isinstance(raw, dict) else None
                lost.append(str(sha)[:12] if sha else "?")
                continue
            form.photos = [*form.photos, FormPhoto(ref.component, ref, thumb, ref.mime)]
        if lost:
            self._fail(problem("ATTACHMENT_UNKNOWN", "attachments", sha=", ".join(lost)))

    def _kept_photos(self, refs: list[dict[str, Any]]) -> list[FormPhoto]:
        """A dossier's photos already sent, with thumbnails from the sealed store (a
        picture no longer held here is still referred to, shown without a thumbnail)."""
        out: list[FormPhoto] = []
        for raw in refs:
            ref = AttachmentRef.from_dict(raw)
            try:
                thumb = self.backend.call(self.service.attachments.get, ref.sha256)
            except TaiChoError as err:
                _log.warning("kept photo without thumbnail: %s", err.code)
                thumb = b""
            out.append(FormPhoto(ref.component, ref, thumb, ref.mime))
        return out

    def _restore_kept(self, form: FormState, dossier_id: str) -> None:
        try:
            d = self.backend.call(self.service.dossiers.get, dossier_id)
        except TaiChoError as err:
            self._fail(err)
            return
        form.kept = self._kept_photos(list(d.get("attachments") or []))
        form.ask(supplement_reason(list(d.get("history") or [])))

    def _drop_draft(self, draft_id: str) -> None:
        try:
            self.backend.call(self._drafts().delete, draft_id)
        except (TaiChoError, OSError) as err:
            self._fail(err)

    def push_field(self, field_id: str, value: Any) -> None:
        """A value set by the app (date picker): the field shows it."""
        self.touch()
        if self.form is not None:
            self.form.push_value(field_id, value)

    def pick_date(self, field_id: str, value: str) -> None:
        """A date picked on the calendar: shown, and checked as if typed and left."""
        self.push_field(field_id, value)
        self.blur_field(field_id)

    # --- checking where the error happens (issue 21, item 5) ---
    def _check_now(self, form: FormState) -> ValidationResult | None:
        """The whole form checked now (pure and fast: ``shared.validation``)."""
        try:
            return self.backend.call(
                self.service.dossiers.check, form.procedure.code, form.values_for_check()
            )
        except TaiChoError as err:
            self._fail(err)
            return None

    def blur_field(self, field_id: str) -> None:
        """A field lost the focus: its problem (if any) shows under it now, and the
        count in the summary follows."""
        form = self.form
        if form is None:
            return
        if (result := self._check_now(form)) is not None:
            form.blur(field_id, result)

    def recheck_shown(self) -> None:
        """Check again what is shown (the language changed: messages follow it)."""
        form = self.form
        if form is None or not (form.errors or form.others):
            return
        if (result := self._check_now(form)) is not None:
            form.show(result)

    def form_step(self, index: int) -> None:
        """Go to a step (a step chip, "Quay lại"). Going forward shows the problems of
        the step left, without holding staff there: a chip is the way to skip ahead."""
        self.touch()
        form = self.form
        if form is None:
            return
        cur = form.current_step()
        forward = index > cur and not form.on_checklist()
        if forward and (result := self._check_now(form)) is not None:
            form.leave_step(cur, result)
        form.go_step(index)

    def next_step(self) -> bool:
        """ "Tiếp": the step is checked when it is left; with a problem the form stays
        on it, the fields in red and the count above (a birth date in 2027 no longer
        passes every step to surface at the preview)."""
        self.touch()
        form = self.form
        if form is None:
            return False
        cur = form.current_step()
        if not form.on_checklist():
            result = self._check_now(form)
            if result is None or form.leave_step(cur, result):
                return False
        form.go_step(cur + 1)
        return True

    async def preview(self) -> bool:
        """Validate the form; then check the papers (item 6: before the citizen reads
        three screens and confirms, not after); on success go to the large-print
        read-back."""
        self.touch()
        form = self.form
        if form is None:
            return False
        try:
            result = await run_guarded(
                self,
                "check",
                self.service.dossiers.check,
                form.procedure.code,
                form.values_for_check(),
            )
        except Failed:
            return False
        if not form.apply_check(result):
            return False
        if not form.checklist().complete:
            form.checked = None  # nothing to read back before the papers are there
            form.papers_missing = True
            form.go_step(form.step_count() - 1)
            return False
        form.papers_missing = False
        self.banner = ""
        self.route = ROUTE_PREVIEW
        return True

    def back_to_form(self) -> None:
        self.go(ROUTE_FORM)

    def back_to_checklist(self) -> None:
        """From the read-back to the form's last step, "Thành phần hồ sơ"."""
        self.touch()
        if self.form is not None:
            self.form.go_step(self.form.step_count() - 1)
        self.go(ROUTE_FORM)

    # --- "Cơ quan giải quyết": the competent commune (state/competent.py) ---
    def competent(self) -> CompetentView | None:
        """The commune that will decide this form's dossier, and why (None: none to show)."""
        if self.form is None:
            return None
        return competent_view(self.service, self.form)

    def open_competent(self, opened: bool = True) -> None:
        """Show (or hide) the list of the province's communes to pick from."""
        self.touch()
        if self.form is not None:
            self.form.competent_open = opened
            self.form.competent_query = ""

    def search_competent(self, query: str) -> None:
        """Narrow the list by name (accents and case ignored)."""
        self.touch()
        if self.form is not None:
            self.form.competent_query = query

    def pick_competent(self, unit_code: str) -> None:
        """The officer's choice: this commune's own code means no relay."""
        self.touch()
        form = self.form
        if form is None:
            return
        form.competent_pick = unit_code
        form.competent_open = False
        form.competent_query = ""
        form.read_back_at = ""  # the citizen reads the decision again
        self._draft_dirty = True

    # --- the completeness checklist ("Thành phần hồ sơ") ---
    def toggle_component(self, component_id: str) -> None:
        """Tick or untick a paper the citizen handed in."""
        self.touch()
        if self.form is not None:
            self.form.toggle(component_id)
            self._draft_dirty = True

    async def add_photo(self, component_id: str, data: bytes, mime: str | None) -> bool:
        """A photo (camera or file) of one component: sealed in the tablet's attachment
        store, its reference kept on the form for the dossier, a thumbnail shown."""
        self.touch()
        form = self.form
        if form is None or not data:
            return False
        try:
            ref = await run_guarded(
                self, "photo", self.service.add_attachment, data, mime, component_id
            )
        except Failed:
            return False
        if not form.add_photo(FormPhoto(component_id, ref, data, mime or "")):
            # The same picture (same bytes once stored) is already there for this paper.
            name = next(
                (c.name.get(self.lang) for c in form.procedure.components if c.id == component_id),
                component_id,
            )
            self.banner = tr(
                self.lang, "Ảnh này đã có trong hồ sơ ({name}): không thêm lần nữa.", name=name
            )
            self.banner_ok = False
            return False
        self._draft_dirty = True
        return True

    def remove_photo(self, index: int) -> None:
        self.touch()
        if self.form is not None:
            self.form.remove_photo(index)
            self._draft_dirty = True

    def remove_kept(self, index: int) -> None:
        """A supplement drops a photo sent earlier (the new one replaces it)."""
        self.touch()
        if self.form is not None:
            self.form.remove_kept(index)
            self._draft_dirty = True

    def leave_form(self) -> None:
        """ "Quay lại" on the first step: a supplement goes back to its dossier, a new
        dossier to the procedure picker."""
        self.touch()
        form = self.form
        if form is not None and form.supplement_of:
            self.open_dossier(form.supplement_of)
            return
        self.go(ROUTE_PICK)

    async def supplement_request(self) -> tuple[str, bytes] | None:
        """The supplement request (Phiếu yêu cầu bổ sung) listing what is missing, for
        the screen to hand to the browser download or the device's save dialog. The
        dossier is not received; its draft is kept (saved now) for when the citizen
        comes back with the papers."""
        self.touch()
        form = self.form
        if form is None:
            return None
        checklist = form.checklist()
        if checklist.complete:
            return None
        lines = [m.text(form.lang) for m in checklist.missing]
        try:
            pdf = await run_guarded(
                self,
                "paper",
                self.service.dossiers.supplement_request_pdf,
                form.procedure.code,
                form.values_for_check(),
                lines,
            )
        except Failed:
            return None
        self._draft_dirty = True
        self.save_draft()
        self.paper_path = f"phieu-yeu-cau-bo-sung-{form.draft_id[:8]}.pdf"
        self._info(
            tr(self.lang, "Hồ sơ chưa đủ: đã lập phiếu yêu cầu bổ sung; bản nháp được giữ lại.")
        )
        return self.paper_path, pdf

    def _intake_call(self, form: FormState) -> Callable[[], DossierSummary]:
        """The service call that receives (or re-submits) this form's dossier, with the
        ticked components and the references of the photos taken."""
        extra: dict[str, Any] = {
            "components_received": list(form.ticked),
            "attachments": form.attachment_refs(),  # the app takes photos: they are judged
            # the parties' marks from the "Ký tờ khai" screen (mobile/state/signing.py)
            "signatures": self.signing.ordered() if self.signing is not None else None,
        }
        if form.supplement_of:
            return partial(
                self.service.dossiers.supplement,
                form.supplement_of,
                form.values_for_check(),
                form.read_back_at,
                **extra,
            )
        view = competent_view(self.service, form)
        return partial(
            self.service.intake,
            form.procedure.code,
            form.values_for_check(),
            form.read_back_at,
            competent_unit=None if view is None else view.unit_code,
            **extra,
        )

    async def save(self) -> bool:
        """Receive the previewed dossier: number, store and queue it; show the receipt.

        Only a complete dossier is received: with a paper (or its photo) missing nothing
        is saved and the form goes back to its checklist, which offers the supplement
        request instead."""
        self.touch()
        form = self.form
        if form is None or form.checked is None:
            return False
        if not form.read_back_at:  # the button is not offered before; a stale tap is ignored
            return False
        checklist = form.checklist()
        if not checklist.complete:
            self._back_to_checklist(form, checklist)
            return False
        if self.signing is None or self.signing.missing():
            return False  # every party signs the declaration first (state/signing.py)
        try:
            summary = await run_guarded(self, "intake", self._intake_call(form))
        except Failed as failed:
            err = failed.cause
            if isinstance(err, TaiChoError) and err.code == "DOSSIER_INVALID":
                # The station-side rules changed under us: back to the form, values kept.
                form.apply_check(
                    self.backend.call(
                        self.service.dossiers.check, form.procedure.code, form.values_for_check()
                    )
                )
                self.route = ROUTE_FORM
            elif isinstance(err, TaiChoError) and err.code == "DOSSIER_INCOMPLETE":
                form.go_step(form.step_count() - 1)
                self.route = ROUTE_FORM
            return False
        self.receipt = summary
        self.shown.paper_sent = ""
        self.load_papers(summary.id)
        self._drop_draft(form.draft_id)
        self._draft_dirty = False
        self.form = None
        self.signing = None
        self.route = ROUTE_RECEIPT
        self.refresh()
        return True

    def _back_to_checklist(self, form: FormState, checklist: Checklist) -> None:
        form.go_step(form.step_count() - 1)
        self.route = ROUTE_FORM
        self.banner = tr(
            self.lang,
            "Hồ sơ chưa đủ, chưa thể tiếp nhận. Còn thiếu: {what}",
            what="; ".join(m.text(form.lang) for m in checklist.missing),
        )
        self.banner_ok = False

    def read_page(self, page: int) -> None:
        """The read-back's next or previous section."""
        self.touch()
        if self.form is not None:
            self.form.read_go(page)

    def confirm_read(self) -> None:
        """Record that the citizen read the whole read-back and confirmed it."""
        self.touch()
        if self.form is not None:
            self.form.confirm_read(self.service.clock().isoformat(timespec="seconds"))

    # --- the chip ID card (no-writing intake) ---
    def scan_card(self, text: str) -> bool:
        """Read what a QR scanner typed (or staff pasted) into the scan box; on success
        the card and its address, printed beside today's unit, wait to be filled in."""
        self.touch()
        try:
            card = scanned_card(text, self.service.clock().date())
        except TaiChoError as err:
            self.card.scan, self.card.scan_unit = None, ""
            self.card.scan_error = user_message(err, self.lang)
            return False
        self.card.scan, self.card.scan_error = card, ""
        mapped = card["address_mapped"]
        self.card.scan_unit = (
            f"{mapped['commune']}, {mapped['province']}"
            if mapped["status"] in ("matched", "current") and mapped["commune"]
            else ""
        )
        return True

    def pick_scan_unit(self, unit: str) -> None:
        """Staff confirm today's unit (a candidate, when the old commune was split)."""
        self.touch()
        self.card.scan_unit = unit

    def fill_from_scan(self, prefix: str) -> bool:
        """One tap: the scanned card fills that person's fields of the open form."""
        self.touch()
        form, card = self.form, self.card.scan
        if form is None or card is None:
            return False
        if prefix not in {p.prefix for p in parties(form.procedure)}:
            return False  # not a person of this form: nothing is filled, nothing claimed
        street = str(card["address_mapped"].get("street") or "")
        residence = residence_text(street, self.card.scan_unit) if self.card.scan_unit else None
        for field_id, value in fill_from_card(form.procedure, prefix, card, residence).items():
            self.push_field(field_id, value)
        try:  # kept in the citizen book, to be found by name next time
            self.backend.call(self.service.remember_card, card, self.card.scan_unit)
        except TaiChoError as err:
            self._fail(err)
            return False
        self.card.clear()
        self._info(
            tr(self.lang, "Đã điền thông tin từ thẻ căn cước. Xin kiểm tra lại trước khi tiếp.")
        )
        return True

    def close_scan(self) -> None:
        self.card.clear()

    def find_citizens(self, query: str) -> None:
        """Search the citizen book (accent-insensitive name, or the ID number)."""
        self.touch()
        if not query.strip():
            self.card.citizen_hits = []
            return
        try:
            self.card.citizen_hits = self.backend.call(self.service.search_citizens, query)
        except TaiChoError as err:
            self._fail(err)
            self.card.citizen_hits = []
        self.card.scan_error = (
            "" if self.card.citizen_hits else tr(self.lang, "Chưa có người dân nào khớp.")
        )

    def use_citizen(self, citizen_id: str) -> None:
        """A known citizen, picked from the search, waits to fill a person like a card."""
        self.touch()
        for c in self.card.citizen_hits:
            if c.id == citizen_id:
                self.card.scan = card_of(c)
                mapped = self.card.scan["address_mapped"]
                self.card.scan_unit = (
                    f"{mapped['commune']}, {mapped['province']}" if mapped["commune"] else ""
                )
                self.card.scan_error = ""

    def start_supplement(self) -> None:
        """Open the sent-back dossier's values in the form, to correct and resubmit."""
        self.touch()
        d = self.shown.detail
        if not d or "procedure" not in d:
            return
        try:
            procedure = self.service.dossiers.procedure(d["procedure"])
        except TaiChoError as err:
            self._fail(err)
            return
        self.form = FormState.for_supplement(
            procedure,
            d["id"],
            dict(d.get("values", {})),
            self.lang,
            ticked=list(d.get("components_received") or []),
            kept=self._kept_photos(list(d.get("attachments") or [])),
            reason=supplement_reason(list(d.get("history") or [])),
        )
        self.banner = ""
        self.route = ROUTE_FORM
