"""Application state of one tablet session: where we are, who is signed in, what is shown.

Screens read this object and call its methods; they never talk to the services. Methods
that may block (scrypt in unlock, HTTP in enroll/sync, encryption in intake) are
``async``: they flag ``busy`` (so the screen shows a progress indicator), run the
service call on a worker thread and apply the outcome back on the UI loop. A
``TaiChoError`` becomes a Vietnamese message in the right place (under a field, or in
the banner); nothing typed is lost.

Locking (by hand or after ``idle_lock_seconds`` without a touch) drops all citizen data
held in memory — lists, the open dossier and an unfinished form — along with the keys.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import flet as ft

from mobile.services.drafts import Draft
from mobile.services.drafts import Drafts as DraftStore
from mobile.services.keystore import Session
from mobile.services.tablet import TabletService
from mobile.state.backend import Backend, Failed, run_guarded, user_message
from mobile.state.fmt import home_rows, size_text
from mobile.state.form import FormState
from shared.errors import TaiChoError, problem
from shared.model import DossierSummary

ROUTE_ENROLL = "enroll"
ROUTE_UNLOCK = "unlock"
ROUTE_HOME = "home"
ROUTE_PICK = "new"
ROUTE_FORM = "form"
ROUTE_PREVIEW = "preview"
ROUTE_RECEIPT = "receipt"
ROUTE_DOSSIER = "dossier"
# Routes that show citizen data: only while unlocked.
PROTECTED = {ROUTE_HOME, ROUTE_PICK, ROUTE_FORM, ROUTE_PREVIEW, ROUTE_RECEIPT, ROUTE_DOSSIER}


@dataclass(frozen=True)
class SyncView:
    pending: int = 0
    inbox_waiting: int = 0
    last_sync_at: str | None = None
    last_error: str = ""
    station_url: str = ""


def _required(field_id: str, label: str) -> str:
    """The catalogue's FIELD_REQUIRED text for the app's own (non-procedure) inputs."""
    return problem("FIELD_REQUIRED", field_id, label=label).message("vi")


def _message(err: BaseException) -> str:
    return user_message(err, "vi")


@ft.observable
@dataclass
class AppState:
    backend: Backend
    route: str = ROUTE_UNLOCK
    text_level: int = 0  # 0 normal, 1 large, 2 extra large (theme.TEXT_SCALES)
    high_contrast: bool = False
    width: float = 1280  # the window's width: below theme.NARROW_WIDTH the phone layout
    busy: str = ""  # the running blocking action: enroll, unlock, sync, check, intake, result
    banner: str = ""
    banner_ok: bool = False
    enrolled: bool = False
    unit_name: str = ""
    known_users: list[str] = field(default_factory=list)
    user: Session | None = None
    field_errors: dict[str, str] = field(default_factory=dict)  # enroll/unlock inputs
    sync: SyncView = field(default_factory=SyncView)
    dossiers: list[DossierSummary] = field(default_factory=list)
    search: str = ""  # home: accent-insensitive search over title and code
    status_filter: str = ""  # home: one of fmt.STATUS_FILTERS
    form: FormState | None = None
    receipt: DossierSummary | None = None
    detail: dict[str, Any] | None = None
    drafts: list[Draft] = field(default_factory=list)
    result_info: str = ""
    result_path: str = ""

    def __post_init__(self) -> None:
        self._last_touch = time.monotonic()
        self._draft_dirty = False
        self.reload_device()

    @property
    def service(self) -> TabletService:
        return self.backend.service

    # --- navigation ---
    def current_route(self) -> str:
        """The route to show, after the guards: enrolment first, then unlock."""
        if not self.enrolled:
            return ROUTE_ENROLL
        if self.user is None and self.route in PROTECTED | {ROUTE_ENROLL}:
            return ROUTE_UNLOCK
        if self.route == ROUTE_FORM and self.form is None:
            return ROUTE_HOME
        if self.route == ROUTE_PREVIEW and (self.form is None or self.form.checked is None):
            return ROUTE_FORM if self.form else ROUTE_HOME
        return self.route

    def go(self, route: str) -> None:
        self.touch()
        self.banner = ""
        self.route = route

    @property
    def large_text(self) -> bool:
        return self.text_level > 0

    def toggle_large_text(self) -> None:
        """Next text size: normal → large → extra large → normal."""
        self.touch()
        self.text_level = (self.text_level + 1) % 3

    def set_width(self, width: float | None) -> None:
        if width and abs(width - self.width) >= 1:
            self.width = float(width)

    def toggle_high_contrast(self) -> None:
        self.touch()
        self.high_contrast = not self.high_contrast

    def touch(self) -> None:
        self._last_touch = time.monotonic()

    def dismiss_banner(self) -> None:
        self.banner = ""

    def _fail(self, err: BaseException) -> None:
        self.banner = _message(err)
        self.banner_ok = False

    def _info(self, text: str) -> None:
        self.banner = text
        self.banner_ok = True

    # --- device ---
    def reload_device(self) -> None:
        """Re-read what is visible without unlocking: enrolment, unit, users, sync."""
        svc = self.service
        self.enrolled = self.backend.call(lambda: svc.enrolled)
        unit = self.backend.call(svc.unit) if self.enrolled else {}
        self.unit_name = str(unit.get("name", ""))
        self.known_users = self.backend.call(svc.known_users) if self.enrolled else []
        self.refresh_sync()

    def refresh_sync(self) -> None:
        if not self.enrolled:
            self.sync = SyncView()
            return
        s = self.backend.call(self.service.sync_state)
        err = s.last_error or {}
        self.sync = SyncView(
            pending=s.pending,
            inbox_waiting=s.inbox_waiting,
            last_sync_at=s.last_sync_at,
            last_error=str(err.get("message", "")) if err else "",
            station_url=s.station_url or "",
        )

    async def enroll(self, url: str, code: str) -> bool:
        self.touch()
        errors = {}
        if not url.strip():
            errors["url"] = _required("url", "địa chỉ máy chủ văn phòng")
        if not code.strip():
            errors["code"] = _required("code", "mã đăng ký thiết bị")
        self.field_errors = errors
        if errors:
            return False
        self.banner = ""
        try:
            await run_guarded(
                self,
                "enroll",
                self.service.enroll,
                url.strip(),
                code.strip(),
                on_error=lambda err: self._place_error(err, default_field="code"),
            )
        except Failed:
            return False
        self.reload_device()
        self._info("Đã đăng ký thiết bị với văn phòng. Mời mở khoá.")
        self.route = ROUTE_UNLOCK
        return True

    def _place_error(self, err: BaseException, default_field: str) -> None:
        msg = _message(err)
        fld = err.field if isinstance(err, TaiChoError) else None
        if fld in ("username", "pin", "url", "code"):
            self.field_errors = {fld: msg}
        elif isinstance(err, TaiChoError) and err.code.startswith(("ENROLL", "AUTH")):
            self.field_errors = {default_field: msg}
        else:
            self.field_errors = {}
            self._fail(err)

    # --- unlock / lock ---
    async def unlock(self, username: str, pin: str) -> bool:
        self.touch()
        username = username.strip()
        if not username:
            self.field_errors = {"username": _required("username", "tên đăng nhập")}
            return False
        if not pin:
            self.field_errors = {"pin": _required("pin", "mã PIN")}
            return False
        self.field_errors = {}
        self.banner = ""
        try:
            session = await run_guarded(
                self,
                "unlock",
                self.service.unlock,
                username,
                pin,
                on_error=lambda err: self._place_error(err, default_field="pin"),
            )
        except Failed:
            self.known_users = self.backend.call(self.service.known_users)
            return False
        self.user = session
        self.known_users = self.backend.call(self.service.known_users)
        self.route = ROUTE_HOME
        self.refresh()
        return True

    def lock(self, reason: str = "") -> None:
        self.save_draft()  # the unfinished form is kept, encrypted, for the next unlock
        self.backend.call(self.service.lock)
        self.user = None
        self.form = None
        self.detail = None
        self.receipt = None
        self.dossiers = []
        self.drafts = []
        self.search = ""
        self.result_info = ""
        self.result_path = ""
        self.field_errors = {}
        self.route = ROUTE_UNLOCK
        if reason:
            self._info(reason)
        else:
            self.banner = ""

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last_touch

    def check_idle(self) -> bool:
        """Lock if unlocked and idle too long; True when it locked now."""
        limit = self.backend.config.idle_lock_seconds
        if self.user is None or self.busy or self.idle_seconds() < limit:
            return False
        minutes = max(1, round(limit / 60))
        self.lock(f"Đã tự khoá sau {minutes} phút không sử dụng. Nhập mã PIN để mở lại.")
        return True

    # --- home ---
    def today(self) -> date:
        return self.service.clock().date()

    def refresh(self) -> None:
        self.refresh_sync()
        if self.user is None:
            return
        try:
            self.dossiers = self.backend.call(self.service.list_dossiers, None)
            self.drafts = self.backend.call(self._drafts().list)
        except TaiChoError as err:
            self._fail(err)

    async def run_sync(self) -> bool:
        self.touch()
        if self.busy:
            return False
        report = None
        with contextlib.suppress(Failed):  # the banner says what went wrong
            report = await run_guarded(self, "sync", self.service.sync)
        self.refresh()
        if self.detail is not None:
            self._reload_detail()
        ok = report is not None
        if report is not None:
            text = f"Đã đồng bộ: gửi {report.pushed}, nhận {report.pulled}."
            if report.rejected:
                text += f" {len(report.rejected)} hồ sơ bị máy chủ từ chối — xem chi tiết hồ sơ."
            self._info(text)
        return ok

    def set_search(self, text: str) -> None:
        self.touch()
        self.search = text

    def set_status_filter(self, key: str) -> None:
        self.touch()
        self.status_filter = key

    def home_rows(self) -> list[DossierSummary]:
        return home_rows(self.dossiers, self.search, self.status_filter)

    # --- new dossier ---
    def new_dossier(self, procedure_code: str) -> None:
        self.touch()
        try:
            procedure = self.service.procedure(procedure_code)
        except TaiChoError as err:
            self._fail(err)
            return
        self.form = FormState.new(procedure)
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
            procedure = self.service.procedure(draft.procedure)
        except TaiChoError as err:
            self._fail(err)
            return
        self.form = FormState.from_draft(procedure, draft)
        self.banner = ""
        self.route = ROUTE_FORM

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

    def form_step(self, index: int) -> None:
        self.touch()
        if self.form is not None:
            self.form.go_step(index)

    async def preview(self) -> bool:
        """Validate the form; on success go to the large-print preview."""
        self.touch()
        form = self.form
        if form is None:
            return False
        try:
            result = await run_guarded(
                self, "check", self.service.check, form.procedure.code, form.values_for_check()
            )
        except Failed:
            return False
        if form.apply_check(result):
            self.banner = ""
            self.route = ROUTE_PREVIEW
            return True
        return False

    def back_to_form(self) -> None:
        self.go(ROUTE_FORM)

    async def save(self) -> bool:
        """Receive the previewed dossier: number, store and queue it; show the receipt."""
        self.touch()
        form = self.form
        if form is None or form.checked is None:
            return False
        if form.supplement_of:
            call: tuple[Any, ...] = (
                self.service.supplement,
                form.supplement_of,
                form.values_for_check(),
            )
        else:
            call = (self.service.intake, form.procedure.code, form.values_for_check())
        try:
            summary = await run_guarded(self, "intake", *call)
        except Failed as failed:
            err = failed.cause
            if isinstance(err, TaiChoError) and err.code == "DOSSIER_INVALID":
                # The station-side rules changed under us: back to the form, values kept.
                form.apply_check(
                    self.backend.call(
                        self.service.check, form.procedure.code, form.values_for_check()
                    )
                )
                self.route = ROUTE_FORM
            return False
        self.receipt = summary
        self._drop_draft(form.draft_id)
        self._draft_dirty = False
        self.form = None
        self.route = ROUTE_RECEIPT
        self.refresh()
        return True

    def start_supplement(self) -> None:
        """Open the sent-back dossier's values in the form, to correct and resubmit."""
        self.touch()
        d = self.detail
        if not d or "procedure" not in d:
            return
        try:
            procedure = self.service.procedure(d["procedure"])
        except TaiChoError as err:
            self._fail(err)
            return
        self.form = FormState.for_supplement(procedure, d["id"], dict(d.get("values", {})))
        self.banner = ""
        self.route = ROUTE_FORM

    # --- dossier detail ---
    def open_dossier(self, dossier_id: str) -> None:
        self.touch()
        self.result_info = ""
        self.result_path = ""
        self.detail = {"id": dossier_id}
        self._reload_detail()
        if self.detail is not None:
            self.banner = ""
            self.route = ROUTE_DOSSIER

    def _reload_detail(self) -> None:
        assert self.detail is not None
        try:
            d = self.backend.call(self.service.get, self.detail["id"])
        except TaiChoError as err:
            self.detail = None
            self._fail(err)
            return
        if d.get("has_result"):
            try:
                pdf = self.backend.call(self.service.result_pdf, d["id"])
                try:
                    name = self.service.procedure(d["procedure"]).result_name.vi
                except TaiChoError:
                    name = "Kết quả"
                self.result_info = f"Đã có kết quả ({name}) — {size_text(len(pdf))}"
            except TaiChoError as err:
                self.result_info = err.message("vi")
        self.detail = d

    async def result_bytes(self) -> tuple[str, bytes] | None:
        """The open dossier's result PDF (decrypted in memory only) and a file name, for
        the screen to hand to the browser download or the device's save dialog; nothing
        is written unencrypted to the tablet's disk."""
        if self.detail is None:
            return None
        try:
            pdf = await run_guarded(self, "result", self.service.result_pdf, self.detail["id"])
        except Failed:
            return None
        self.result_path = f"{self.detail['code']}.pdf"
        return self.result_path, pdf
