"""Session part of the app state: enrolment, unlock, lock and the idle lock.

Locking (by hand, on closing the page, or after ``idle_lock_seconds`` without a touch)
saves the unfinished form as an encrypted draft, then drops all citizen data held in
memory — lists, the open dossier, the form — along with this session's keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from mobile.i18n import tr
from mobile.state.backend import Failed, run_guarded, user_message
from mobile.state.base import (
    ROUTE_HOME,
    ROUTE_UNLOCK,
    StateBase,
    required,
)
from mobile.state.fmt import station_pin_hint
from shared.errors import TaiChoError


class SessionMixin(StateBase):
    """Enrol, unlock, lock, idle lock."""

    # --- device ---
    def reload_device(self) -> None:
        """Re-read what is visible without unlocking: enrolment, unit, users, sync."""
        svc = self.service
        self.device.enrolled = self.backend.call(lambda: svc.ctx.enrolled)
        unit = self.backend.call(svc.ctx.unit) if self.device.enrolled else {}
        self.device.unit_name = str(unit.get("name", ""))
        self.device.known_users = (
            self.backend.call(svc.sessions.known_users) if self.device.enrolled else []
        )
        self.device.office_staff = (
            self.backend.call(svc.sessions.office_staff) if self.device.enrolled else []
        )
        self.refresh_sync()

    async def enroll(self, url: str, code: str) -> bool:
        self.touch()
        errors: dict[str, Callable[[str], str]] = {}
        if not url.strip():
            errors["url"] = partial(required, "url", "địa chỉ máy chủ văn phòng")
        if not code.strip():
            errors["code"] = partial(required, "code", "mã đăng ký thiết bị")
        self._say_field_errors(errors)
        if errors:
            return False
        self.banner = ""
        try:
            await run_guarded(
                self,
                "enroll",
                self.service.enrolment.enroll,
                url.strip(),
                code.strip(),
                on_error=lambda err: self._place_error(err, default_field="code"),
            )
        except Failed:
            return False
        self.reload_device()
        self._info(tr(self.lang, "Đã đăng ký thiết bị với văn phòng. Mời mở khoá."))
        self.route = ROUTE_UNLOCK
        return True

    def _place_error(self, err: BaseException, default_field: str) -> None:
        fld = err.field if isinstance(err, TaiChoError) else None
        if fld in ("username", "pin", "url", "code"):
            self._say_field_errors({str(fld): partial(user_message, err)})
        elif isinstance(err, TaiChoError) and err.code.startswith(("ENROLL", "AUTH")):
            self._say_field_errors({default_field: partial(user_message, err)})
        else:
            self.field_errors = {}
            self._fail(err)

    # --- unlock / lock ---
    async def unlock(self, username: str, pin: str) -> bool:
        self.touch()
        username = username.strip()
        if not username:
            self._say_field_errors({"username": partial(required, "username", "tên đăng nhập")})
            return False
        if not pin:
            self._say_field_errors({"pin": partial(required, "pin", "mã PIN")})
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
        except Failed as failed:
            err = failed.cause
            if isinstance(err, TaiChoError) and err.code == "AUTH_FAILED":
                count = self._station_failures.get(username, 0) + 1
                self._station_failures[username] = count
                self._say_field_errors(
                    {
                        "pin": lambda lang: (
                            f"{user_message(err, lang)} {station_pin_hint(count, lang)}"
                        )
                    }
                )
            self.device.known_users = self.backend.call(self.service.sessions.known_users)
            return False
        self._station_failures.pop(username, None)
        self.user = session
        self.device.known_users = self.backend.call(self.service.sessions.known_users)
        self.route = ROUTE_HOME
        self.refresh()
        return True

    def lock(self, reason: str = "") -> None:
        self.save_draft()  # the unfinished form is kept, encrypted, for the next unlock
        self.backend.call(self.service.sessions.lock)
        self.user = None
        self.form = None
        self.receipt = None
        self.home.clear()
        self.shown.clear()
        self.card.clear()  # a card's data too
        self.signing = None  # the marks drawn for an unfinished form
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
        self.lock(
            tr(
                self.lang,
                "Đã tự khoá sau {n} phút không sử dụng. Nhập mã PIN để mở lại.",
                n=minutes,
            )
        )
        return True
