"""One desk session's state: who is signed in, which queue, which dossier, which dialog.

Screens read this object and call its methods; handlers change state and Flet redraws.
What belongs to one concept is a nested observable part (``parts.py``: ``queue``,
``opened``, ``admin``, ``reports``), each field declared once; this class keeps who is
signed in, the page, the banner and the behaviour that needs the backend. Blocking work
(PIN checks, decryption, PDF stamping) runs on a worker thread through
:class:`DeskBackend`; a ``TaiChoError`` becomes a Vietnamese message in the banner or
under the field it concerns, and nothing typed is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar, cast

import flet as ft

from shared.day_text import day_text
from shared.errors import TaiChoError, problem
from shared.external_result import ExternalResult
from shared.permissions import Verb, can
from shared.views import DossierView, HeldEdit, LookupsView
from shared.workdays import vn_now
from shared.workflow import Status
from sync_server.desk import procedures as catalogue_page
from sync_server.desk import queue as qv
from sync_server.desk import report as rv
from sync_server.desk.backend import DeskBackend
from sync_server.desk.parts import AdminView, OpenedDossier, QueueView, ReportView
from sync_server.desk.views import supplement_reason
from sync_server.services.office.actions import PERSONAL_ID_FIELD
from sync_server.services.setup.staff import Staff

log = logging.getLogger(__name__)
T = TypeVar("T")

ROUTE_LOGIN = "login"
ROUTE_QUEUE = "queue"
ROUTE_DOSSIER = "dossier"
ROUTE_STAFF = "staff"
ROUTE_TABLETS = "tablets"
ROUTE_UNIT = "unit"
ROUTE_CALENDAR = "calendar"
ROUTE_BACKUP = "backup"
ROUTE_REPORT = "report"
ROUTE_PROCEDURES = "procedures"
# The verb each page needs (shared.permissions): a page is shown, and its menu entry
# offered, only to whoever holds it — the same verb its services check.
ROUTE_VERBS: dict[str, Verb] = {
    ROUTE_QUEUE: Verb.DOSSIER_READ_PERSONAL,
    ROUTE_DOSSIER: Verb.DOSSIER_READ_PERSONAL,
    ROUTE_STAFF: Verb.STAFF_MANAGE,
    ROUTE_TABLETS: Verb.DEVICE_MANAGE,
    ROUTE_UNIT: Verb.UNIT_MANAGE,
    ROUTE_CALENDAR: Verb.CALENDAR_MANAGE,
    ROUTE_BACKUP: Verb.STATION_MANAGE,
    ROUTE_REPORT: Verb.REPORT_READ,
    ROUTE_PROCEDURES: Verb.CATALOGUE_MANAGE,
}
ADMIN_ROUTES = (
    ROUTE_STAFF,
    ROUTE_TABLETS,
    ROUTE_UNIT,
    ROUTE_CALENDAR,
    ROUTE_BACKUP,
    ROUTE_PROCEDURES,
)
# Where a person lands after signing in: the first of these they may open.
HOME_ROUTES = (ROUTE_QUEUE, *ADMIN_ROUTES, ROUTE_REPORT)


class Failed(Exception):
    """Raised by :meth:`DeskState._guarded` after the failure was shown, so the caller
    just returns (no ``except Exception`` of its own)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def message(err: BaseException) -> str:
    if isinstance(err, TaiChoError):
        return err.message("vi")
    log.error("desk action failed", exc_info=err)
    return problem("INTERNAL").message("vi")


@ft.observable
@dataclass
class DeskState:
    backend: DeskBackend
    station_url: str = ""
    # The browser's address as the websocket saw it: the sign-in brake's key.
    client: str = "desk"
    route: str = ROUTE_LOGIN
    user: Staff | None = None
    busy: str = ""
    banner: str = ""
    banner_ok: bool = False
    field_errors: dict[str, str] = field(default_factory=dict)
    # The nested observable parts (``parts.py``); a change in one is relayed as a change
    # of the desk state, so the screens draw it.
    queue: QueueView = field(default_factory=QueueView)
    opened: OpenedDossier = field(default_factory=OpenedDossier)
    admin: AdminView = field(default_factory=AdminView)
    reports: ReportView = field(default_factory=ReportView)
    # The admin page "Thủ tục" (desk/procedures.py), an observable the page itself follows.
    catalogue: catalogue_page.CatalogueView = field(default_factory=catalogue_page.CatalogueView)
    PARTS: ClassVar[tuple[str, ...]] = ("queue", "opened", "admin", "reports")

    def __post_init__(self) -> None:
        notify = cast(ft.Observable, self)._notify
        self._relay = lambda _part, name: notify(name)  # kept: listeners are held weakly
        for part in self.PARTS:
            getattr(self, part).subscribe(self._relay)

    # --- plumbing ---
    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def _guarded(
        self,
        busy: str,
        fn: Callable[..., T],
        *args: Any,
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> T:
        """busy → run ``fn`` on a worker thread → the error shown (banner, or ``on_error``).

        The one place where a blocking desk call becomes screen state (like the tablet's
        ``run_guarded``). Raises :class:`Failed` once the message is in place.
        """
        self.busy = busy
        try:
            return await self._run(fn, *args, **kwargs)
        except Exception as err:  # every failure is shown; unexpected ones are logged
            (on_error or self._fail)(err)
            raise Failed(err) from err
        finally:
            self.busy = ""

    def _under_field(
        self, where: Callable[[TaiChoError], str | None]
    ) -> Callable[[BaseException], None]:
        """An ``on_error`` that shows a catalogue error under the field ``where`` names
        for it (``None``: in the banner, as any other failure)."""

        def show(err: BaseException) -> None:
            name = where(err) if isinstance(err, TaiChoError) else None
            if name is None:
                self._fail(err)
            else:
                self.field_errors = {name: message(err)}

        return show

    def _fail(self, err: BaseException) -> None:
        if isinstance(err, TaiChoError) and err.code == "AUTH_REQUIRED":
            self.logout("Phiên làm việc đã hết hoặc tài khoản đã bị khoá. Mời đăng nhập lại.")
            return
        self.banner, self.banner_ok = message(err), False

    def _info(self, text: str) -> None:
        self.banner, self.banner_ok = text, True

    def dismiss_banner(self) -> None:
        self.banner = ""

    def may(self, route: str) -> bool:
        """Whether the signed-in person may open this page (its verb, ROUTE_VERBS)."""
        verb = ROUTE_VERBS.get(route)
        return self.user is not None and verb is not None and can(self.user, verb)

    @property
    def can_report(self) -> bool:
        return self.may(ROUTE_REPORT)

    def home_route(self) -> str:
        """The first page this person may open: the queues for the workflow roles, the
        staff page for the administrator (who reads no dossier)."""
        return next((r for r in HOME_ROUTES if self.may(r)), ROUTE_LOGIN)

    def current_route(self) -> str:
        """The route to show after the guards: sign in first; a page only with its verb."""
        if self.user is None:
            return ROUTE_LOGIN
        if self.route == ROUTE_LOGIN or not self.may(self.route):
            return self.home_route()
        if self.route == ROUTE_DOSSIER and self.opened.detail is None:
            return ROUTE_QUEUE
        return self.route

    # --- sign in / out ---
    async def login(self, username: str, pin: str) -> bool:
        errors: dict[str, str] = {}
        if not username.strip():
            errors["username"] = problem(
                "FIELD_REQUIRED", "username", label="tên đăng nhập"
            ).message("vi")
        if not pin:
            errors["pin"] = problem("FIELD_REQUIRED", "pin", label="mã PIN").message("vi")
        self.field_errors = errors
        if errors:
            return False
        self.banner = ""
        try:
            who = await self._guarded(
                "login",
                self.backend.login,
                username,
                pin,
                self.client,
                on_error=self._under_field(lambda err: "pin"),
            )
        except Failed:
            return False
        if can(who, ROUTE_VERBS[ROUTE_BACKUP]):
            # A missed backup is a warning from the first screen on: read before the
            # screen changes, so signing in stays one change of the page (a second update
            # right after it left the next session's login field without focus).
            try:
                self.admin.backup = await self._run(self.backend.backup_status, who)
            except Exception as err:
                self._fail(err)
        self.user = who
        self.queue.tab = qv.default_tab(who.role)
        home = self.home_route()
        if home == ROUTE_QUEUE:
            self.route = home
            await self.refresh()
        elif home == ROUTE_REPORT:
            await self.open_report()
        else:
            await self.open_admin(home)
        return True

    def logout(self, note: str = "") -> None:
        self.user = None
        for part in (self.queue, self.opened, self.admin, self.reports):
            part.clear()
        self.catalogue.clear()
        self.field_errors = {}
        self.route = ROUTE_LOGIN
        self.banner, self.banner_ok = note, bool(note)

    def go(self, route: str) -> None:
        self.banner = ""
        self.route = route

    # --- queue ---
    async def refresh(self) -> None:
        if not self.may(ROUTE_QUEUE) or self.user is None:
            return
        try:
            items = await self._run(self.backend.queue, self.user)
        except Exception as err:
            self._fail(err)
            return
        self.queue.rows = items

    def now(self) -> datetime:
        return vn_now()

    def procedures(self) -> list[tuple[str, str]]:
        return self.backend.procedures()

    # --- one dossier ---
    async def open_dossier(self, dossier_id: str) -> None:
        if self.user is None:
            return
        user = self.user

        def load() -> tuple[
            DossierView,
            tuple[str, list[tuple[str, str]]],
            list[dict[str, Any]],
            BaseException | None,
            tuple[LookupsView, list[HeldEdit]],
            tuple[list[str], str],
        ]:
            d = self.backend.detail(user, dossier_id)
            found = (
                self.backend.lookups(user, dossier_id),
                self.backend.held_edits(user, dossier_id),
            )
            # An approved certificate the spouses sign before the seal (kết hôn).
            approved = d.dossier.status is Status.APPROVED
            signed = self.backend.result_signed_by(user, dossier_id) if approved else []
            certificate = self.backend.result_link(user, dossier_id) if approved else ""
            url = self.backend.result_link(user, dossier_id) if d.has_result else ""
            links = (url, self.backend.paper_links(user, d))
            photos: list[dict[str, Any]] = []
            photo_error: BaseException | None = None
            if d.dossier.attachments:
                try:
                    photos = self.backend.photos(user, dossier_id)
                except Exception as err:  # shown below; the dossier still opens
                    # Its photos are extra, never a reason to hide the dossier.
                    photo_error = err
            return d, links, photos, photo_error, found, (signed, certificate)

        try:
            d, (url, papers), photos, photo_error, (found, held), signed = await self._guarded(
                "open", load
            )
        except Failed:
            return
        shown = self.opened
        shown.detail, shown.result_url, shown.photos, shown.lookups = d, url, photos, found
        shown.held, shown.paper_links = held, papers
        shown.result_signed, shown.certificate_url = signed
        self.opened.dialog, self.banner = "", ""
        self.route = ROUTE_DOSSIER
        if photo_error is not None:
            self._fail(photo_error)  # message() logs anything uncatalogued

    def back_to_queue(self) -> None:
        self.opened.clear()
        self.go(ROUTE_QUEUE)

    async def act(
        self,
        action: str,
        *,
        reason: str = "",
        missing: list[str] | None = None,
        rating: str | None = None,
        comment: str = "",
        paper: tuple[str, str] | None = None,
        pdf: bytes | None = None,
    ) -> bool:
        """Run one workflow action on the open dossier; the dialog stays open on error.
        ``paper``: at stamp, a result issued on paper elsewhere (number, date); ``pdf``:
        instead, the signed PDF made elsewhere (checked by the station)."""
        if self.user is None or self.opened.detail is None:
            return False
        if action == "request_supplement":
            reason = supplement_reason(reason, missing or [])
        if action in ("request_supplement", "refuse") and not reason.strip():
            self.opened.dialog_error = problem("REASON_REQUIRED", "reason").message("vi")
            return False

        def in_dialog(err: BaseException) -> None:
            if isinstance(err, TaiChoError) and err.code == "AUTH_REQUIRED":
                self._fail(err)
            else:
                self.opened.dialog_error = message(err)

        try:
            await self._guarded(
                action,
                self.backend.act,
                self.user,
                self.opened.detail.row.id,
                action,
                reason or None,
                rating=rating,
                comment=comment or None,
                external=ExternalResult(pdf=pdf)
                if pdf is not None
                else None
                if paper is None
                else ExternalResult(number=paper[0], issued_on=paper[1]),
                on_error=in_dialog,
            )
        except Failed:
            return False
        done_id = self.opened.detail.row.id
        self.opened.close_dialog()
        await self.open_dossier(done_id)
        await self.refresh()
        if self.opened.detail is not None:
            row = self.opened.detail.row
            self._info(f"Đã cập nhật hồ sơ {row.code}: {row.status_label}.")
        return True

    async def record_lookup(self, key: str, database: str, result: str, note: str) -> bool:
        """Record a lookup on the open dossier (shared.lookups); a bad entry shows its
        message under the field it names and keeps what was chosen."""
        if self.user is None or self.opened.detail is None:
            return False
        self.field_errors = {}
        try:
            await self._guarded(
                f"lookup:{key}",
                self.backend.record_lookup,
                self.user,
                self.opened.detail.row.id,
                key,
                database,
                result,
                note,
                on_error=self._under_field(
                    lambda err: None if err.code != "LOOKUP_INVALID" else f"lookup:{key}"
                ),
            )
        except Failed:
            return False
        await self.open_dossier(self.opened.detail.row.id)
        if self.opened.detail is not None:
            self._info("Đã ghi kết quả tra cứu.")
        return True

    async def close_verification(self, lookup_id: str, note: str) -> bool:
        """Close a verification of the open dossier with its outcome."""
        if self.user is None or self.opened.detail is None:
            return False
        self.field_errors = {}
        try:
            await self._guarded(
                f"verify:{lookup_id}",
                self.backend.close_verification,
                self.user,
                self.opened.detail.row.id,
                lookup_id,
                note,
                on_error=self._under_field(
                    lambda err: None if err.code != "LOOKUP_INVALID" else f"verify:{lookup_id}"
                ),
            )
        except Failed:
            return False
        await self.open_dossier(self.opened.detail.row.id)
        if self.opened.detail is not None:
            self._info("Đã ghi kết quả xác minh.")
        return True

    async def sign_result(
        self, party: str, kind: str, strokes: list[list[list[int]]], witness: str = ""
    ) -> bool:
        """One spouse's mark on the approved Giấy chứng nhận kết hôn (drawn on the pad,
        a thumbprint with its witness, or signed on the printed copy); a refused mark
        shows its message under that spouse's box."""
        if self.user is None or self.opened.detail is None:
            return False
        self.field_errors = {}
        mark: dict[str, Any] = {
            "party": party,
            "kind": kind,
            "at": vn_now().isoformat(timespec="seconds"),
            "strokes": strokes,
            "witness_name": witness.strip() or None,
        }
        try:
            await self._guarded(
                f"sign:{party}",
                self.backend.sign_result,
                self.user,
                self.opened.detail.row.id,
                [mark],
                on_error=self._under_field(
                    # a mark's own fault under the box; anything else in the banner
                    lambda err: (
                        f"sign:{party}"
                        if err.code.startswith("SIGNATURE_") or err.code == "REQUEST_INVALID"
                        else None
                    )
                ),
            )
        except Failed:
            return False
        await self.open_dossier(self.opened.detail.row.id)
        self._info("Đã ghi chữ ký vào Giấy chứng nhận kết hôn.")
        return True

    async def save_personal_id(self, number: str) -> bool:
        """Store the child's personal identification number on the open dossier; a wrong
        number shows its message under the field and keeps what was typed."""
        if self.user is None or self.opened.detail is None:
            return False
        self.field_errors = {}
        try:
            await self._guarded(
                "personal_id",
                self.backend.record_personal_id,
                self.user,
                self.opened.detail.row.id,
                number,
                on_error=self._under_field(
                    lambda err: (
                        None if err.code in ("AUTH_REQUIRED", "INTERNAL") else PERSONAL_ID_FIELD
                    )
                ),
            )
        except Failed:
            return False
        await self.open_dossier(self.opened.detail.row.id)
        if self.opened.detail is not None:
            self._info(f"Đã lưu số định danh cá nhân của trẻ: {number.strip()}.")
        return True

    # --- report (leaders and admins) ---
    async def open_report(self) -> None:
        if not self.can_report:
            return
        self.go(ROUTE_REPORT)
        await self.load_report(self.reports.choice)

    async def load_report(self, choice: rv.Choice) -> bool:
        """Compute the report for ``choice`` (period and procedure) and the download links;
        a bad custom period shows its message under the date fields."""
        if self.user is None:
            return False
        self.field_errors = {}
        try:
            start, end = choice.bounds()
        except TaiChoError as err:
            self.field_errors = {err.field or "report_from": err.message("vi")}
            return False
        user = self.user

        def load() -> tuple[dict[str, Any], dict[str, str]]:
            self.reports.province_linked = self.backend.province_linked(user)
            scope = choice.scope if self.reports.province_linked else "commune"
            if scope == "province":
                data = self.backend.province_report(user, start, end, choice.procedure)
            else:
                data = self.backend.report(user, start, end, choice.procedure)
            links = {
                fmt: self.backend.report_link(user, fmt, start, end, choice.procedure, scope)
                for fmt in ("csv", "pdf")
            }
            return data, links

        self.banner = ""
        try:
            data, links = await self._guarded(
                "report",
                load,
                on_error=self._under_field(
                    lambda err: (
                        err.field
                        if err.code == "REQUEST_INVALID" and err.field in ("from", "to")
                        else None
                    )
                ),
            )
        except Failed:
            return False
        self.reports.report, self.reports.choice, self.reports.links = data, choice, links
        return True

    # --- administration ---
    async def open_admin(self, route: str) -> None:
        if route not in ADMIN_ROUTES or not self.may(route) or self.user is None:
            return
        self.go(route)
        try:
            if route == ROUTE_STAFF:
                self.admin.staff = await self._run(self.backend.staff_list, self.user)
            elif route == ROUTE_TABLETS:
                self.admin.devices = await self._run(self.backend.devices, self.user)
            elif route == ROUTE_UNIT:
                self.admin.unit = await self._run(self.backend.unit, self.user)
                self.admin.public = await self._run(self.backend.public_url, self.user)
            elif route == ROUTE_CALENDAR:
                self.admin.calendar = await self._run(self.backend.calendar, self.user)
            elif route == ROUTE_BACKUP:
                self.admin.backup = await self._run(self.backend.backup_status, self.user)
            elif route == ROUTE_PROCEDURES:
                self.catalogue.rows = await self._run(self.backend.catalogue_list, self.user)
        except Exception as err:
            self._fail(err)

    async def _admin_call(self, done: str, fn: Callable[..., Any], *args: Any) -> bool:
        if self.user is None:
            return False
        try:
            await self._guarded("admin", fn, self.user, *args)
        except Failed:
            return False
        self._info(done)
        if self.route == ROUTE_STAFF:
            self.admin.staff = await self._run(self.backend.staff_list, self.user)
        elif self.route == ROUTE_TABLETS:
            self.admin.devices = await self._run(self.backend.devices, self.user)
        return True

    async def add_staff(
        self, username: str, full_name: str, title: str, role: str, pin: str
    ) -> bool:
        if self.user is None:
            return False
        self.field_errors = {}
        try:
            await self._guarded(
                "admin",
                self.backend.staff_add,
                self.user,
                username=username,
                role=role,
                pin=pin,
                full_name=full_name,
                title=title,
                on_error=self._under_field(
                    lambda err: err.field if err.field in ("username", "pin", "role") else None
                ),
            )
        except Failed:
            return False
        self._info(f"Đã thêm cán bộ {username.strip().lower()}.")
        self.admin.staff = await self._run(self.backend.staff_list, self.user)
        return True

    async def set_active(self, username: str, active: bool) -> bool:
        text = "Đã mở lại" if active else "Đã vô hiệu hoá"
        return await self._admin_call(
            f"{text} tài khoản {username}.", self.backend.staff_set_active, username, active
        )

    async def reset_pin(self, username: str, pin: str) -> bool:
        return await self._admin_call(
            f"Đã đặt lại mã PIN cho {username}.", self.backend.staff_reset_pin, username, pin
        )

    async def set_role(self, username: str, role: str) -> bool:
        return await self._admin_call(
            f"Đã đổi vai trò của {username}.", self.backend.staff_set_role, username, role
        )

    async def unlock_staff(self, username: str) -> bool:
        return await self._admin_call(
            f"Đã mở khoá tài khoản {username}.", self.backend.staff_unlock, username
        )

    async def new_enroll_code(self) -> bool:
        if self.user is None:
            return False
        try:
            self.admin.ticket = await self._guarded(
                "admin", self.backend.enroll_ticket, self.user, self.station_url
            )
        except Failed:
            return False
        return True

    async def revoke(self, device_id: str) -> bool:
        return await self._admin_call(
            "Đã thu hồi máy; máy sẽ tự xoá dữ liệu khi kết nối lại.", self.backend.revoke, device_id
        )

    async def save_unit(self, unit: dict[str, Any]) -> bool:
        if self.user is None:
            return False
        clean = {k: v for k, v in unit.items() if v not in (None, "", [])}
        ok = await self._admin_call("Đã lưu thông tin đơn vị.", self.backend.set_unit, clean)
        if ok:
            self.admin.unit = await self._run(self.backend.unit, self.user)
        return ok

    async def set_unit_from_names(
        self, province: str, commune: str, agency_code: str = "", former_name: str = ""
    ) -> bool:
        """Pick the commune from the official 2025 list (what ``admin unit-set`` does).

        An unknown name leaves the stored unit alone and shows the catalogue's message
        with the closest official names to choose from.
        """
        if self.user is None:
            return False
        errors: dict[str, str] = {}
        if not province.strip():
            errors["province"] = problem(
                "FIELD_REQUIRED", "province", label="tỉnh / thành phố"
            ).message("vi")
        if not commune.strip():
            errors["commune"] = problem(
                "FIELD_REQUIRED", "commune", label="xã / phường / đặc khu"
            ).message("vi")
        self.field_errors, self.admin.unit_error, self.admin.unit_candidates = errors, "", []
        if errors:
            return False

        def unknown_unit(err: BaseException) -> None:
            if isinstance(err, TaiChoError) and err.code == "UNIT_UNKNOWN":
                self.admin.unit_error = err.message("vi")
                found = str(err.ctx.get("candidates") or "")
                self.admin.unit_candidates = [c.strip() for c in found.split(",") if c.strip("— ")]
            else:
                self._fail(err)

        self.banner = ""
        try:
            unit = await self._guarded(
                "admin",
                self.backend.set_unit_from_names,
                self.user,
                province,
                commune,
                agency_code,
                former_name,
                on_error=unknown_unit,
            )
        except Failed:
            return False
        self.admin.unit = unit
        self._info(f"Đã chọn đơn vị: {unit.get('name')}, {unit.get('province')}.")
        return True

    async def save_public_url(self, url: str) -> bool:
        """The public verify address (``admin public-url``): a bad one shows under the
        field, the unit page then says whether results can be issued with it."""
        if self.user is None:
            return False
        self.field_errors = {}
        if not url.strip():
            self.field_errors = {
                "public_url": message(
                    problem("FIELD_REQUIRED", "public_url", label="địa chỉ tra cứu công khai")
                )
            }
            return False
        try:
            self.admin.public = await self._guarded(
                "admin",
                self.backend.set_public_url,
                self.user,
                url.strip(),
                on_error=self._under_field(
                    lambda e: "public_url" if e.code == "PUBLIC_URL_INVALID" else None
                ),
            )
        except Failed:
            return False
        self._info(f"Đã lưu địa chỉ tra cứu: {self.admin.public.get('public_url')}.")
        return True

    async def calendar_change(self, kind: str, day: str, note: str = "") -> bool:
        """Mark ``day`` as a day off (``off``), a make-up working day (``work``) or back
        to the national calendar (``clear``), with an optional note."""
        if self.user is None or kind not in ("off", "work", "clear"):
            return False
        self.field_errors = {}
        self.banner = ""
        try:
            await self._guarded(
                "admin",
                self.backend.calendar_set,
                self.user,
                note=note,
                on_error=self._under_field(
                    lambda err: "day" if err.code == "CALENDAR_INVALID" else None
                ),
                **{kind: [day.strip()]},
            )
        except Failed:
            return False
        done = {
            "off": "là ngày nghỉ",
            "work": "là ngày làm bù",
            "clear": "theo lịch chung",
        }[kind]
        self._info(f"Đã đặt ngày {day_text(day.strip())} {done}.")
        self.admin.calendar = await self._run(self.backend.calendar, self.user)
        return True
