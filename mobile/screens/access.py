"""Enrolment and unlock screens: what a tablet shows before anyone is signed in."""

from __future__ import annotations

from typing import Any

import flet as ft

from mobile.i18n import tr
from mobile.screens.common import StableTextField, button, card, look_of, page_body, text
from mobile.state.app import AppState
from mobile.theme import Look
from shared.policy import PIN_MAX_DIGITS

BACK = "back"  # the keypad's delete-one-digit key
ENROLL_HINT = (
    "Quản trị viên tạo mã đăng ký một lần trên máy chủ văn phòng. "
    "Nhập địa chỉ máy chủ và mã đó để bắt đầu."
)
OTHER_STAFF = (
    "Cán bộ tiếp nhận khác của văn phòng (lần đầu trên máy này cần kết nối máy chủ văn phòng):"
)


@ft.component
def EnrollScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    url, set_url = ft.use_state(state.backend.config.default_station_url)
    code, set_code = ft.use_state("")
    errors = state.field_errors
    busy = state.busy == "enroll"

    async def submit() -> None:
        await state.enroll(url, code)

    return page_body(
        [
            text(
                tr(state.lang, "Đăng ký máy tính bảng với văn phòng"), look, look.title, bold=True
            ),
            text(
                tr(state.lang, ENROLL_HINT),
                look,
                color=look.c.muted,
            ),
            card(
                tr(state.lang, "Thông tin đăng ký"),
                [
                    ft.TextField(
                        label=tr(state.lang, "Địa chỉ máy chủ văn phòng"),
                        value=url,
                        on_change=lambda e: set_url(e.control.value),
                        keyboard_type=ft.KeyboardType.URL,
                        error=errors.get("url"),
                        error_max_lines=4,
                        text_size=look.body,
                        autocorrect=False,
                    ),
                    ft.TextField(
                        label=tr(state.lang, "Mã đăng ký thiết bị"),
                        value=code,
                        on_change=lambda e: set_code(e.control.value),
                        capitalization=ft.TextCapitalization.CHARACTERS,
                        error=errors.get("code"),
                        error_max_lines=4,
                        text_size=look.body,
                        autocorrect=False,
                        on_submit=submit,
                    ),
                    button(
                        tr(state.lang, "Đăng ký thiết bị"),
                        submit,
                        look,
                        icon=ft.Icons.APP_REGISTRATION,
                        busy=busy,
                    ),
                ],
                look,
            ),
        ],
        max_width=760,
    )


@ft.component
def UnlockScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    username, set_username = ft.use_state(
        state.device.known_users[0] if state.device.known_users else ""
    )
    pin, set_pin = ft.use_state("")
    gen, set_gen = ft.use_state(0)  # bumped when the keypad (not the keyboard) changes the PIN
    errors = state.field_errors
    busy = state.busy == "unlock"

    def pick_user(u: str) -> None:
        set_username(u)
        set_gen(gen + 1)

    def press(key: str) -> None:
        state.touch()
        new = pin[:-1] if key == BACK else ("" if key == "C" else (pin + key)[:12])
        set_pin(new)
        set_gen(gen + 1)

    async def submit() -> None:
        ok = await state.unlock(username, pin)
        if not ok:
            set_pin("")
            set_gen(gen + 1)

    names = {s["username"]: s["full_name"] for s in state.device.office_staff}

    def person(u: str) -> ft.Control:
        shown = f"{names[u]} ({u})" if u in names else u
        return ft.OutlinedButton(
            content=ft.Text(shown, size=look.fs(18)),
            icon=ft.Icons.PERSON,
            height=look.touch,
            on_click=lambda _, u=u: pick_user(u),
            tooltip=tr(state.lang, "Chọn {name}", name=shown),
        )

    users: list[ft.Control] = []
    if state.device.known_users:
        users = [
            text(tr(state.lang, "Cán bộ đã dùng máy này:"), look, look.small, color=look.c.muted),
            ft.Row([person(u) for u in state.device.known_users], wrap=True),
        ]
    others = [
        s["username"]
        for s in state.device.office_staff
        if s["username"] not in state.device.known_users
    ]
    if others:
        users += [
            text(
                tr(state.lang, OTHER_STAFF),
                look,
                look.small,
                color=look.c.muted,
            ),
            ft.Row([person(u) for u in others], wrap=True),
        ]
    return page_body(
        [
            text(tr(state.lang, "Mở khoá"), look, look.title, bold=True),
            card(
                tr(state.lang, "Nhập tên đăng nhập và mã PIN"),
                [
                    *users,
                    StableTextField(
                        username,
                        set_username,
                        gen,
                        label=tr(state.lang, "Tên đăng nhập"),
                        error=errors.get("username"),
                        error_max_lines=4,
                        text_size=look.body,
                        autocorrect=False,
                        enable_suggestions=False,
                    ),
                    StableTextField(
                        pin,
                        set_pin,
                        gen,
                        label=tr(state.lang, "Mã PIN"),
                        password=True,
                        can_reveal_password=True,
                        keyboard_type=ft.KeyboardType.NUMBER,
                        # A mask, not ``max_length``: that drew a "0/12" counter and
                        # read "12 characters remaining" (Flutter's English) aloud.
                        input_filter=ft.InputFilter(regex_string=rf"^[0-9]{{0,{PIN_MAX_DIGITS}}}$"),
                        error=errors.get("pin"),
                        # the wrong-PIN message is two sentences and the rule: never cut
                        # (six lines cut it on a phone in English, screens tour)
                        error_max_lines=12,
                        error_style=ft.TextStyle(size=look.small, color=look.c.error),
                        text_size=look.fs(22),
                        on_submit=submit,
                    ),
                    _keypad(press, look, state.lang),
                    button(
                        tr(state.lang, "Mở khoá"),
                        submit,
                        look,
                        icon=ft.Icons.LOCK_OPEN,
                        busy=busy,
                    ),
                ],
                look,
            ),
        ],
        max_width=640,
    )


def _keypad(press: Any, look: Look, lang: str = "vi") -> ft.Control:
    """A big PIN keypad (3 × 4), for fingers rather than a stylus."""
    keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", BACK]
    names = {"C": tr(lang, "Xoá hết"), BACK: tr(lang, "Xoá một số")}
    cells: list[ft.Control] = []
    for k in keys:
        cells.append(
            ft.Container(
                content=ft.OutlinedButton(
                    # an icon: a backspace glyph is not in the app's font (an empty box)
                    content=ft.Icon(
                        ft.Icons.BACKSPACE_OUTLINED, size=look.fs(30), semantics_label=names[BACK]
                    )
                    if k == BACK
                    else ft.Text(k, size=look.fs(28), weight=ft.FontWeight.BOLD),
                    on_click=lambda _, k=k: press(k),
                    height=look.touch + 8,
                    tooltip=names.get(k, tr(lang, "Số {k}", k=k)),
                    expand=True,
                    style=ft.ButtonStyle(
                        shape=ft.RoundedRectangleBorder(radius=10),
                        side=ft.BorderSide(look.border_width + 1, look.c.primary),
                    ),
                ),
                col=4,
            )
        )
    return ft.ResponsiveRow(cells, spacing=10, run_spacing=10)
