"""Sign-in: username + PIN of the station's staff (same lockout as the API)."""

from __future__ import annotations

import flet as ft

from shared.policy import PIN_MAX_DIGITS
from sync_server.desk.screens.common import MUTED, button, card, page_body, text
from sync_server.desk.state import DeskState


@ft.component
def LoginScreen(state: DeskState) -> ft.Control:
    # Refs, not state: typing does not re-render. Each field still shows its ref's value:
    # Flet stores a typed value on the old control, so a later re-render that passed a
    # different (e.g. empty) value would wipe what was typed.
    username = ft.use_ref("")
    pin = ft.use_ref("")
    errors = state.field_errors

    async def submit() -> None:
        await state.login(username.current or "", pin.current or "")

    def on_user(e: ft.Event[ft.TextField]) -> None:
        username.current = e.control.value or ""

    def on_pin(e: ft.Event[ft.TextField]) -> None:
        pin.current = e.control.value or ""

    return page_body(
        [
            text("Đăng nhập", 26, bold=True),
            text(
                "Dùng tên đăng nhập và mã PIN do quản trị viên cấp. Nhập sai 5 lần liên tiếp, "
                "tài khoản bị khoá 15 phút (quản trị viên có thể mở khoá).",
                15,
                color=MUTED,
            ),
            card(
                "Cán bộ một cửa",
                [
                    ft.TextField(
                        label="Tên đăng nhập",
                        value=username.current or "",
                        on_change=on_user,
                        error=errors.get("username"),
                        error_max_lines=4,
                        autocorrect=False,
                        enable_suggestions=False,
                        autofocus=True,
                    ),
                    ft.TextField(
                        label="Mã PIN",
                        value=pin.current or "",
                        on_change=on_pin,
                        password=True,
                        can_reveal_password=True,
                        keyboard_type=ft.KeyboardType.NUMBER,
                        # a mask, not max_length: no "0/12" counter, no English
                        # "12 characters remaining" read aloud
                        input_filter=ft.InputFilter(regex_string=rf"^[0-9]{{0,{PIN_MAX_DIGITS}}}$"),
                        error=errors.get("pin"),
                        error_max_lines=6,  # the wrong-PIN message is never cut
                        on_submit=submit,
                    ),
                    button("Đăng nhập", submit, icon=ft.Icons.LOGIN, busy=state.busy == "login"),
                ],
            ),
        ],
        max_width=560,
    )
